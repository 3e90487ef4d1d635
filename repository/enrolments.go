package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

func enrolmentAccessCondition(a models.EnrolmentAccess, f *filter) {
	if a.Provider != "" {
		f.add("c.provider = ?", a.Provider)
		return
	}
	f.scope("e.organisation_id", a.Scope)
}

const enrolmentSelect = `
	SELECT e.id, o.code AS organisation, s.external_id, c.code AS course, c.provider, e.enrolled_at,
	       e.expected_completion, e.status, e.closed_at, r.pass_rate
	  FROM enrolments e
	  JOIN organisations o ON o.id = e.organisation_id
	  JOIN staff s ON s.id = e.staff_id
	  JOIN courses c ON c.id = e.course_id
	  LEFT JOIN LATERAL (SELECT pass_rate FROM course_pass_rates(ARRAY[c.id])) r ON true`

type enrolmentRow struct {
	ID         int64       `db:"id"`
	Org        string      `db:"organisation"`
	ExternalID string      `db:"external_id"`
	Course     string      `db:"course"`
	Provider   string      `db:"provider"`
	EnrolledAt models.Date `db:"enrolled_at"`
	Expected   models.Date `db:"expected_completion"`
	Status     string      `db:"status"`
	ClosedAt   *time.Time  `db:"closed_at"`
	PassRate   *float64    `db:"pass_rate"`
}

func (r enrolmentRow) enrolment() models.Enrolment {
	return models.Enrolment{ID: r.ID, Organisation: r.Org, StaffExternalID: r.ExternalID, Course: r.Course, Provider: r.Provider,
		EnrolledAt: r.EnrolledAt, ExpectedCompletion: r.Expected, Status: models.EnrolmentStatus(r.Status), ClosedAt: r.ClosedAt,
		PassRate: r.PassRate}
}

// ListEnrolments lists the enrolments of an organisation's subtree the caller reaches,
// newest first.
func (db *DB) ListEnrolments(ctx context.Context, a models.EnrolmentAccess, orgID int64, f models.EnrolmentFilter, page models.Page) ([]models.Enrolment, string, error) {
	var w filter
	w.add("e.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = ?)", orgID)
	enrolmentAccessCondition(a, &w)
	if f.Status != "" {
		w.add("e.status = ?", string(f.Status))
	}
	if f.Course != "" {
		w.add("c.code = ?", f.Course)
	}
	return selectPage(ctx, db, enrolmentSelect, &w, newestFirst("e.id"), page, always(enrolmentRow.enrolment),
		func(e models.Enrolment) int64 { return e.ID })
}

// Enrol puts a person of the organisation's subtree on a course. A trainer may enrol only
// on its own courses; hr only within its scope. One open enrolment per person and course.
func (db *DB) Enrol(ctx context.Context, a models.EnrolmentAccess, orgID int64, n models.NewEnrolment, tokenID int64, now time.Time) (models.Enrolment, error) {
	if err := n.Validate(); err != nil {
		return models.Enrolment{}, err
	}
	var out models.Enrolment
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var staff struct {
			ID    int64 `db:"id"`
			OrgID int64 `db:"organisation_id"`
		}
		if err := tx.GetContext(ctx, &staff, `SELECT id, organisation_id FROM staff WHERE organisation_id = $1 AND external_id = $2 AND status = 'active'`,
			orgID, n.StaffExternalID); err != nil {
			return notFoundAs(err, models.Errorf(models.EUNPROCESSABLE, "no active staff %q in the organisation", n.StaffExternalID))
		}
		var w filter
		w.add("c.code = ?", n.Course)
		w.add("c.retired_at IS NULL")
		if a.Provider != "" {
			w.add("c.provider = ?", a.Provider)
		}
		var courseID int64
		if err := tx.GetContext(ctx, &courseID, tx.Rebind(`SELECT c.id FROM courses c`+w.where()), w.args...); err != nil {
			return notFoundAs(err, models.Errorf(models.EUNPROCESSABLE, "no course %q you may enrol on", n.Course))
		}
		enrolled := models.TodayAt(now)
		if n.EnrolledAt != nil {
			enrolled = *n.EnrolledAt
		}
		var id int64
		err := tx.GetContext(ctx, &id, `
			INSERT INTO enrolments (organisation_id, staff_id, course_id, enrolled_at, expected_completion, created_by)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6, 0)) RETURNING id`,
			staff.OrgID, staff.ID, courseID, enrolled, *n.ExpectedCompletion, tokenID)
		if models.ErrorCode(translate(err)) == models.ECONFLICT {
			return models.Errorf(models.ECONFLICT, "%s is already enrolled on %s", n.StaffExternalID, n.Course)
		}
		if err != nil {
			return err
		}
		out, err = enrolmentByID(ctx, tx, id)
		return err
	})
	return out, err
}

// Withdraw ends an open enrolment without completion. Withdrawals count against the
// course's observed pass rate.
func (db *DB) Withdraw(ctx context.Context, a models.EnrolmentAccess, orgID, id int64, now time.Time) (models.Enrolment, error) {
	var w filter
	w.add("e.id = ?", id)
	w.add("e.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = ?)", orgID)
	enrolmentAccessCondition(a, &w)
	var out models.Enrolment
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var row enrolmentRow
		if err := tx.GetContext(ctx, &row, tx.Rebind(enrolmentSelect+w.where()+` FOR UPDATE OF e`), w.args...); err != nil {
			if models.ErrorCode(translate(err)) == models.ENOTFOUND {
				return models.Errorf(models.ENOTFOUND, "enrolment %d not found", id)
			}
			return err
		}
		if row.Status != string(models.EnrolmentOpen) {
			return models.Errorf(models.ECONFLICT, "enrolment %d is already %s", id, row.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enrolments SET status = 'withdrawn', closed_at = $2 WHERE id = $1`, id, now); err != nil {
			return err
		}
		var err error
		out, err = enrolmentByID(ctx, tx, id)
		return err
	})
	return out, err
}

// enrolmentByID reads back an enrolment its transaction has just written.
func enrolmentByID(ctx context.Context, tx *sqlx.Tx, id int64) (models.Enrolment, error) {
	var w filter
	w.add("e.id = ?", id)
	return selectOne(ctx, tx, enrolmentSelect, &w, models.Errorf(models.ENOTFOUND, "enrolment %d not found", id), always(enrolmentRow.enrolment))
}
