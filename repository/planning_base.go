package repository

import (
	"context"
	"time"

	"github.com/lib/pq"

	"cyberskills/models"
)

// projectedApart are the people of the subtree ($1) a projection from now ($2) lists one
// by one instead of leaving them in the maintained sums: those with an open enrolment (a
// pass is a probability), those whose status and dates disagree (an active person not
// started yet counts from now, a leaver whose dates run on does not count), and those a
// scenario names ($3 organisation codes, $4 external ids). Listing someone apart who need
// not be is harmless: they are taken out of the sums as the sums count them. Each branch
// has its index.
const projectedApart = `
	WITH anywhere AS MATERIALIZED (
		-- each through its index, nationally (a handful at any time), then the subtree's
		SELECT n.staff_id AS id FROM enrolments n WHERE n.status = 'enrolled'
		UNION ALL
		SELECT s.id FROM staff s WHERE s.status = 'active' AND s.start_date > $2::date
		UNION ALL
		SELECT s.id FROM staff s WHERE s.status <> 'active' AND s.end_date > $2::date
		UNION ALL
		SELECT s.id FROM staff s WHERE s.status <> 'active' AND s.end_date IS NULL
		UNION ALL
		SELECT s.id FROM unnest($3::text[], $4::text[]) AS u (org, ext)
		  JOIN organisations o ON o.code = u.org JOIN staff s ON s.organisation_id = o.id AND s.external_id = u.ext)
	SELECT s.id FROM staff s
	 WHERE s.id IN (SELECT id FROM anywhere)
	   AND s.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $1)`

// projectionBaseSQL reads the subtree's ($1) verified counts from the maintained history
// for a projection from now ($2) over $3 months: row 0 the counts now (historyAsOf), row
// 1 the changes from now to the end of the next month, row m those of the m-th month
// after now's (UTC), summed by organisation and skill before their codes are looked up.
var projectionBaseSQL = `
	WITH subtree AS (SELECT descendant_id AS id FROM organisation_tree WHERE ancestor_id = $1),
	changes AS (
		SELECT h.*, 0 AS row FROM (` + historyAsOf("$2", `'v'`) + `) h
		UNION ALL
		SELECT c.*, 1 FROM org_skill_changes c
		 WHERE c.organisation_id IN (SELECT id FROM subtree) AND c.basis = 'v' AND c.grain = 'e'
		   AND c.at > $2 AND c.at < history_month($2) + interval '1 month'
		UNION ALL
		SELECT c.*, ((date_part('year', c.at AT TIME ZONE 'UTC') - date_part('year', $2 AT TIME ZONE 'UTC')) * 12
		             + date_part('month', c.at AT TIME ZONE 'UTC') - date_part('month', $2 AT TIME ZONE 'UTC'))::int
		  FROM org_skill_changes c
		 WHERE c.organisation_id IN (SELECT id FROM subtree) AND c.basis = 'v' AND c.grain = 'm'
		   AND c.at >= history_month($2) + interval '1 month' AND c.at < history_month($2) + make_interval(months => $3 + 1)),
	sums AS (
		SELECT organisation_id, skill_id, row,
		       sum(demand)::int AS demand, sum(supply)::int AS supply,
		       sum(demand_essential)::int AS demand_essential, sum(supply_essential)::int AS supply_essential,
		       sum(held_1)::int AS held_1, sum(held_2)::int AS held_2, sum(held_3)::int AS held_3, sum(held_4)::int AS held_4
		  FROM changes GROUP BY organisation_id, skill_id, row
		HAVING sum(demand) <> 0 OR sum(supply) <> 0 OR sum(demand_essential) <> 0 OR sum(supply_essential) <> 0
		    OR sum(held_1) <> 0 OR sum(held_2) <> 0 OR sum(held_3) <> 0 OR sum(held_4) <> 0)
	SELECT o.code AS organisation, k.code AS skill, s.row, s.demand, s.supply, s.demand_essential, s.supply_essential,
	       s.held_1, s.held_2, s.held_3, s.held_4
	  FROM sums s JOIN organisations o ON o.id = s.organisation_id JOIN skills k ON k.id = s.skill_id`

// ProjectionSnapshot loads an organisation's subtree for a projection from now over the
// given months: everyone as the maintained history's sums (Base), and one by one only the
// people listed apart (projectedApart) and those a scenario names; pass rates for the
// courses they are enrolled on and those named. Its cost follows the
// organisations and the people listed, not the staff: a region of a quarter of a million
// people reads a few hundred thousand sums.
func (db *DB) ProjectionSnapshot(ctx context.Context, scope models.Scope, orgID int64, now time.Time, months int, named []models.PersonRef,
	courses []string) (models.PlanningSnapshot, error) {
	if err := db.FlushHistoryForRead(ctx, now); err != nil {
		return models.PlanningSnapshot{}, err
	}
	snap := models.PlanningSnapshot{Now: now.UTC(), PeopleInBase: true}
	reqs, err := db.planningContext(ctx, scope, orgID, now, &snap)
	if err != nil {
		return snap, err
	}
	var orgs, exts []string
	for _, p := range named {
		orgs, exts = append(orgs, p.Organisation), append(exts, p.ExternalID)
	}
	if snap.People, err = db.planningPeople(ctx, reqs, now, projectedApart, orgID, now, pq.Array(orgs), pq.Array(exts)); err != nil {
		return snap, err
	}
	// Pass rates for the courses the people listed are enrolled on and those the caller names.
	for _, p := range snap.People {
		for _, e := range p.Enrolments {
			courses = append(courses, e.Course)
		}
	}
	if courses == nil {
		courses = []string{} // none, rather than nil: every course
	}
	if snap.Courses, err = db.planningCourses(ctx, courses); err != nil {
		return snap, err
	}
	var rows []struct {
		Org   string `db:"organisation"`
		Skill string `db:"skill"`
		Row   int    `db:"row"`
		D     int    `db:"demand"`
		S     int    `db:"supply"`
		DE    int    `db:"demand_essential"`
		SE    int    `db:"supply_essential"`
		H1    int    `db:"held_1"`
		H2    int    `db:"held_2"`
		H3    int    `db:"held_3"`
		H4    int    `db:"held_4"`
	}
	if err := db.SelectContext(ctx, &rows, projectionBaseSQL, orgID, now, months); err != nil {
		return snap, translate(err)
	}
	snap.Base = make([]models.BaseCounts, len(rows))
	for i, r := range rows {
		snap.Base[i] = models.BaseCounts{Organisation: r.Org, Skill: r.Skill, Row: r.Row, Counts: models.SkillCounts{
			Demand: r.D, Supply: r.S, DemandEssential: r.DE, SupplyEssential: r.SE, Held: [models.MaxLevel + 1]int{0, r.H1, r.H2, r.H3, r.H4}}}
	}
	return snap, nil
}
