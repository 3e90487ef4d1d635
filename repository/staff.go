package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

type staffRow struct {
	ID           int64        `db:"id"`
	Organisation string       `db:"organisation"`
	ExternalID   string       `db:"external_id"`
	Role         *string      `db:"role"`
	DisplayName  *string      `db:"display_name"`
	Email        *string      `db:"email"`
	FTE          float64      `db:"fte"`
	Status       string       `db:"status"`
	StartDate    *models.Date `db:"start_date"`
	EndDate      *models.Date `db:"end_date"`
	Erased       bool         `db:"erased"`
}

func (r staffRow) staff() models.Staff {
	return models.Staff{
		Organisation: r.Organisation, ExternalID: r.ExternalID, Role: deref(r.Role),
		DisplayName: deref(r.DisplayName), Email: deref(r.Email), FTE: r.FTE,
		Status: models.StaffStatus(r.Status), StartDate: r.StartDate, EndDate: r.EndDate, Erased: r.Erased,
	}
}

const staffSelect = `
	SELECT s.id, o.code AS organisation, s.external_id, r.code AS role, s.display_name, s.email,
	       s.fte::float8 AS fte, s.status, s.start_date, s.end_date, s.erased_at IS NOT NULL AS erased
	  FROM staff s
	  JOIN organisations o ON o.id = s.organisation_id
	  LEFT JOIN job_roles r ON r.id = s.role_id`

// ListStaff lists one organisation's staff by external id, a page at a time.
func (db *DB) ListStaff(ctx context.Context, scope models.Scope, orgID int64, f models.StaffFilter, page models.Page) ([]models.Staff, string, error) {
	var w filter
	w.add("s.organisation_id = ?", orgID)
	w.scope("s.organisation_id", scope)
	if f.Role != "" {
		w.add("r.code = ?", f.Role)
	}
	if f.Status != "" {
		w.add("s.status = ?", string(f.Status))
	}
	if f.Q != "" {
		w.add("(s.external_id ILIKE ? OR s.display_name ILIKE ?)", likePattern(f.Q), likePattern(f.Q))
	}
	return selectPage(ctx, db, staffSelect, &w, ascending("s.external_id"), page, always(staffRow.staff),
		func(s models.Staff) string { return s.ExternalID })
}

// GetStaff reads one person of an organisation within scope.
func (db *DB) GetStaff(ctx context.Context, scope models.Scope, orgID int64, externalID string) (models.Staff, error) {
	row, err := getStaff(ctx, db, scope, orgID, externalID)
	return row.staff(), err
}

// staffLookupSQL is the query behind GetStaff, also run directly by the benchmarks as
// the floor.
func staffLookupSQL(scope models.Scope, orgID int64, externalID string) (string, []any) {
	var w filter
	w.add("s.organisation_id = ?", orgID)
	w.add("s.external_id = ?", externalID)
	w.scope("s.organisation_id", scope)
	return sqlx.Rebind(sqlx.DOLLAR, staffSelect+w.where()), w.args
}

func getStaff(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64, externalID string) (staffRow, error) {
	query, args := staffLookupSQL(scope, orgID, externalID)
	var row staffRow
	if err := getPrepared(ctx, q, &row, query, args...); err != nil {
		return row, notFoundAs(err, models.Errorf(models.ENOTFOUND, "staff %q not found", externalID))
	}
	return row, nil
}

// writableStaff is getStaff for a write: an erased person's record is gone for good.
func writableStaff(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64, externalID string) (staffRow, error) {
	row, err := getStaff(ctx, q, scope, orgID, externalID)
	if err == nil && row.Erased {
		return row, erasedError(externalID)
	}
	return row, err
}

func erasedError(externalID string) error {
	return models.Errorf(models.EGONE, "staff %q was erased: the record is never written again", externalID)
}

// CreateStaff adds a person to an organisation (resolved within scope), or, when
// s.Organisation names another organisation in scope, to that one. An external id the
// organisation already has is a conflict.
func (db *DB) CreateStaff(ctx context.Context, scope models.Scope, orgID int64, s models.Staff) (models.Staff, error) {
	var saved models.Staff
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		targetOrg, err := staffTargetOrg(ctx, tx, scope, orgID, s.Organisation)
		if err != nil {
			return err
		}
		if existing, err := getStaff(ctx, tx, scope, targetOrg, s.ExternalID); err == nil {
			if existing.Erased {
				return erasedError(s.ExternalID)
			}
			return models.Errorf(models.ECONFLICT, "staff %q already exists", s.ExternalID)
		} else if models.ErrorCode(err) != models.ENOTFOUND {
			return err
		}
		if models.ReservedExternalID(s.ExternalID) {
			return models.Invalid(models.FieldError{Field: "external_id", Message: "must not begin with " + models.ErasedPrefix + ": it names erased records"})
		}
		roleID, err := resolveStaffRole(ctx, tx, targetOrg, s.Role)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO staff (organisation_id, external_id, role_id, display_name, email, fte, status, start_date, end_date)
			VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, $7, $8, $9)`,
			targetOrg, s.ExternalID, roleID, s.DisplayName, s.Email, s.FTE, string(s.Status), s.StartDate, s.EndDate); err != nil {
			return err
		}
		after, err := getStaff(ctx, tx, scope, targetOrg, s.ExternalID)
		saved = after.staff()
		return err
	})
	return saved, err
}

// ReplaceStaff replaces the person with externalID in an organisation (resolved within
// scope) by s; s.Organisation, when it names another organisation in scope, moves them.
// An unchanged person is not written, so that the gap counts are not touched.
func (db *DB) ReplaceStaff(ctx context.Context, scope models.Scope, orgID int64, externalID string, s models.Staff) (models.Staff, error) {
	var saved models.Staff
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		targetOrg, err := staffTargetOrg(ctx, tx, scope, orgID, s.Organisation)
		if err != nil {
			return err
		}
		before, err := writableStaff(ctx, tx, scope, orgID, externalID)
		if err != nil {
			return err
		}
		roleID, err := resolveStaffRole(ctx, tx, targetOrg, s.Role)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE staff SET organisation_id = $2, external_id = $3, role_id = $4, display_name = NULLIF($5, ''),
			       email = NULLIF($6, ''), fte = $7, status = $8, start_date = $9, end_date = $10, updated_at = now()
			 WHERE id = $1
			   AND (organisation_id, external_id, role_id, display_name, email, fte, status, start_date, end_date)
			       IS DISTINCT FROM ($2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), $7::numeric, $8, $9::date, $10::date)`,
			before.ID, targetOrg, s.ExternalID, roleID, s.DisplayName, s.Email, s.FTE, string(s.Status), s.StartDate, s.EndDate); err != nil {
			return err
		}
		after, err := getStaff(ctx, tx, scope, targetOrg, s.ExternalID)
		saved = after.staff()
		return err
	})
	return saved, err
}

// staffTargetOrg is the organisation a person is written to: the one in the path, or the
// one a body names, which must lie within scope.
func staffTargetOrg(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64, named string) (int64, error) {
	if named == "" {
		return orgID, nil
	}
	id, err := organisationID(ctx, q, scope, named)
	return id, notFoundAs(err, models.Invalid(models.FieldError{Field: "organisation", Message: "no organisation with this code in your scope"}))
}

// resolveStaffRole finds the role a code means for an organisation (its own, an
// ancestor's, or a template); no code means no role.
func resolveStaffRole(ctx context.Context, q sqlx.QueryerContext, orgID int64, code string) (*int64, error) {
	if code == "" {
		return nil, nil
	}
	var id *int64
	if err := sqlx.GetContext(ctx, q, &id, `SELECT resolve_role($1, $2)`, orgID, code); err != nil {
		return nil, err
	}
	if id == nil {
		return nil, models.Invalid(models.FieldError{Field: "role", Message: "no role " + code + " for this organisation or as a template"})
	}
	return id, nil
}

// MarkLeaver records that a person has left: they stop counting in current figures but
// keep their history for statistics. With erase, their personal fields are removed for
// good (right to erasure): name and e-mail are blanked, the external id is replaced, and
// free-text fields of their evidence are cleared; anonymised evidence still counts in
// historical aggregates.
func (db *DB) MarkLeaver(ctx context.Context, scope models.Scope, orgID int64, externalID string, erase bool, now time.Time) (models.Staff, error) {
	var out models.Staff
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		row, err := getStaff(ctx, tx, scope, orgID, externalID)
		if err != nil {
			return err
		}
		today := models.TodayAt(now)
		if _, err := tx.ExecContext(ctx, `
			UPDATE staff SET status = 'leaver', end_date = LEAST(COALESCE(end_date, $2), $2), updated_at = now()
			 WHERE id = $1 AND status = 'active'`, row.ID, today); err != nil {
			return err
		}
		if erase {
			if err := eraseStaff(ctx, tx, orgID, row, now); err != nil {
				return err
			}
		}
		var w filter
		w.add("s.id = ?", row.ID)
		var after staffRow
		if err := tx.GetContext(ctx, &after, tx.Rebind(staffSelect+w.where()), w.args...); err != nil {
			return err
		}
		out = after.staff()
		return nil
	})
	return out, err
}
