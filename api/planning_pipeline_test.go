package api

import (
	"fmt"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// Posts funded from a future establishment period join the projection untrained on the
// period's first day; today's vacancies join from the start only when asked.
func TestProjectionFillsFundedPostsUntrained(t *testing.T) {
	e, admin := gapFixture(t)
	this := clocktest.Now()
	quarter := fmt.Sprintf("%d-Q%d", this.Year(), (int(this.Month())-1)/3+1)
	e.as(admin, "PUT", "/api/v1/organisations/TR1/establishment", map[string]any{"entries": []map[string]any{
		{"role": "eng", "period": quarter, "funded_posts": 5}, // A and B fill two of five
		{"role": "eng", "period": clocktest.MonthStart(2).Format("2006-01"), "funded_posts": 7},
	}}).expect(200)
	demand := func(query string) string {
		p := getJSON[models.Projection](e, admin, "/api/v1/organisations/TR1/projection?months=3"+query)
		out := ""
		for m := 0; m <= 3; m++ {
			r := row(t, p.Rows, m, "firewall-config")
			out += fmt.Sprintf("%.0f/%.0f ", r.Supply, r.Demand)
		}
		return out
	}
	// TR1's subtree needs firewall of A, B and D (A and D hold it); two more posts from
	// month 2, filled by nobody yet.
	if got, want := demand(""), "2/3 2/3 2/5 2/5 "; got != want {
		t.Errorf("supply/demand by month: %s, want %s", got, want)
	}
	// With vacancies, today's three vacant posts count from the start.
	if got, want := demand("&include_vacancies=true"), "2/6 2/6 2/8 2/8 "; got != want {
		t.Errorf("with vacancies: %s, want %s", got, want)
	}
}

// A course's observed pass rate, passed over completed (or withdrawn), weighs its open
// enrolments in the projection instead of the default.
func TestProjectionWeighsEnrolmentsByObservedPassRate(t *testing.T) {
	e, admin := planningFixture(t)
	trainer := e.mint(models.RoleTrainer, "", "academy")
	yesterday := clocktest.Now().AddDate(0, 0, -1).Format(time.RFC3339)
	for i, c := range []struct {
		org, id string
		passed  bool
	}{{"TR1", "A", true}, {"TR1-D", "D", true}, {"TR1", "F", true}, {"TR1", "C", false}} {
		e.as(trainer, "POST", "/api/v1/completions", map[string]any{"completion_id": fmt.Sprintf("PR-%d", i), "organisation": c.org,
			"staff_external_id": c.id, "course": "FW-301", "completed_at": yesterday, "passed": c.passed}).expect(201)
	}
	var enrolment models.Enrolment
	e.as(admin, "POST", "/api/v1/organisations/TR1/enrolments", map[string]any{"staff_external_id": "B", "course": "FW-301",
		"expected_completion": clocktest.MonthStart(1).AddDate(0, 0, 14).Format("2006-01-02")}).expect(201).decode(&enrolment)
	if enrolment.PassRate == nil || *enrolment.PassRate != 0.75 {
		t.Fatalf("FW-301's pass rate after three passes and a fail: %v, want 0.75", enrolment.PassRate)
	}
	p := getJSON[models.Projection](e, admin, "/api/v1/organisations/TR1/projection?months=2")
	// A, D and F hold firewall 3 (F's lapsing certificate now backed by the course, which
	// never expires); B passes next month with 0.75, not the default 0.8.
	if m1 := row(t, p.Rows, 1, "firewall-config"); fmt.Sprintf("%.2f/%.0f", m1.Supply, m1.Demand) != "3.75/4" {
		t.Errorf("firewall next month: %.2f/%.0f, want 3.75/4", m1.Supply, m1.Demand)
	}
}
