package repository

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// trainingEvent is one person's outcome on one course, reported by a completion (REST)
// or a statement (xAPI). Completions and statements differ in how they arrive and how
// they are made idempotent; from here on they have the same effects.
type trainingEvent struct {
	staffID, courseID int64
	at                time.Time
	outcome           models.Outcome
	completionID      int64  // completions.id, or 0
	statementID       string // xapi_statements.id, or ""
}

// grantedEvidence is one training evidence record and what created it.
type grantedEvidence struct {
	ID           int64          `db:"id"`
	CompletionID sql.NullInt64  `db:"completion_id"`
	StatementID  sql.NullString `db:"statement_id"`
}

// applyTraining gives effect to recorded events: passed ones become training evidence
// for every skill the course confers, at its level, assessed when the course was
// completed and expiring after the course's validity; passed and failed ones close the
// person's open enrolment on the course. The evidence triggers keep the gap figures.
func applyTraining(ctx context.Context, tx *sqlx.Tx, events []trainingEvent, tokenID int64, now time.Time) ([]grantedEvidence, error) {
	var staff, courses, completions []int64
	var ats []string
	var statements []*string
	var passed []bool
	for _, e := range events {
		if e.outcome == models.OutcomeNone {
			continue
		}
		staff, courses, completions = append(staff, e.staffID), append(courses, e.courseID), append(completions, e.completionID)
		ats, passed = append(ats, e.at.UTC().Format(time.RFC3339Nano)), append(passed, e.outcome == models.OutcomePassed)
		var st *string
		if e.statementID != "" {
			id := e.statementID
			st = &id
		}
		statements = append(statements, st)
	}
	if len(staff) == 0 {
		return nil, nil
	}
	args := []any{int64Array(staff), int64Array(courses), stringArray(ats), pq.BoolArray(passed),
		int64Array(completions), nullableStringArray(statements)}
	// The service's clock dates a record, as for all evidence: a completion time a little
	// ahead of it (tolerated clock skew) counts from now.
	var granted []grantedEvidence
	err := tx.SelectContext(ctx, &granted, `
		WITH g AS (
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bool[], $5::bigint[], $6::uuid[])
			       WITH ORDINALITY AS g (staff_id, course_id, at, passed, completion_id, statement_id, n))
		INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at, expires_at,
		                      assessor, note, recorded_by, completion_id, statement_id)
		SELECT g.staff_id, cs.skill_id, f.version, cs.level, 'training', LEAST(g.at, $8),
		       LEAST(g.at, $8) + make_interval(months => c.validity_months),
		       c.provider, 'Course ' || c.code, NULLIF($7, 0), NULLIF(g.completion_id, 0), g.statement_id
		  FROM g
		  JOIN courses c ON c.id = g.course_id
		  JOIN course_skills cs ON cs.course_id = c.id
		  JOIN skills k ON k.id = cs.skill_id
		  JOIN frameworks f ON f.id = k.framework_id
		 WHERE g.passed
		 ORDER BY g.n, k.position, k.code
		RETURNING id, completion_id, statement_id`, append(args, tokenID, now)...)
	if err != nil {
		return nil, err
	}
	// One outcome per person and course closes the open enrolment: the latest. An event
	// from before the enrolment (a late report of an earlier attempt) leaves it open.
	_, err = tx.ExecContext(ctx, `
		UPDATE enrolments e
		   SET status = CASE WHEN x.passed THEN 'completed' ELSE 'failed' END, closed_at = x.at,
		       completion_id = NULLIF(x.completion_id, 0)
		  FROM (SELECT DISTINCT ON (g.staff_id, g.course_id) g.*
		          FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bool[], $5::bigint[], $6::uuid[])
		               AS g (staff_id, course_id, at, passed, completion_id, statement_id)
		         ORDER BY g.staff_id, g.course_id, g.at DESC) x
		 WHERE e.staff_id = x.staff_id AND e.course_id = x.course_id AND e.status = 'enrolled'
		   AND x.at >= e.enrolled_at`, args...)
	return granted, err
}

// knownCourse is a course as completions and statements refer to it.
type knownCourse struct {
	ID          int64   `db:"id"`
	Code        string  `db:"code"`
	Provider    string  `db:"provider"`
	ActivityIRI *string `db:"activity_iri"`
}

// coursesByCode and coursesByIRI find the courses that completions (by code) and
// statements (by activity IRI) name, retired ones included: a late report still counts.
func coursesByCode(ctx context.Context, tx *sqlx.Tx, codes []string) (map[string]knownCourse, error) {
	return findCourses(ctx, tx, `code = ANY ($1)`, codes, func(c knownCourse) string { return c.Code })
}

func coursesByIRI(ctx context.Context, tx *sqlx.Tx, iris []string) (map[string]knownCourse, error) {
	return findCourses(ctx, tx, `activity_iri = ANY ($1)`, iris, func(c knownCourse) string { return deref(c.ActivityIRI) })
}

func findCourses(ctx context.Context, tx *sqlx.Tx, cond string, keys []string, key func(knownCourse) string) (map[string]knownCourse, error) {
	var rows []knownCourse
	if err := tx.SelectContext(ctx, &rows, `SELECT id, code, provider, activity_iri FROM courses WHERE `+cond, stringArray(keys)); err != nil {
		return nil, err
	}
	out := make(map[string]knownCourse, len(rows))
	for _, r := range rows {
		out[key(r)] = r
	}
	return out, nil
}
