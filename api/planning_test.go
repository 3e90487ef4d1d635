package api

import (
	"fmt"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// planningFixture adds to the gap fixture two courses and F, an engineer in TR1 whose
// level-3 firewall certificate lapses in the middle of the second month ahead (a manager
// vouches for level 1). Dates are the calendar's, not a number of days, so the fixture
// means the same on any day of the month.
func planningFixture(t *testing.T) (*testEnv, string) {
	e, admin := gapFixture(t)
	e.course(admin, "FW-301", "firewall-config", 3, 300)
	e.course(admin, "BACKUP-301", "backup-recovery", 3, 200)
	e.as(admin, "PUT", "/api/v1/organisations/TR1/staff/F", map[string]any{"role": "eng"}).expect(201)
	e.as(admin, "POST", "/api/v1/organisations/TR1/staff/F/evidence", map[string]any{"skill": "firewall-config", "level": 3,
		"source": "certification", "expires_at": clocktest.MonthStart(2).AddDate(0, 0, 14).Format(time.RFC3339)}).expect(201)
	e.as(admin, "POST", "/api/v1/organisations/TR1/staff/F/evidence", map[string]any{"skill": "firewall-config", "level": 1, "source": "manager"}).expect(201)
	return e, admin
}

// course creates a seven-hour course of the provider academy conferring one skill.
func (e *testEnv) course(token, code, skill string, level int, cost float64) {
	e.t.Helper()
	e.as(token, "PUT", "/api/v1/courses/"+code, map[string]any{"title": code, "provider": "academy", "cost": cost,
		"duration_hours": 7, "skills": []map[string]any{{"skill": skill, "level": level}}}).expect(201)
}

// row finds a projected skill in a month (0 = now).
func row(t *testing.T, rows []models.ProjectedSkillMonth, month int, skill string) models.ProjectedSkillMonth {
	t.Helper()
	want := clocktest.MonthStart(month)
	for _, r := range rows {
		if r.Skill == skill && r.Month.Equal(want) {
			return r
		}
	}
	t.Fatalf("no %s in month %d", skill, month)
	return models.ProjectedSkillMonth{}
}

func TestProjection(t *testing.T) {
	e, admin := planningFixture(t)
	nextMonth := clocktest.MonthStart(1).AddDate(0, 0, 14).Format("2006-01-02")
	e.as(admin, "POST", "/api/v1/organisations/TR1/enrolments", map[string]any{"staff_external_id": "B", "course": "FW-301",
		"expected_completion": nextMonth}).expect(201)
	p := getJSON[models.Projection](e, admin, "/api/v1/organisations/TR1/projection?months=4")
	// Firewall demand: A, B, D, F. Now A, D and F hold 3. By the end of month 1 B's
	// enrolment has completed (no history: the default pass rate, 0.8); in month 2 F's
	// certificate (mid-month) lapses.
	now, m1, m2 := row(t, p.Rows, 0, "firewall-config"), row(t, p.Rows, 1, "firewall-config"), row(t, p.Rows, 2, "firewall-config")
	got := fmt.Sprintf("now %.1f/%.0f, month 1 %.1f, month 2 %.1f", now.Supply, now.Demand, m1.Supply, m2.Supply)
	if want := "now 3.0/4, month 1 3.8, month 2 2.8"; got != want {
		t.Errorf("firewall supply: %s, want %s", got, want)
	}
	if p.DefaultPassRate != 0.8 || len(p.Rows) == 0 {
		t.Errorf("projection %+v", p)
	}
	csv := e.as(admin, "GET", "/api/v1/organisations/TR1/projection?months=1&format=csv", nil).expect(200).Body.String()
	if len(csv) < 50 || csv[:len("organisation,month,skill")] != "organisation,month,skill" {
		t.Errorf("CSV %q", csv)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/projection?months=99", nil).problem(400)
}

func TestScenarios(t *testing.T) {
	e, admin := planningFixture(t)
	month := func(n int) string { return clocktest.MonthStart(n).Format("2006-01") }
	body := map[string]any{"months": 3, "changes": []map[string]any{
		{"type": "hire", "role": "eng", "count": 2, "from": month(1)},
		{"type": "leaver", "staff_external_id": "A", "from": month(2)},
		{"type": "outsource", "skill": "backup-recovery", "provider": "Backup Co", "from": month(1)},
		{"type": "enrol", "staff_external_id": "B", "course": "FW-301", "from": month(1)},
	}}
	var ev models.ScenarioEvaluation
	e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios/evaluate", body).expect(200).decode(&ev)
	cell := func(m int, skill string) models.ComparedSkillMonth {
		for _, r := range ev.Rows {
			if r.Month == month(m) && r.Skill == skill {
				return r
			}
		}
		t.Fatalf("no %s in %s", skill, month(m))
		return models.ComparedSkillMonth{}
	}
	fw1, fw2 := cell(1, "firewall-config"), cell(2, "firewall-config")
	// Month 1: two untrained hires (demand 4 -> 6); B passes with 0.8. Month 2: A leaves
	// and F's certificate lapses: D and B's expected 0.8 remain.
	if fw1.Baseline.Demand != 4 || fw1.Scenario.Demand != 6 || fmt.Sprintf("%.1f", fw1.Scenario.Supply) != "3.8" ||
		fw2.Scenario.Demand != 5 || fmt.Sprintf("%.1f", fw2.Scenario.Supply) != "1.8" || fw2.Baseline.Supply != 2 {
		t.Errorf("firewall: month 1 %+v, month 2 %+v", fw1, fw2)
	}
	if b := cell(1, "backup-recovery"); !b.Baseline.Gap || b.Scenario.Gap || !b.Scenario.Covered {
		t.Errorf("outsourced backup %+v", b)
	}
	if b := cell(0, "backup-recovery"); !b.Scenario.Gap {
		t.Errorf("outsourcing starts next month, not now: %+v", b)
	}
	if len(ev.Months) != 4 || ev.Months[1].ScenarioGaps >= ev.Months[1].BaselineGaps {
		t.Errorf("summary %+v", ev.Months)
	}
	// New staff start untrained unless the hire states the levels they arrive with.
	var trained models.ScenarioEvaluation
	e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios/evaluate", map[string]any{"months": 1, "changes": []map[string]any{
		{"type": "hire", "role": "eng", "count": 2, "from": month(1), "levels": map[string]int{"firewall-config": 3}}}}).expect(200).decode(&trained)
	for _, r := range trained.Rows {
		if r.Month == month(1) && r.Skill == "firewall-config" && (r.Scenario.Demand != r.Baseline.Demand+2 || r.Scenario.Supply != r.Baseline.Supply+2) {
			t.Errorf("two hires at level 3: baseline %+v, scenario %+v", r.Baseline, r.Scenario)
		}
	}
	p := e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios/evaluate", map[string]any{"changes": []map[string]any{
		{"type": "hire", "role": "eng", "count": 1, "levels": map[string]int{"firewall-config": 7, "juggling": 2}}}}).problem(400)
	if !p.hasFieldError("changes[0].levels.firewall-config") || !p.hasFieldError("changes[0].levels.juggling") {
		t.Errorf("bad levels: %+v", p.Errors)
	}
	// Bad changes are named; nothing is stored by evaluating.
	p = e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios/evaluate", map[string]any{"changes": []map[string]any{
		{"type": "enrol", "staff_external_id": "NOBODY", "course": "NOPE"}, {"type": "hire", "role": "eng", "count": 0},
		{"type": "promote"}, {"type": "leaver", "staff_external_id": "A", "from": "next spring"}}}).problem(400)
	for _, f := range []string{"changes[0].staff_external_id", "changes[0].course", "changes[1].count", "changes[2].type", "changes[3].from"} {
		if !p.hasFieldError(f) {
			t.Errorf("errors %+v lack %s", p.Errors, f)
		}
	}
	// Saved scenarios are listed and re-evaluated on reading.
	body["name"] = "Hire two, outsource backups"
	var saved models.SavedScenario
	e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios", body).expect(201).decode(&saved)
	list := getJSON[Page[models.SavedScenario]](e, admin, "/api/v1/organisations/TR1/scenarios")
	if len(list.Items) != 1 || list.Items[0].Name != "Hire two, outsource backups" || len(list.Items[0].Changes) != 4 {
		t.Fatalf("list %+v", list.Items)
	}
	again := getJSON[models.ScenarioEvaluation](e, admin, "/api/v1/organisations/TR1/scenarios/"+itoa(saved.ID))
	if again.Scenario == nil || again.Scenario.ID != saved.ID || len(again.Rows) != len(ev.Rows) {
		t.Fatalf("saved evaluation %+v", again.Scenario)
	}
	e.as(e.mint(models.RoleHR, "TR2", ""), "GET", "/api/v1/organisations/TR1/scenarios/"+itoa(saved.ID), nil).problem(404)
	e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios", map[string]any{"changes": []map[string]any{}}).problem(400)
}

func TestTrainingPlan(t *testing.T) {
	e, admin := planningFixture(t)
	plan := getJSON[models.TrainingPlan](e, admin, "/api/v1/organisations/TR1/training-plan?horizon=3")
	// Needs at the horizon: B's firewall 3, and F's (the certificate lapses first). The
	// backup target (3 x 2) has no holder: A is closest (level 2), then D by id.
	got := map[string]string{}
	for _, en := range plan.Enrolments {
		got[en.Organisation+"/"+en.ExternalID] += en.Course
	}
	want := map[string]string{"TR1/B": "FW-301", "TR1/F": "FW-301", "TR1/A": "BACKUP-301", "TR1-D/D": "BACKUP-301"}
	if fmt.Sprint(got) != fmt.Sprint(want) || plan.Metric != "cost" || plan.TotalCost == nil || *plan.TotalCost != 1000 || !plan.Optimal {
		t.Errorf("plan %v cost %v metric %s optimal %v, want %v", got, plan.TotalCost, plan.Metric, plan.Optimal, want)
	}
	uncovered := map[string]bool{}
	for _, u := range plan.UncoveredTargets {
		uncovered[u.Skill] = true
	}
	if !uncovered["patch-management"] || uncovered["backup-recovery"] {
		t.Errorf("uncovered targets %+v", plan.UncoveredTargets)
	}
	var backup *models.ProjectedSkillMonth
	for i := range plan.Projected {
		if plan.Projected[i].Skill == "backup-recovery" {
			backup = &plan.Projected[i]
		}
	}
	if backup == nil || fmt.Sprintf("%.1f", backup.TargetHolders) != "1.6" {
		t.Errorf("backup at the horizon %+v", backup)
	}
	// Within a budget of 500, closing the most comes first: both backups (400) beat one
	// firewall and one backup (500).
	tight := getJSON[models.TrainingPlan](e, admin, "/api/v1/organisations/TR1/training-plan?horizon=3&budget=500")
	if len(tight.Enrolments) != 2 || *tight.TotalCost != 400 || len(tight.UncoveredNeeds) != 2 {
		t.Errorf("budget plan %+v", tight)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/training-plan?budget=-1", nil).problem(400)
}

// With include_descendants, each month's row counts the organisations below with a gap,
// each projected on its own subtree, targets and coverage; now, that agrees with the gap
// report's roll-up.
func TestProjectionRollsUpOrganisationsBelow(t *testing.T) {
	e, admin := gapFixture(t)
	report := getJSON[models.GapReport](e, admin, "/api/v1/organisations/ICB1/gaps?include_descendants=true")
	p := getJSON[models.Projection](e, admin, "/api/v1/organisations/ICB1/projection?months=2&include_descendants=true")
	if !p.IncludeDescendants {
		t.Error("the projection does not say it rolls up")
	}
	compared := 0
	for _, l := range report.Skills {
		for _, r := range p.Rows {
			if r.Skill != l.Skill || r.Month.After(p.Start) || r.OrganisationsWithGap == nil {
				continue
			}
			compared++
			if *r.OrganisationsWithGap != *l.OrganisationsWith || r.Gap != l.Gap {
				t.Errorf("%s now: projection %d below with a gap (gap %v), gap report %d (gap %v)",
					l.Skill, *r.OrganisationsWithGap, r.Gap, *l.OrganisationsWith, l.Gap)
			}
		}
	}
	if fw := row(t, p.Rows, 0, "firewall-config"); compared < 2 || *fw.OrganisationsWithGap != 2 {
		t.Errorf("compared %d skills; firewall now %+v", compared, fw)
	}
	// Without the roll-up, rows carry no count.
	plain := getJSON[models.Projection](e, admin, "/api/v1/organisations/ICB1/projection?months=1")
	if r := row(t, plain.Rows, 0, "firewall-config"); r.OrganisationsWithGap != nil || plain.IncludeDescendants {
		t.Errorf("plain projection %+v", r)
	}
	// Scope holds: an hr token of TR2 cannot roll up the ICB.
	e.as(e.mint(models.RoleHR, "TR2", ""), "GET", "/api/v1/organisations/ICB1/projection?include_descendants=true", nil).problem(404)
}
