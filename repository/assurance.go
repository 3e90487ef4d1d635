package repository

import (
	"context"
	"time"

	"github.com/lib/pq"

	"cyberskills/models"
)

// trainingClassified judges each person's training against each requirement at each
// instant (training_status; parameters $1 organisation, $2 scope root, $3 instants):
// in date while valid_until is ahead, due within 30 or 90 days when it is that close,
// overdue once it has passed, never trained without a record.
const trainingClassified = `
	WITH st AS (SELECT * FROM training_status($1, $2, $3::timestamptz[])),
	classified AS (
		SELECT st.*,
		       CASE WHEN st.valid_until IS NULL THEN 'never_trained'
		            WHEN st.valid_until <= st.at THEN 'overdue' ELSE 'in_date' END AS status,
		       st.valid_until > st.at AND st.valid_until <= st.at + interval '30 days' AS due30,
		       st.valid_until > st.at AND st.valid_until <= st.at + interval '90 days' AS due90
		  FROM st)`

// trainingLineRow is a row of TrainingFigures.
type trainingLineRow struct {
	Instant   int    `db:"instant"`
	Audience  string `db:"audience"`
	Role      string `db:"role_code"`
	RoleTitle string `db:"role_title"`
	Total     bool   `db:"total"`
	models.TrainingFigures
}

// TrainingFigures counts, at each instant, the training of the staff of an
// organisation's subtree (within scope) by staff group: each group in all at every
// instant, and by role at the first instant only.
func (db *DB) TrainingFigures(ctx context.Context, scope models.Scope, orgID int64, instants []time.Time) ([]models.TrainingLine, error) {
	var rows []trainingLineRow
	err := db.SelectContext(ctx, &rows, trainingClassified+`
		SELECT c.instant, c.audience, CASE WHEN GROUPING(c.role_code) = 1 THEN '' ELSE c.role_code END AS role_code,
		       CASE WHEN GROUPING(c.role_code) = 1 THEN '' ELSE COALESCE(min(r.title), '') END AS role_title,
		       GROUPING(c.role_code) = 1 AS total,
		       count(*)::int AS headcount,
		       count(*) FILTER (WHERE c.status = 'in_date')::int AS indate,
		       count(*) FILTER (WHERE c.due30)::int AS due30,
		       count(*) FILTER (WHERE c.due90)::int AS due90,
		       count(*) FILTER (WHERE c.status = 'overdue')::int AS overdue,
		       count(*) FILTER (WHERE c.status = 'never_trained')::int AS nevertrained
		  FROM classified c
		  -- A role's title is its holders' own role's: another organisation's role of the same
		  -- code (its own title) is outside the scope this report is read in.
		  JOIN staff s ON s.id = c.staff_id
		  LEFT JOIN job_roles r ON r.id = s.role_id
		 GROUP BY GROUPING SETS ((c.instant, c.audience), (c.instant, c.audience, c.role_code))
		HAVING GROUPING(c.role_code) = 1 OR c.instant = 1
		 ORDER BY c.instant, c.audience, GROUPING(c.role_code) DESC, 3`,
		orgID, scope.OrgID(), timeArray(instants))
	out := make([]models.TrainingLine, len(rows))
	for i, r := range rows {
		out[i] = models.TrainingLine{Instant: r.Instant, Audience: models.Audience(r.Audience), Role: r.Role,
			RoleTitle: r.RoleTitle, Total: r.Total, TrainingFigures: r.TrainingFigures}
	}
	return out, translate(err)
}

// trainingPersonRow is a row of TrainingPeople.
type trainingPersonRow struct {
	Audience     string     `db:"audience"`
	ExternalID   string     `db:"external_id"`
	DisplayName  string     `db:"display_name"`
	Organisation string     `db:"organisation"`
	Role         string     `db:"role_code"`
	Status       string     `db:"status"`
	LastTrained  *time.Time `db:"last_trained"`
	ValidUntil   *time.Time `db:"valid_until"`
	CoverSince   *time.Time `db:"cover_since"`
	Appointed    bool       `db:"appointed"`
}

// TrainingPeople lists, at a moment, every key role holder's training and everyone whose
// training is not in date, in an organisation's subtree within scope: staff-level data,
// read under the route's audit.
func (db *DB) TrainingPeople(ctx context.Context, scope models.Scope, orgID int64, at time.Time) ([]models.TrainingPerson, error) {
	var rows []trainingPersonRow
	err := db.SelectContext(ctx, &rows, trainingClassified+`
		SELECT c.audience, s.external_id, COALESCE(s.display_name, '') AS display_name, o.code AS organisation,
		       c.role_code, c.status, c.last_trained, c.valid_until, c.cover_since,
		       EXISTS (SELECT 1 FROM key_role_staff a WHERE a.staff_id = c.staff_id AND a.key_role = c.audience) AS appointed
		  FROM classified c JOIN staff s ON s.id = c.staff_id JOIN organisations o ON o.id = c.organisation_id
		 WHERE c.audience <> 'all_staff' OR c.status <> 'in_date'
		 ORDER BY c.audience, o.code, s.external_id`,
		orgID, scope.OrgID(), timeArray([]time.Time{at}))
	out := make([]models.TrainingPerson, len(rows))
	for i, r := range rows {
		out[i] = models.TrainingPerson{Audience: models.Audience(r.Audience), ExternalID: r.ExternalID, DisplayName: r.DisplayName,
			Organisation: r.Organisation, Role: r.Role, Status: models.TrainingStatus(r.Status), LastTrained: r.LastTrained,
			ValidUntil: r.ValidUntil, CoverSince: r.CoverSince, Appointed: r.Appointed}
	}
	return out, translate(err)
}

// timeArray passes instants as a PostgreSQL timestamptz array.
func timeArray(ts []time.Time) any {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.UTC().Format(time.RFC3339Nano)
	}
	return pq.Array(s)
}
