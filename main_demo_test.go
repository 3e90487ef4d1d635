package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cyberskills/api"
	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
	"cyberskills/service"
)

// TestDemoIsWorthLookingAt loads the demo into a fresh database and reads it as its
// users would: RJ1's gap report has skills with and without a gap, the analyst's
// national headline publishes every survey measure while breakdowns publish some figures
// and withhold others, the training plan proposes enrolments, the projection moves, some
// certificates lapse within three months and posts are funded. A second load is refused,
// naming why.
func TestDemoIsWorthLookingAt(t *testing.T) {
	db, url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"demo"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{"export HR_TOKEN=csk_", "export ANALYST_TOKEN=csk_", "/dashboard/", "/docs/", "/api/v1/organisations/RJ1/gaps", "/api/v1/statistics/gaps"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo's output does not say %q:\n%s", want, out.String())
		}
	}
	srv := api.NewServer(service.New(db, clocktest.Clock{}, service.Config{DefaultPassRate: 0.8}),
		slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{RequestTimeout: 30 * time.Second, BodyLimit: 1 << 20})
	get := func(role models.Role, org, path string, into any) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+tokenFor(t, db, role, org))
		rec := httptest.NewRecorder()
		srv.Router().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), into) != nil {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
	}

	var gaps struct {
		Skills []struct {
			Skill  string
			Demand int
			Gap    bool
		}
	}
	get(models.RoleHR, "RJ1", "/api/v1/organisations/RJ1/gaps", &gaps)
	withGap, without, demand := 0, 0, 0
	for _, s := range gaps.Skills {
		demand += s.Demand
		if s.Gap {
			withGap++
		} else {
			without++
		}
	}
	if withGap == 0 || without == 0 || demand < 100 {
		t.Errorf("RJ1's gap report: %d skills with a gap, %d without, demand %d: nothing to read", withGap, without, demand)
	}

	var stats any
	get(models.RoleAnalyst, "", "/api/v1/statistics/gaps?group_by=icb,tier", &stats)
	published, suppressed := countFigures(stats)
	if published < 10 || suppressed == 0 {
		t.Errorf("statistics by ICB and tier: %d figures published, %d suppressed; want both", published, suppressed)
	}
	// The national headline, the dashboard's first view for an analyst, publishes every
	// survey measure: the demo's trusts are designed so that each ICB has trusts with and
	// without each gap, and no count equals the trusts (see examples/demo/design.go).
	type measure struct {
		Organisations struct {
			Value      *int
			Suppressed bool
		}
		Share *float64
	}
	var headline struct {
		BasicSkillsGap      measure `json:"basic_skills_gap"`
		IncidentResponseGap measure `json:"incident_response_gap"`
		AdvancedSkillsGap   measure `json:"advanced_skills_gap"`
	}
	get(models.RoleAnalyst, "", "/api/v1/statistics/headline", &headline)
	for _, m := range []struct {
		name string
		measure
	}{{"basic_skills_gap", headline.BasicSkillsGap}, {"incident_response_gap", headline.IncidentResponseGap},
		{"advanced_skills_gap", headline.AdvancedSkillsGap}} {
		if m.Organisations.Suppressed || m.Organisations.Value == nil || m.Share == nil {
			t.Errorf("the analyst's headline withholds %s: %+v", m.name, m.measure)
		}
	}
	// ...while breakdowns still show suppression: sectors of one trust are withheld whole.
	var bySector any
	get(models.RoleAnalyst, "", "/api/v1/statistics/gaps?group_by=sector", &bySector)
	if _, withheld := countFigures(bySector); withheld == 0 {
		t.Errorf("statistics by sector withhold nothing: %v", bySector)
	}

	var plan struct{ Enrolments []any }
	get(models.RoleHR, "RJ1", "/api/v1/organisations/RJ1/training-plan?horizon=6", &plan)
	if len(plan.Enrolments) == 0 {
		t.Error("RJ1's training plan proposes nothing")
	}

	// The projection moves: enrolments complete and certificates lapse within the year.
	var projection struct {
		Rows []struct {
			Month, Skill string
			Supply       float64
		}
	}
	get(models.RoleHR, "RJ1", "/api/v1/organisations/RJ1/projection?months=12", &projection)
	first, moved := map[string]float64{}, 0
	for _, r := range projection.Rows {
		if was, seen := first[r.Skill]; !seen {
			first[r.Skill] = r.Supply
		} else if r.Supply != was {
			moved++
		}
	}
	if moved == 0 {
		t.Errorf("RJ1's projection: supply stays where it is in every skill for %d rows", len(projection.Rows))
	}
	// Some certificates lapse in the next three months, and RJ1 funds posts.
	var expiring struct{ Items []any }
	get(models.RoleHR, "RJ1", "/api/v1/organisations/RJ1/expiring?within=90d", &expiring)
	var establishment struct{ Entries []any }
	get(models.RoleHR, "RJ1", "/api/v1/organisations/RJ1/establishment", &establishment)
	if len(expiring.Items) == 0 || len(establishment.Entries) == 0 {
		t.Errorf("RJ1: %d lapses within 90 days, %d establishment entries; want some of each", len(expiring.Items), len(establishment.Entries))
	}

	out.Reset()
	err := run([]string{"demo"}, clocktest.Clock{}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "loaded in this database already") {
		t.Fatalf("a second load: %v\n%s", err, out.String())
	}
	t.Logf("%s\nRJ1: %d skills with a gap, %d without; statistics: %d published, %d suppressed; basic skills gap published: %v; plan: %d enrolments",
		out.String(), withGap, without, published, suppressed, headline.BasicSkillsGap.Organisations.Value != nil, len(plan.Enrolments))
}

// countFigures counts the figures of a statistics answer: published ({"value": n}) and
// suppressed ({"value": null, "suppressed": true}).
func countFigures(v any) (published, suppressed int) {
	switch x := v.(type) {
	case map[string]any:
		if value, ok := x["value"]; ok && len(x) <= 2 {
			if x["suppressed"] == true {
				return 0, 1
			}
			if value != nil {
				return 1, 0
			}
		}
		for _, e := range x {
			p, s := countFigures(e)
			published, suppressed = published+p, suppressed+s
		}
	case []any:
		for _, e := range x {
			p, s := countFigures(e)
			published, suppressed = published+p, suppressed+s
		}
	}
	return published, suppressed
}
