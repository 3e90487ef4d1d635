package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type tokenRow struct {
	ID         int64      `db:"id"`
	Name       string     `db:"name"`
	Role       string     `db:"role"`
	OrgID      *int64     `db:"organisation_id"`
	OrgCode    *string    `db:"organisation"`
	Provider   *string    `db:"provider"`
	Prefix     string     `db:"prefix"`
	CreatedAt  time.Time  `db:"created_at"`
	ExpiresAt  *time.Time `db:"expires_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
}

func (r tokenRow) token() models.Token {
	return models.Token{
		ID: r.ID, Name: r.Name, Role: models.Role(r.Role), OrgCode: deref(r.OrgCode),
		Provider: deref(r.Provider), Prefix: r.Prefix, CreatedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, LastUsedAt: r.LastUsedAt,
	}
}

const tokenColumns = `t.id, t.name, t.role, t.organisation_id, o.code AS organisation, t.provider, t.prefix,
	t.created_at, t.expires_at, t.revoked_at, t.last_used_at`

// CreateToken mints a token and returns it with its secret, which is not stored and
// cannot be shown again.
func (db *DB) CreateToken(ctx context.Context, n models.NewToken, now time.Time) (models.Token, string, error) {
	if err := n.Validate(); err != nil {
		return models.Token{}, "", err
	}
	secret, hash := models.GenerateToken()
	var expires *time.Time
	if n.ExpiresIn > 0 {
		t := now.Add(n.ExpiresIn)
		expires = &t
	}
	var row tokenRow
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, `
		WITH org AS (SELECT id, code FROM organisations WHERE code = $3),
		ins AS (
			INSERT INTO api_tokens (name, role, organisation_id, provider, hash, prefix, expires_at, created_by, created_at)
			SELECT $1, $2, (SELECT id FROM org), NULLIF($4, ''), $5, $6, $7, NULLIF($8, 0), $9
			WHERE $3 = '' OR EXISTS (SELECT 1 FROM org)
			RETURNING *)
		SELECT t.id, t.name, t.role, t.organisation_id, (SELECT code FROM org) AS organisation, t.provider,
		       t.prefix, t.created_at, t.expires_at, t.revoked_at, t.last_used_at
		FROM ins t`,
			n.Name, string(n.Role), n.OrgCode, n.Provider, hash, models.DisplayPrefix(secret), expires, n.CreatedBy, now)
	})
	if err != nil {
		if models.ErrorCode(translate(err)) == models.ENOTFOUND {
			return models.Token{}, "", models.Invalid(models.FieldError{Field: "organisation", Message: "no organisation has this code"})
		}
		return models.Token{}, "", translate(err)
	}
	return row.token(), secret, nil
}

// HasAdminToken reports whether an administrator's token is valid at now: without one,
// nobody can use the API yet, and the server says at start how to mint the first.
func (db *DB) HasAdminToken(ctx context.Context, now time.Time) (bool, error) {
	var has bool
	err := db.GetContext(ctx, &has, `SELECT EXISTS (SELECT 1 FROM api_tokens
		WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1))`, now)
	return has, translate(err)
}

// ListTokens lists tokens newest first, by keyset on id.
func (db *DB) ListTokens(ctx context.Context, f models.TokenFilter, page models.Page) ([]models.Token, string, error) {
	var w filter
	if f.Role != "" {
		w.add("t.role = ?", string(f.Role))
	}
	if !f.IncludeRevoked {
		w.add("t.revoked_at IS NULL")
	}
	return selectPage(ctx, db, `SELECT `+tokenColumns+` FROM api_tokens t LEFT JOIN organisations o ON o.id = t.organisation_id`,
		&w, newestFirst("t.id"), page, always(tokenRow.token), func(t models.Token) int64 { return t.ID })
}

// RevokeToken revokes a token from the next request on, as of now. Revoking twice is
// harmless: the first revocation's time stays.
func (db *DB) RevokeToken(ctx context.Context, id int64, now time.Time) (models.Token, error) {
	var row tokenRow
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &row, `
			WITH upd AS (
				UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *)
			SELECT `+tokenColumns+` FROM upd t LEFT JOIN organisations o ON o.id = t.organisation_id`, id, now); err != nil {
			return err
		}
		// Its dashboard sessions end with it (they are refused from now on anyway).
		_, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE token_id = $1`, id)
		return err
	})
	if err != nil {
		err = translate(err)
		if models.ErrorCode(err) == models.ENOTFOUND {
			return models.Token{}, models.Errorf(models.ENOTFOUND, "token %d not found", id)
		}
		return models.Token{}, err
	}
	return row.token(), nil
}

// Authentication failures, distinguished for the log; the client sees one message
// (api/middleware.Authenticate), whatever the reason.
var (
	ErrTokenUnknown = models.Errorf(models.EUNAUTHORIZED, "the token is not valid")
	ErrTokenExpired = models.Errorf(models.EUNAUTHORIZED, "the token has expired")
	ErrTokenRevoked = models.Errorf(models.EUNAUTHORIZED, "the token has been revoked")
)

// Authenticate finds the principal behind a secret, judging expiry as of now. It records
// the last use at most once a minute, so that authentication stays a read on the hot path.
func (db *DB) Authenticate(ctx context.Context, secret string, now time.Time) (models.Principal, error) {
	var row tokenRow
	err := getPrepared(ctx, db, &row, `SELECT `+tokenColumns+`
		FROM api_tokens t LEFT JOIN organisations o ON o.id = t.organisation_id WHERE t.hash = $1`,
		models.HashToken(secret))
	if err != nil {
		if models.ErrorCode(translate(err)) == models.ENOTFOUND {
			return models.Principal{}, ErrTokenUnknown
		}
		return models.Principal{}, translate(err)
	}
	switch {
	case row.RevokedAt != nil:
		return models.Principal{}, ErrTokenRevoked
	case row.ExpiresAt != nil && !row.ExpiresAt.After(now):
		return models.Principal{}, ErrTokenExpired
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > time.Minute {
		if _, err := db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, row.ID, now); err != nil {
			return models.Principal{}, translate(err)
		}
	}
	return row.principal(), nil
}

// principal is who a token (or a dashboard session of it) signs in.
func (r tokenRow) principal() models.Principal {
	return models.Principal{
		TokenID: r.ID, Name: r.Name, Role: models.Role(r.Role),
		OrgID: derefInt(r.OrgID), OrgCode: deref(r.OrgCode), Provider: deref(r.Provider),
		ExpiresAt: r.ExpiresAt,
	}
}
