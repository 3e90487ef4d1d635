package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// Establishment lists an organisation's funded posts by role and period; the entry in
// force on the date of now carries the posts filled (active holders of the role there)
// and vacant.
func (db *DB) Establishment(ctx context.Context, scope models.Scope, orgID int64, now time.Time) ([]models.EstablishmentEntry, error) {
	return establishment(ctx, db, scope, orgID, now)
}

func establishment(ctx context.Context, q sqlx.QueryerContext, scope models.Scope, orgID int64, now time.Time) ([]models.EstablishmentEntry, error) {
	cond, args := scopeCondition("e.organisation_id", scope)
	var rows []struct {
		Role        string    `db:"role"`
		PeriodStart time.Time `db:"period_start"`
		Period      string    `db:"period"`
		Funded      float64   `db:"funded_posts"`
		InForce     bool      `db:"in_force"`
		Filled      int       `db:"filled"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.DOLLAR, `
		SELECT r.code AS role, e.period_start, e.period, e.funded_posts::float8 AS funded_posts,
		       -- No period begun yet: the latest is NULL, and no entry is in force.
		       COALESCE(e.period_start = (SELECT max(x.period_start) FROM establishment x
		                                   WHERE x.organisation_id = e.organisation_id AND x.role_id = e.role_id
		                                     AND x.period_start <= ?::date), false) AS in_force,
		       (SELECT count(*) FROM staff s WHERE s.organisation_id = e.organisation_id AND s.role_id = e.role_id
		                                      AND s.status = 'active')::int AS filled
		  FROM establishment e JOIN job_roles r ON r.id = e.role_id
		 WHERE e.organisation_id = ? AND `+cond+`
		 ORDER BY r.code, e.period_start`), append([]any{models.TodayAt(now), orgID}, args...)...)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.EstablishmentEntry, len(rows))
	for i, r := range rows {
		out[i] = models.EstablishmentEntry{Role: r.Role, Period: models.PeriodLabel(r.PeriodStart, r.Period), FundedPosts: r.Funded}
		if r.InForce {
			filled, vacant := r.Filled, max(r.Funded-float64(r.Filled), 0)
			out[i].InForce, out[i].Filled, out[i].Vacancies = true, &filled, &vacant
		}
	}
	return out, nil
}

// SetEstablishment replaces the organisation's entries for every period the list names
// (other periods are kept) and returns the whole establishment.
func (db *DB) SetEstablishment(ctx context.Context, scope models.Scope, orgID int64, entries []models.EstablishmentEntry, now time.Time) ([]models.EstablishmentEntry, error) {
	if err := models.ValidateEstablishment(entries); err != nil {
		return nil, err
	}
	var out []models.EstablishmentEntry
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var v models.Validator
		roles, starts, kinds, posts := make([]int64, len(entries)), make([]string, len(entries)), make([]string, len(entries)), make([]float64, len(entries))
		for i, e := range entries {
			id, err := resolveStaffRole(ctx, tx, orgID, e.Role)
			if err != nil {
				v.Add("entries["+itoa(i)+"].role", "no role "+e.Role+" for this organisation or as a template")
				continue
			}
			start, kind, _ := models.ParsePeriod(e.Period)
			roles[i], starts[i], kinds[i], posts[i] = *id, start.Format("2006-01-02"), kind, e.FundedPosts
		}
		if err := v.Err(); err != nil {
			return err
		}
		cond, args := scopeCondition("organisation_id", scope)
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			DELETE FROM establishment WHERE organisation_id = ? AND `+cond+` AND period_start = ANY (?::date[])`),
			append(append([]any{orgID}, args...), stringArray(starts))...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO establishment (organisation_id, role_id, period_start, period, funded_posts)
			SELECT $1, u.role_id, u.start, u.kind, u.posts
			  FROM unnest($2::bigint[], $3::date[], $4::text[], $5::numeric[]) AS u (role_id, start, kind, posts)`,
			orgID, int64Array(roles), stringArray(starts), stringArray(kinds), float64Array(posts)); err != nil {
			return err
		}
		var err error
		out, err = establishment(ctx, tx, scope, orgID, now)
		return err
	})
	return out, err
}
