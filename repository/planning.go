package repository

import (
	"context"
	"time"

	"github.com/lib/pq"

	"cyberskills/models"
)

// subtreeStaff is the active staff of an organisation's subtree.
const subtreeStaff = `SELECT s.id FROM staff s
	WHERE s.status = 'active' AND s.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $1)`

// PlanningSnapshot loads an organisation's subtree for planning as of now, person by
// person: one query per kind of data, each bounded by the subtree (tens of thousands of
// rows for the largest trust). The training plan reads it; projections read
// ProjectionSnapshot, which leaves most people in maintained sums.
func (db *DB) PlanningSnapshot(ctx context.Context, scope models.Scope, orgID int64, now time.Time) (models.PlanningSnapshot, error) {
	snap := models.PlanningSnapshot{Now: now.UTC()}
	reqs, err := db.planningContext(ctx, scope, orgID, now, &snap)
	if err != nil {
		return snap, err
	}
	if snap.People, err = db.planningPeople(ctx, reqs, now, subtreeStaff, orgID); err != nil {
		return snap, err
	}
	snap.Courses, err = db.planningCourses(ctx, nil)
	return snap, err
}

// planningContext loads what a planning snapshot holds beside its people and courses: the
// targets and coverage in force and the posts the establishment funds; and returns the
// requirements of the roles the subtree's people may hold.
func (db *DB) planningContext(ctx context.Context, scope models.Scope, orgID int64, now time.Time, snap *models.PlanningSnapshot) (map[int64]map[string]models.ProjReq, error) {
	var err error
	if snap.Targets, err = db.Targets(ctx, scope, orgID); err != nil {
		return nil, err
	}
	if snap.Coverage, err = db.Coverage(ctx, scope, orgID, now); err != nil {
		return nil, err
	}
	reqs, err := db.roleRequirements(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return reqs, db.loadPlannedPosts(ctx, orgID, reqs, snap)
}

// planningPeople loads the staff a statement selects (which, with its arguments, names
// their ids), with their dates, requirements, verified evidence in force now and open
// enrolments.
func (db *DB) planningPeople(ctx context.Context, reqs map[int64]map[string]models.ProjReq, now time.Time, which string, args ...any) ([]models.PlanningPerson, error) {
	var people []struct {
		ID        int64      `db:"id"`
		Org       string     `db:"organisation"`
		External  string     `db:"external_id"`
		RoleID    *int64     `db:"role_id"`
		Active    bool       `db:"active"`
		StartDate *time.Time `db:"start_date"`
		EndDate   *time.Time `db:"end_date"`
	}
	if err := db.SelectContext(ctx, &people, `
		SELECT s.id, o.code AS organisation, s.external_id, s.role_id, s.status = 'active' AS active,
		       s.start_date::timestamptz AS start_date, s.end_date::timestamptz AS end_date
		  FROM staff s JOIN organisations o ON o.id = s.organisation_id
		 WHERE s.id IN (`+which+`) ORDER BY o.code, s.external_id`, args...); err != nil {
		return nil, translate(err)
	}
	out := make([]models.PlanningPerson, 0, len(people))
	byID := map[int64]int{}
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		byID[p.ID] = len(out)
		ids = append(ids, p.ID)
		person := models.PlanningPerson{Key: models.PersonKey(p.Org, p.External), Organisation: p.Org, ExternalID: p.External,
			Active: p.Active, StartDate: p.StartDate, EndDate: p.EndDate, Evidence: map[string][]models.ProjectedEvidence{}}
		if p.RoleID != nil {
			person.Requirements = reqs[*p.RoleID]
		}
		out = append(out, person)
	}
	if err := db.loadPlanningEvidence(ctx, ids, now, out, byID); err != nil {
		return nil, err
	}
	return out, db.loadPlanningEnrolments(ctx, ids, out, byID)
}

// roleRequirements are the requirements (by effective skill) of every role staff of the
// subtree may hold, keyed by role id.
func (db *DB) roleRequirements(ctx context.Context, orgID int64) (map[int64]map[string]models.ProjReq, error) {
	var rows []struct {
		RoleID    int64  `db:"role_id"`
		Skill     string `db:"skill"`
		Level     int    `db:"level"`
		Essential bool   `db:"essential"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT q.role_id, k.code AS skill, max(q.level)::int AS level, bool_or(q.criticality = 'essential') AS essential
		  FROM role_requirements q JOIN skills k0 ON k0.id = q.skill_id JOIN skills k ON k.id = k0.effective_id
		  JOIN job_roles r ON r.id = q.role_id
		 WHERE r.organisation_id IS NULL
		    OR r.organisation_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = $1)
		    OR r.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $1)
		 GROUP BY 1, 2`, orgID); err != nil {
		return nil, translate(err)
	}
	out := map[int64]map[string]models.ProjReq{}
	for _, r := range rows {
		if out[r.RoleID] == nil {
			out[r.RoleID] = map[string]models.ProjReq{}
		}
		out[r.RoleID][r.Skill] = models.ProjReq{Level: r.Level, Essential: r.Essential}
	}
	return out, nil
}

// loadPlanningEvidence reads the verified evidence in force, reduced to what can change
// a level: per person, skill and level, when the last record at that level expires.
func (db *DB) loadPlanningEvidence(ctx context.Context, ids []int64, now time.Time, people []models.PlanningPerson, byID map[int64]int) error {
	var rows []struct {
		StaffID int64      `db:"staff_id"`
		Skill   string     `db:"skill"`
		Level   int        `db:"level"`
		Expires *time.Time `db:"expires_at"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT e.staff_id, k.code AS skill, e.level::int AS level,
		       CASE WHEN bool_or(e.expires_at IS NULL) THEN NULL ELSE max(e.expires_at) END AS expires_at
		  FROM evidence e JOIN skills k0 ON k0.id = e.skill_id JOIN skills k ON k.id = k0.effective_id
		  JOIN unnest($1::bigint[]) AS p (id) ON p.id = e.staff_id
		 WHERE e.source <> 'self' AND e.retracts_id IS NULL AND e.level > 0
		   AND e.assessed_at <= $2 AND (e.expires_at IS NULL OR e.expires_at > $2)
		   AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id AND r.assessed_at <= $2)
		 GROUP BY 1, 2, 3`, pq.Array(ids), now); err != nil {
		return translate(err)
	}
	for _, r := range rows {
		p := &people[byID[r.StaffID]]
		p.Evidence[r.Skill] = append(p.Evidence[r.Skill], models.ProjectedEvidence{Level: r.Level, ExpiresAt: r.Expires})
	}
	return nil
}

func (db *DB) loadPlanningEnrolments(ctx context.Context, ids []int64, people []models.PlanningPerson, byID map[int64]int) error {
	var rows []struct {
		StaffID   int64     `db:"staff_id"`
		Course    string    `db:"course"`
		Completes time.Time `db:"completes"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT n.staff_id, c.code AS course, n.expected_completion::timestamptz AS completes
		  FROM enrolments n JOIN courses c ON c.id = n.course_id
		 WHERE n.status = 'enrolled' AND n.staff_id = ANY($1::bigint[])`, pq.Array(ids)); err != nil {
		return translate(err)
	}
	for _, r := range rows {
		p := &people[byID[r.StaffID]]
		p.Enrolments = append(p.Enrolments, models.PlanningEnrolment{Course: r.Course, Completes: r.Completes})
	}
	return nil
}

// planningCourses are the current courses with the skills they confer (after
// supersession) and their observed pass rates.
// Observed pass rates read every completion of a course (millions for the NHS), so they
// are computed for the courses named in rated (nil: every course) and left out, as if
// unknown, for the others, which the caller does not use.
func (db *DB) planningCourses(ctx context.Context, rated []string) ([]models.PlanningCourse, error) {
	var rows []struct {
		ID       int64    `db:"id"`
		Code     string   `db:"code"`
		Cost     *float64 `db:"cost"`
		Hours    *float64 `db:"hours"`
		Validity *int     `db:"validity_months"`
		PassRate *float64 `db:"pass_rate"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT c.id, c.code, c.cost::float8 AS cost, c.duration_hours::float8 AS hours, c.validity_months, r.pass_rate
		  FROM courses c
		  LEFT JOIN course_pass_rates(ARRAY(SELECT id FROM courses WHERE retired_at IS NULL AND ($1::text[] IS NULL OR code = ANY ($1)))) r
		         ON r.course_id = c.id
		 WHERE c.retired_at IS NULL ORDER BY c.code`, pq.Array(rated)); err != nil {
		return nil, translate(err)
	}
	var confers []struct {
		ID    int64  `db:"course_id"`
		Skill string `db:"skill"`
		Level int    `db:"level"`
	}
	if err := db.SelectContext(ctx, &confers, `
		SELECT cs.course_id, k.code AS skill, max(cs.level)::int AS level
		  FROM course_skills cs JOIN skills k0 ON k0.id = cs.skill_id JOIN skills k ON k.id = k0.effective_id
		 GROUP BY 1, 2`); err != nil {
		return nil, translate(err)
	}
	index := map[int64]int{}
	out := make([]models.PlanningCourse, len(rows))
	for i, r := range rows {
		out[i] = models.PlanningCourse{Code: r.Code, Cost: r.Cost, Hours: r.Hours, PassRate: r.PassRate, Confers: map[string]int{}}
		if r.Validity != nil {
			out[i].ValidityMonths = *r.Validity
		}
		index[r.ID] = i
	}
	for _, c := range confers {
		if i, ok := index[c.ID]; ok {
			out[i].Confers[c.Skill] = c.Level
		}
	}
	return out, nil
}

// loadPlannedPosts reads the establishment of the subtree: vacancies now (funded posts
// in force beyond the active staff in the role) and, for each future period, the posts
// it funds beyond the most funded before it.
func (db *DB) loadPlannedPosts(ctx context.Context, orgID int64, reqs map[int64]map[string]models.ProjReq, snap *models.PlanningSnapshot) error {
	var rows []establishmentRow
	if err := db.SelectContext(ctx, &rows, `
		SELECT o.code AS organisation, r.code AS role, e.role_id, e.period_start::timestamptz AS period_start,
		       e.funded_posts::float8 AS funded_posts,
		       (SELECT count(*) FROM staff s WHERE s.organisation_id = e.organisation_id AND s.role_id = e.role_id
		                                      AND s.status = 'active')::int AS filled
		  FROM establishment e JOIN organisations o ON o.id = e.organisation_id JOIN job_roles r ON r.id = e.role_id
		 WHERE e.organisation_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = $1)
		 ORDER BY o.code, r.code, e.period_start`, orgID); err != nil {
		return translate(err)
	}
	// Rows come ordered by organisation, role and period: walk each (organisation, role).
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Org == rows[i].Org && rows[j].Role == rows[i].Role {
			j++
		}
		snap.Posts = append(snap.Posts, postsOf(rows[i:j], snap.Now, reqs[rows[i].RoleID])...)
		i = j
	}
	return nil
}

type establishmentRow struct {
	Org    string    `db:"organisation"`
	Role   string    `db:"role"`
	RoleID int64     `db:"role_id"`
	Start  time.Time `db:"period_start"`
	Funded float64   `db:"funded_posts"`
	Filled int       `db:"filled"`
}

// postsOf turns one role's establishment periods into planned posts: the vacancies of
// the period in force now, and each future period's posts beyond the most funded (or
// filled) before it. Fewer funded posts later do not make anyone leave.
func postsOf(periods []establishmentRow, now time.Time, reqs map[string]models.ProjReq) []models.PlannedPosts {
	var out []models.PlannedPosts
	org, role, filled := periods[0].Org, periods[0].Role, periods[0].Filled
	level := filled // posts accounted for so far
	for _, p := range periods {
		posts := int(p.Funded + 0.5)
		if !p.Start.After(now) {
			level = max(filled, posts) // the latest period begun is in force
			continue
		}
		if posts > level {
			start := p.Start
			out = append(out, models.PlannedPosts{Organisation: org, Role: role, Start: &start, Posts: posts - level, Requirements: reqs})
			level = posts
		}
	}
	if vacant := inForce(periods, now) - filled; vacant > 0 {
		out = append(out, models.PlannedPosts{Organisation: org, Role: role, Posts: vacant, Requirements: reqs})
	}
	return out
}

// inForce is the funded posts of the latest period begun by now (0 when none has).
func inForce(periods []establishmentRow, now time.Time) int {
	posts := 0
	for _, p := range periods {
		if !p.Start.After(now) {
			posts = int(p.Funded + 0.5)
		}
	}
	return posts
}

// RoleRequirementsFor resolves role codes as an organisation of the subtree would hire
// into them (its own role, an ancestor's, a template) and returns their requirements by
// "organisation/role code"; unknown ones are left out.
func (db *DB) RoleRequirementsFor(ctx context.Context, scope models.Scope, orgs, roles []string) (map[string]map[string]models.ProjReq, error) {
	cond, args := scopeCondition("o.id", scope)
	var rows []struct {
		Org       string `db:"organisation"`
		Role      string `db:"role"`
		Skill     string `db:"skill"`
		Level     int    `db:"level"`
		Essential bool   `db:"essential"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`
		SELECT x.organisation, x.role, k.code AS skill, max(q.level)::int AS level, bool_or(q.criticality = 'essential') AS essential
		  FROM (SELECT o.code AS organisation, u.role, resolve_role(o.id, u.role) AS role_id
		          FROM unnest(?::text[], ?::text[]) AS u (organisation, role) JOIN organisations o ON o.code = u.organisation
		         WHERE `+cond+`) x
		  JOIN role_requirements q ON q.role_id = x.role_id
		  JOIN skills k0 ON k0.id = q.skill_id JOIN skills k ON k.id = k0.effective_id
		 GROUP BY 1, 2, 3`), append([]any{stringArray(orgs), stringArray(roles)}, args...)...)
	if err != nil {
		return nil, translate(err)
	}
	out := map[string]map[string]models.ProjReq{}
	for _, r := range rows {
		key := r.Org + "/" + r.Role
		if out[key] == nil {
			out[key] = map[string]models.ProjReq{}
		}
		out[key][r.Skill] = models.ProjReq{Level: r.Level, Essential: r.Essential}
	}
	return out, nil
}
