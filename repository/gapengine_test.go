package repository_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
)

// referenceStats recomputes every organisation's skill counts from the base tables as of
// at, written independently of the maintained path, as the oracle.
const referenceStats = `
	WITH st AS (SELECT id, organisation_id, role_id FROM staff WHERE status = 'active'),
	req AS (
		SELECT st.id AS staff_id, k.effective_id AS skill_id, max(r.level) AS lvl, bool_or(r.criticality = 'essential') AS ess
		  FROM st JOIN role_requirements r ON r.role_id = st.role_id JOIN skills k ON k.id = r.skill_id
		 GROUP BY 1, 2),
	ev AS (
		SELECT e.staff_id, k.effective_id AS skill_id, max(e.level) AS lvl
		  FROM evidence e JOIN skills k ON k.id = e.skill_id
		 WHERE e.source <> 'self' AND e.retracts_id IS NULL AND e.assessed_at <= $1
		   AND (e.expires_at IS NULL OR e.expires_at > $1)
		   AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id AND r.assessed_at <= $1)
		   AND e.staff_id IN (SELECT id FROM st)
		 GROUP BY 1, 2),
	f AS (
		SELECT st.organisation_id AS org, COALESCE(req.skill_id, ev.skill_id) AS skill,
		       COALESCE(req.lvl, 0) AS req, COALESCE(req.ess, false) AS ess, COALESCE(ev.lvl, 0) AS lvl
		  FROM req FULL JOIN ev ON ev.staff_id = req.staff_id AND ev.skill_id = req.skill_id
		  JOIN st ON st.id = COALESCE(req.staff_id, ev.staff_id)
		 WHERE COALESCE(req.lvl, 0) > 0 OR COALESCE(ev.lvl, 0) > 0)
	SELECT org, skill,
	       count(*) FILTER (WHERE req > 0)::int AS demand,
	       count(*) FILTER (WHERE req > 0 AND lvl >= req)::int AS supply,
	       count(*) FILTER (WHERE req > 0 AND ess)::int AS demand_essential,
	       count(*) FILTER (WHERE req > 0 AND ess AND lvl >= req)::int AS supply_essential,
	       COALESCE(sum(req) FILTER (WHERE ess), 0)::int AS required_essential,
	       COALESCE(sum(req) FILTER (WHERE NOT ess), 0)::int AS required_desirable,
	       COALESCE(sum(req - lvl) FILTER (WHERE ess AND req > lvl), 0)::int AS depth_essential,
	       COALESCE(sum(req - lvl) FILTER (WHERE NOT ess AND req > lvl), 0)::int AS depth_desirable,
	       count(*) FILTER (WHERE lvl = 1)::int, count(*) FILTER (WHERE lvl = 2)::int,
	       count(*) FILTER (WHERE lvl = 3)::int, count(*) FILTER (WHERE lvl = 4)::int
	  FROM f GROUP BY org, skill`

const maintainedStats = `
	SELECT organisation_id, skill_id, demand, supply, demand_essential, supply_essential, required_essential,
	       required_desirable, depth_essential, depth_desirable, held_1, held_2, held_3, held_4
	  FROM org_skill_stats
	 WHERE (demand, supply, demand_essential, supply_essential, required_essential, required_desirable,
	        depth_essential, depth_desirable, held_1, held_2, held_3, held_4) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`

// assertStatsMatch sweeps time-based changes up to at and checks that the maintained
// counts and headcounts equal a full recomputation as of that moment.
func assertStatsMatch(t *testing.T, db *repository.DB, at time.Time, when string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `SELECT workforce_sweep($1)`, at); err != nil {
		t.Fatal(err)
	}
	var diff []string
	if err := db.SelectContext(ctx, &diff, fmt.Sprintf(`
		SELECT 'maintained ' || m::text FROM ((%[1]s) EXCEPT (%[2]s)) m
		UNION ALL
		SELECT 'reference ' || r::text FROM ((%[2]s) EXCEPT (%[1]s)) r`, maintainedStats, referenceStats), at); err != nil {
		t.Fatal(err)
	}
	var headDiff []string
	if err := db.SelectContext(ctx, &headDiff, `
		SELECT o.id::text || ': maintained ' || COALESCE(h.active_staff, 0) || ', actual ' || COALESCE(a.n, 0)
		  FROM organisations o
		  LEFT JOIN org_headcount h ON h.organisation_id = o.id
		  LEFT JOIN (SELECT organisation_id, count(*) AS n FROM staff WHERE status = 'active' GROUP BY 1) a ON a.organisation_id = o.id
		 WHERE COALESCE(h.active_staff, 0) <> COALESCE(a.n, 0)`); err != nil {
		t.Fatal(err)
	}
	if len(diff) > 0 || len(headDiff) > 0 {
		t.Fatalf("%s: maintained aggregates differ from a full recomputation:\n%v\nheadcounts: %v", when, diff, headDiff)
	}
}

// TestGapAggregatesEqualFullRecomputation drives a random sequence of writes (new staff,
// moves, role changes, leavers, returns, evidence, retractions, expiry, requirement
// changes) and checks after each step that the maintained aggregates equal a full
// recomputation. Time is simulated: each step is a minute after the last, starting from
// the test clock, and some evidence expires a few minutes after it is written.
func TestGapAggregatesEqualFullRecomputation(t *testing.T) {
	db, ctx := testDB(t)
	rng := rand.New(rand.NewSource(20261129))
	all := models.ScopeAll()

	orgs, orgID := twoTrusts(t, db)
	skills := defaultSkills(t, db, 8)
	randomRole := randomRoles(rng, skills, 4)
	roles := []string{"analyst", "engineer", "lead"}
	for _, r := range roles {
		if _, err := putRole(db, models.RoleOwner{Scope: all}, randomRole(r)); err != nil {
			t.Fatal(err)
		}
	}
	type person struct{ org, id string }
	var people []person
	var evidenceIDs []int64
	addPerson := func() {
		p := person{orgs[rng.Intn(len(orgs))], fmt.Sprintf("E%03d", len(people))}
		_, err := db.CreateStaff(ctx, all, orgID[p.org], models.Staff{
			ExternalID: p.id, Role: roles[rng.Intn(len(roles))], FTE: 1, Status: models.StaffActive})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	for i := 0; i < 12; i++ {
		addPerson()
	}
	sources := []models.Source{models.SourceSelf, models.SourceManager, models.SourceAssessment, models.SourceCertification, models.SourceTraining}
	now := clocktest.Now()
	latestExpiry := now
	for step := 0; step < 160; step++ {
		now = now.Add(time.Minute)
		p := &people[rng.Intn(len(people))]
		op := rng.Intn(10)
		var err error
		switch {
		case op <= 3: // evidence, some of it expiring within the test
			level := rng.Intn(5)
			e := models.NewEvidence{Skill: skills[rng.Intn(len(skills))], Level: &level, Source: sources[rng.Intn(len(sources))]}
			if rng.Intn(3) == 0 {
				exp := now.Add(time.Duration(1+rng.Intn(30)) * time.Minute)
				e.ExpiresAt = &exp
				if exp.After(latestExpiry) {
					latestExpiry = exp
				}
			}
			var rec models.Evidence
			rec, err = db.AddEvidence(ctx, all, p.org, p.id, e, 0, now)
			if err == nil {
				evidenceIDs = append(evidenceIDs, rec.ID)
			} else if models.ErrorCode(err) == models.ENOTFOUND {
				err = nil // the person was erased or moved; nothing to do
			}
		case op == 4 && len(evidenceIDs) > 0: // retraction
			target := evidenceIDs[rng.Intn(len(evidenceIDs))]
			var staffOrg, ext string
			if e := db.QueryRowContext(ctx, `SELECT o.code, s.external_id FROM evidence e JOIN staff s ON s.id = e.staff_id
				JOIN organisations o ON o.id = s.organisation_id WHERE e.id = $1`, target).Scan(&staffOrg, &ext); e != nil {
				t.Fatal(e)
			}
			_, err = db.AddEvidence(ctx, all, staffOrg, ext, models.NewEvidence{Source: models.SourceManager, Retracts: target}, 0, now)
			if models.ErrorCode(err) == models.ECONFLICT {
				err = nil // already retracted
			}
		case op == 5: // move to another organisation
			to := orgs[rng.Intn(len(orgs))]
			cur, e := db.GetStaff(ctx, all, orgID[p.org], p.id)
			if e != nil {
				t.Fatal(e)
			}
			cur.Organisation = to
			if _, err = db.ReplaceStaff(ctx, all, orgID[p.org], p.id, cur); err == nil {
				p.org = to
			}
		case op == 6: // change role
			cur, e := db.GetStaff(ctx, all, orgID[p.org], p.id)
			if e != nil {
				t.Fatal(e)
			}
			cur.Role, cur.Organisation = roles[rng.Intn(len(roles))], ""
			_, err = db.ReplaceStaff(ctx, all, orgID[p.org], p.id, cur)
		case op == 7: // leaver, or back again
			cur, e := db.GetStaff(ctx, all, orgID[p.org], p.id)
			if e != nil {
				t.Fatal(e)
			}
			if cur.Status == models.StaffActive {
				_, err = db.MarkLeaver(ctx, all, orgID[p.org], p.id, false, now)
			} else {
				cur.Status, cur.EndDate, cur.Organisation = models.StaffActive, nil, ""
				_, err = db.ReplaceStaff(ctx, all, orgID[p.org], p.id, cur)
			}
		case op == 8: // requirements of a role change
			_, err = putRole(db, models.RoleOwner{Scope: all}, randomRole(roles[rng.Intn(len(roles))]))
		default:
			addPerson()
		}
		if err != nil {
			t.Fatalf("step %d (op %d): %v", step, op, err)
		}
		if step%20 == 19 {
			assertStatsMatch(t, db, now, fmt.Sprintf("after step %d", step))
		}
	}
	// Once the short expiries have passed, the sweep must bring the counts in line.
	now = latestExpiry.Add(time.Minute)
	assertStatsMatch(t, db, now, "after every expiry")
	var expired int
	if err := db.GetContext(ctx, &expired, `SELECT count(*) FROM evidence WHERE expires_at <= $1`, now); err != nil || expired == 0 {
		t.Fatalf("the sequence let no evidence expire (%d, %v): the test would not cover expiry", expired, err)
	}
}

// twoTrusts creates trusts T1 and T2, and T2-A, a department of T2, and returns their
// codes and ids.
func twoTrusts(t *testing.T, db *repository.DB) ([]string, map[string]int64) {
	t.Helper()
	orgs := []string{"T1", "T2", "T2-A"}
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust one', 'trust'), ('T2', 'Trust two', 'trust')`)
	mustExec(t, db, `INSERT INTO organisations (code, name, type, parent_id) SELECT 'T2-A', 'Unit', 'department', id FROM organisations WHERE code = 'T2'`)
	orgID := map[string]int64{}
	for _, code := range orgs {
		id, err := db.OrganisationID(context.Background(), models.ScopeAll(), code)
		if err != nil {
			t.Fatal(err)
		}
		orgID[code] = id
	}
	return orgs, orgID
}

// defaultSkills are the first n skills of the default framework.
func defaultSkills(t *testing.T, db *repository.DB, n int) []string {
	t.Helper()
	var skills []string
	if err := db.SelectContext(context.Background(), &skills, `SELECT k.code FROM skills k JOIN frameworks f ON f.id = k.framework_id
		WHERE f.is_default ORDER BY k.position LIMIT $1`, n); err != nil || len(skills) < n {
		t.Fatalf("skills: %v %v", skills, err)
	}
	return skills
}

// randomRoles makes roles requiring 1 to most of the skills, a third of them desirable.
func randomRoles(rng *rand.Rand, skills []string, most int) func(code string) models.JobRole {
	return func(code string) models.JobRole {
		role := models.JobRole{Code: code, Title: code}
		for _, i := range rng.Perm(len(skills))[:1+rng.Intn(most)] {
			crit := models.Essential
			if rng.Intn(3) == 0 {
				crit = models.Desirable
			}
			role.Requirements = append(role.Requirements, models.Requirement{Skill: skills[i], Level: 1 + rng.Intn(4), Criticality: crit})
		}
		return role
	}
}

func mustExec(t testing.TB, db *repository.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestSupersessionMovesCounts publishes a framework version in which a skill is superseded
// by another: evidence and requirements on the old skill must count towards the new one,
// and the maintained counts must equal a full recomputation.
func TestSupersessionMovesCounts(t *testing.T) {
	db, ctx := testDB(t)
	all := models.ScopeAll()
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	orgID, _ := db.OrganisationID(ctx, all, "T1")
	role := models.JobRole{Code: "eng", Title: "Engineer", Requirements: []models.Requirement{
		{Skill: "malware-analysis", Level: 2, Criticality: models.Essential}}}
	if _, err := db.CreateRole(ctx, models.RoleOwner{Scope: all}, role); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateStaff(ctx, all, orgID, models.Staff{ExternalID: "E1", Role: "eng", FTE: 1, Status: models.StaffActive}); err != nil {
		t.Fatal(err)
	}
	three := 3
	if _, err := db.AddEvidence(ctx, all, "T1", "E1", models.NewEvidence{Skill: "malware-analysis", Level: &three, Source: models.SourceManager}, 0, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	f, _, err := db.GetFramework(ctx, repository.DefaultFrameworkCode, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Skills {
		if f.Skills[i].Code == "malware-analysis" {
			f.Skills[i].SupersededBy = "digital-forensics"
			f.Skills[i].Status = models.SkillDeprecated
		}
	}
	if _, err := db.PublishFramework(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Flush(ctx, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	var counted struct {
		Demand int `db:"demand"`
		Supply int `db:"supply"`
	}
	if err := db.GetContext(ctx, &counted, `SELECT demand, supply FROM org_skill_stats s JOIN skills k ON k.id = s.skill_id
		WHERE k.code = 'digital-forensics' AND s.organisation_id = $1`, orgID); err != nil {
		t.Fatal(err)
	}
	if counted.Demand != 1 || counted.Supply != 1 {
		t.Fatalf("digital-forensics after supersession: %+v, want the requirement and level moved to it", counted)
	}
	assertStatsMatch(t, db, clocktest.Now(), "after supersession")
}

// TestFlusherAppliesWritesWithinASecond writes evidence and, without any read, waits for
// the background flusher to bring it into the counts.
func TestFlusherAppliesWritesWithinASecond(t *testing.T) {
	db, ctx := testDB(t)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	all := models.ScopeAll()
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	orgID, _ := db.OrganisationID(ctx, all, "T1")
	if _, err := db.CreateStaff(ctx, all, orgID, models.Staff{ExternalID: "E1", FTE: 1, Status: models.StaffActive}); err != nil {
		t.Fatal(err)
	}
	go db.RunFlusher(ctx, clocktest.Clock{}, 50*time.Millisecond, func(_ int, err error) {
		if err != nil {
			t.Error(err)
		}
	})
	level := 3
	if _, err := db.AddEvidence(ctx, all, "T1", "E1", models.NewEvidence{Skill: "backup-recovery", Level: &level, Source: models.SourceManager}, 0, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	counted := clocktest.Eventually(time.Second, 10*time.Millisecond, func() bool {
		var held int
		if err := db.GetContext(ctx, &held, `SELECT COALESCE(sum(held_3), 0) FROM org_skill_stats`); err != nil {
			t.Fatal(err)
		}
		return held == 1
	})
	if !counted {
		t.Fatal("the write was not in the counts within a second")
	}
}

// putRole creates a role, or replaces it when it exists, as a PUT does.
func putRole(db *repository.DB, owner models.RoleOwner, role models.JobRole) (models.JobRole, error) {
	saved, err := db.ReplaceRole(context.Background(), owner, role)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return db.CreateRole(context.Background(), owner, role)
	}
	return saved, err
}

// A bulk statement of evidence (over a thousand records) queues each person once, whole,
// and the counts it leaves equal a full recomputation.
func TestBulkEvidenceQueuesPeopleWhole(t *testing.T) {
	db, ctx := testDB(t)
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust one', 'trust')`)
	mustExec(t, db, `INSERT INTO staff (organisation_id, external_id, fte)
		SELECT (SELECT id FROM organisations WHERE code = 'T1'), 'B' || n, 1 FROM generate_series(1, 300) AS n`)
	if _, err := db.Flush(ctx, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at)
		SELECT s.id, k.id, 1, 1 + (s.id + k.id) % 4, 'import', $1::timestamptz - interval '1 day'
		  FROM staff s CROSS JOIN (SELECT id FROM skills ORDER BY id LIMIT 5) k`, clocktest.Now())
	var whole, pairs int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE skill_id IS NULL), count(*) FILTER (WHERE skill_id IS NOT NULL)
		FROM workforce_dirty`).Scan(&whole, &pairs); err != nil {
		t.Fatal(err)
	}
	if whole != 300 || pairs != 0 {
		t.Errorf("queued %d people and %d pairs, want 300 people", whole, pairs)
	}
	assertStatsMatch(t, db, clocktest.Now(), "after a bulk statement")
}
