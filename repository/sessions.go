package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// ErrSessionInvalid is every reason a session cookie does not sign a caller in: unknown,
// signed out, idle too long, past its lifetime, or its token revoked or expired.
var ErrSessionInvalid = models.Errorf(models.EUNAUTHORIZED, "the session is not valid")

// CreateSession stores a dashboard session of a token: the hash of its secret and when
// it ends at the latest. The audit entry ctx carries commits with it.
func (db *DB) CreateSession(ctx context.Context, tokenID int64, hash []byte, now, expires time.Time) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_sessions (hash, token_id, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, hash, tokenID, now, expires)
		return err
	})
}

// SessionPrincipal finds the principal behind a session as of now: the session is
// neither past its expiry nor idle for idle or longer, and its token is neither revoked
// nor expired, so that revoking a token ends its sessions on their next request. The
// last-seen time is recorded at most once a minute.
func (db *DB) SessionPrincipal(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (models.Principal, error) {
	var row struct {
		SessionID int64     `db:"session_id"`
		LastSeen  time.Time `db:"last_seen_at"`
		tokenRow
	}
	err := getPrepared(ctx, db, &row, `SELECT s.id AS session_id, s.last_seen_at, `+tokenColumns+`
		FROM dashboard_sessions s
		JOIN api_tokens t ON t.id = s.token_id
		LEFT JOIN organisations o ON o.id = t.organisation_id
		WHERE s.hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2 - $3 * interval '1 second'
		  AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
		hash, now, idle.Seconds())
	if err != nil {
		if models.ErrorCode(translate(err)) == models.ENOTFOUND {
			return models.Principal{}, ErrSessionInvalid
		}
		return models.Principal{}, translate(err)
	}
	if now.Sub(row.LastSeen) > time.Minute {
		if _, err := db.ExecContext(ctx, `UPDATE dashboard_sessions SET last_seen_at = $2 WHERE id = $1`, row.SessionID, now); err != nil {
			return models.Principal{}, translate(err)
		}
	}
	return row.principal(), nil
}

// DeleteSession ends a session (sign-out); ending one that is gone is harmless. The
// audit entry ctx carries commits with it.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.WithTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE hash = $1`, hash)
		return err
	})
}
