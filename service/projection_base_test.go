package service

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// baseWorld is an ICB with two trusts and a department, people of every kind a projection
// must tell apart: staying, leaving on a date within the horizon, starting later, marked
// leavers with no end date, with evidence lapsing within the horizon, and with open
// enrolments on a course.
func baseWorld(t *testing.T, db *repository.DB, rng *rand.Rand) {
	ctx := context.Background()
	all := models.ScopeAll()
	now := clocktest.Now()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO organisations (code, name, type) VALUES ('ICB', 'ICB', 'icb')`)
	exec(`INSERT INTO organisations (code, name, type, parent_id, size_band)
		SELECT c, c, 'trust', (SELECT id FROM organisations WHERE code = 'ICB'), 'medium' FROM unnest(ARRAY['TA', 'TB']) AS c`)
	exec(`INSERT INTO organisations (code, name, type, parent_id) SELECT 'TA-D', 'TA-D', 'department', id FROM organisations WHERE code = 'TA'`)
	var skills []string
	if err := db.SelectContext(ctx, &skills, `SELECT k.code FROM skills k JOIN frameworks f ON f.id = k.framework_id
		WHERE f.is_default AND k.tier = 'basic' ORDER BY k.position LIMIT 4`); err != nil || len(skills) < 4 {
		t.Fatalf("skills %v %v", skills, err)
	}
	for _, code := range []string{"eng", "soc"} {
		role := models.JobRole{Code: code, Title: code}
		for _, i := range rng.Perm(len(skills))[:2] {
			role.Requirements = append(role.Requirements, models.Requirement{Skill: skills[i], Level: 1 + rng.Intn(3), Criticality: models.Essential})
		}
		if _, err := db.CreateRole(ctx, models.RoleOwner{Scope: all}, role); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO courses (provider, code, title, validity_months) VALUES ('academy', 'C1', 'C1', 6)`)
	exec(`INSERT INTO course_skills (course_id, skill_id, level) SELECT c.id, k.id, 3 FROM courses c, skills k WHERE c.code = 'C1' AND k.code = $1`, skills[0])
	day := func(days int) *models.Date { d := models.DateOf(now.AddDate(0, 0, days)); return &d }
	for i, org := range []string{"TA", "TA", "TA-D", "TB", "TB", "TA", "TB", "TA-D", "TA", "TB", "TA", "TB", "TA-D", "TB"} {
		s := models.Staff{ExternalID: fmt.Sprintf("P%02d", i), Role: []string{"eng", "soc"}[i%2], FTE: 1, Status: models.StaffActive}
		switch i % 7 {
		case 1:
			s.EndDate = day(40 + rng.Intn(60)) // leaves within the horizon
		case 2:
			s.StartDate = day(20 + rng.Intn(60)) // starts later, active already
		case 3:
			s.Status = models.StaffLeaver // a leaver with no end date
		case 4:
			s.StartDate = day(-300)
		}
		id, err := db.OrganisationID(ctx, all, org)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateStaff(ctx, all, id, s); err != nil {
			t.Fatal(err)
		}
		for j := rng.Intn(4); j > 0; j-- {
			level := 1 + rng.Intn(4)
			assessed := now.AddDate(0, 0, -rng.Intn(200))
			e := models.NewEvidence{Skill: skills[rng.Intn(len(skills))], Level: &level, Source: models.SourceAssessment, AssessedAt: &assessed}
			if rng.Intn(2) == 0 {
				exp := now.AddDate(0, 0, 10+rng.Intn(150))
				e.ExpiresAt = &exp
			}
			if _, err := db.AddEvidence(ctx, all, org, s.ExternalID, e, 0, now); err != nil {
				t.Fatal(err)
			}
		}
		if i%4 == 0 {
			exec(`INSERT INTO enrolments (organisation_id, staff_id, course_id, enrolled_at, expected_completion)
				SELECT s.organisation_id, s.id, c.id, $2::date, $3::date FROM staff s, courses c WHERE s.external_id = $1 AND c.code = 'C1'`,
				s.ExternalID, models.DateOf(now).String(), day(30+rng.Intn(90)).String())
		}
	}
}

// The projection reads everyone as the maintained history's sums and projects apart only
// the people those sums cannot stand for; the answer equals projecting every active person
// one by one (the way before), rolled up over the organisations below too, and so does a
// scenario's.
func TestProjectionFromSumsEqualsProjectingEveryone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	admin := models.Principal{Role: models.RoleAdmin}
	for seed := int64(1); seed <= 3; seed++ {
		db := pgtest.New(t)
		svc := New(db, clocktest.Clock{}, Config{DefaultPassRate: 0.8})
		baseWorld(t, db, rand.New(rand.NewSource(seed)))
		id, err := db.OrganisationID(ctx, models.ScopeAll(), "ICB")
		if err != nil {
			t.Fatal(err)
		}
		icb := models.OrgRef{ID: id, Code: "ICB"}
		got, err := svc.Projection(ctx, admin, icb, ProjectionOptions{Months: 8, IncludeDescendants: true})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.PlanningSnapshot(ctx, models.ScopeAll(), id, svc.now())
		if err != nil {
			t.Fatal(err)
		}
		units, err := db.PlanningUnits(ctx, models.ScopeAll(), id, svc.now())
		if err != nil {
			t.Fatal(err)
		}
		in, world := svc.projectionInput(snap, 8, false)
		below := make([]models.ProjectionUnit, len(units))
		for i, u := range units {
			below[i] = models.ProjectionUnit{Organisation: u.Code, Parent: u.Parent, Targets: targetMap(u.Targets), Coverage: coverageMap(u.Coverage)}
		}
		if want := models.ProjectRollUp(in, "ICB", below); !reflect.DeepEqual(got.Rows, want) {
			t.Fatalf("seed %d: from the sums\n%+v\none by one\n%+v", seed, got.Rows, want)
		}
		changes := []models.ScenarioChange{
			{Type: "leaver", Organisation: "TB", StaffExternalID: "P06", From: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")},
			{Type: "enrol", Organisation: "TA", StaffExternalID: "P05", Course: "C1", From: clocktest.MonthStart(2).Format("2006-01")},
		}
		changes[0].From = clocktest.MonthStart(3).Format("2006-01")
		sc, err := svc.EvaluateScenario(ctx, admin, icb, Scenario{Months: 8, Changes: changes})
		if err != nil {
			t.Fatal(err)
		}
		world.Organisation = "ICB"
		changed, err := models.ApplyScenario(in, world, changes)
		if err != nil {
			t.Fatal(err)
		}
		if want := models.CompareProjections("ICB", models.Project(in), models.Project(changed)); !reflect.DeepEqual(sc, want) {
			t.Fatalf("seed %d: scenario from the sums\n%+v\none by one\n%+v", seed, sc, want)
		}
	}
}
