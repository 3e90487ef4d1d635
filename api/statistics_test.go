package api

import (
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// statisticsFixture: three regions of trusts, every trust needing only firewall-config
// (level 3, at least two holders; every other default target switched off), staff all
// in role eng (firewall-config 3, essential).
//
//	R1: six trusts of 10 staff; in three all meet it, in three half do  -> 3 with a gap
//	R2: two trusts of 4 staff, 2 meeting it in each                      -> 2 with a gap
//	R3: five trusts of 8 staff, all meeting it                           -> none
func statisticsFixture(t *testing.T) *testEnv {
	e := newEnv(t)
	e.as(e.admin(), "PUT", "/api/v1/roles/eng", map[string]any{"title": "Engineer",
		"requirements": []map[string]any{{"skill": "firewall-config", "level": 3, "criticality": "essential"}}}).expect(201)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	trust := func(region, sector, code string, staff, meeting int) {
		exec(`INSERT INTO organisations (code, name, type, sector, size_band, parent_id)
		      VALUES ($1, $1, 'trust', $2, 'medium', (SELECT id FROM organisations WHERE code = $3))`, code, sector, region)
		exec(`INSERT INTO staff (organisation_id, external_id, role_id)
		      SELECT o.id, 'S' || g, (SELECT id FROM job_roles WHERE code = 'eng')
		        FROM organisations o, generate_series(1, $2) g WHERE o.code = $1`, code, staff)
		exec(`INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at)
		      SELECT s.id, (SELECT id FROM skills WHERE code = 'firewall-config'), 1, 3, 'assessment', now() - interval '1 day'
		        FROM staff s JOIN organisations o ON o.id = s.organisation_id
		       WHERE o.code = $1 AND substr(s.external_id, 2)::int <= $2`, code, meeting)
	}
	for _, r := range []string{"R1", "R2", "R3"} {
		exec(`INSERT INTO organisations (code, name, type) VALUES ($1, 'Region ' || $1, 'region')`, r)
	}
	for i := 1; i <= 6; i++ {
		meeting := 10
		if i > 3 {
			meeting = 5
		}
		trust("R1", "acute", fmt.Sprintf("T%d", i), 10, meeting)
	}
	trust("R2", "mental_health", "U1", 4, 2)
	trust("R2", "mental_health", "U2", 4, 2)
	for i := 1; i <= 5; i++ {
		trust("R3", "acute", fmt.Sprintf("V%d", i), 8, 8)
	}
	exec(`INSERT INTO capability_targets (organisation_id, skill_id, min_level, min_headcount)
	      SELECT o.id, k.id, 3, 0 FROM organisations o, skills k
	       WHERE o.type = 'trust' AND k.code <> 'firewall-config' AND k.tier IN ('basic', 'incident_response')`)
	return e
}

func show(f disclosure.Figure) string {
	if f.Suppressed {
		return "x"
	}
	if f.Value == nil {
		return "-"
	}
	return fmt.Sprint(*f.Value)
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *p)
}

func TestStatisticsHeadline(t *testing.T) {
	e := statisticsFixture(t)
	analyst := e.mint(models.RoleAnalyst, "", "")
	h := getJSON[disclosure.HeadlineStatistics](e, analyst, "/api/v1/statistics/headline")
	got := fmt.Sprintf("orgs=%s basic=%s (%s%%) ir=%s advanced=%s", show(h.Organisations), show(h.BasicSkillsGap.Organisations),
		pct(h.BasicSkillsGap.Share), show(h.IncidentResponseGap.Organisations), show(h.AdvancedSkillsGap.Organisations))
	// No trust has an incident response gap, but a published 0 would tell R2's (two trusts,
	// withheld whole) too: it is withheld. No trust is evaluated in an advanced skill: 0.
	if want := "orgs=13 basic=5 (38.5%) ir=x advanced=0"; got != want {
		t.Errorf("headline %s, want %s", got, want)
	}
	if len(h.Skills) == 0 || h.Skills[0].Skill != "firewall-config" || show(h.Skills[0].Organisations) != "5" {
		t.Errorf("per skill %+v", h.Skills)
	}
	if !h.Metadata.DisclosureControl || len(h.Metadata.Rules) != 5 || h.Metadata.GeneratedAt.IsZero() || h.Metadata.Definitions["gap"] == "" {
		t.Errorf("metadata %+v", h.Metadata)
	}
	// A filter leaving fewer than five organisations is withheld for analysts...
	small := getJSON[disclosure.HeadlineStatistics](e, analyst, "/api/v1/statistics/headline?region=R2")
	if !small.Organisations.Suppressed || small.Organisations.Value != nil || small.BasicSkillsGap.Share != nil {
		t.Errorf("R2 for an analyst %+v", small)
	}
	// ...but admins may ask for raw figures; analysts may not.
	raw := getJSON[disclosure.HeadlineStatistics](e, e.admin(), "/api/v1/statistics/headline?region=R2&disclosure=none")
	if show(raw.Organisations) != "2" || show(raw.BasicSkillsGap.Organisations) != "2" || raw.Metadata.DisclosureControl {
		t.Errorf("R2 raw %+v", raw)
	}
	if p := e.as(analyst, "GET", "/api/v1/statistics/headline?disclosure=none", nil).problem(400); !p.hasFieldError("disclosure") {
		t.Errorf("analyst asking for raw figures: %+v", p)
	}
	// HR and trainers see no statistics.
	e.as(e.mint(models.RoleHR, "T1", ""), "GET", "/api/v1/statistics/headline", nil).problem(403)
}

func breakdownLines(b disclosure.BreakdownStatistics) []string {
	var out []string
	row := func(name string, g disclosure.StatGroup) {
		out = append(out, fmt.Sprintf("%s orgs=%s gap=%s share=%s demand=%s supply=%s shortfall=%s l3=%s coverage=%s",
			name, show(g.Organisations), show(g.OrganisationsWithGap), pct(g.ShareWithGap), show(g.Demand),
			show(g.Supply), show(g.Shortfall), show(g.StaffByLevel["3"]), pct(g.Coverage)))
	}
	for _, g := range b.Groups {
		row(strings.Join(mapValues(g.Group, b.GroupBy), "/"), g)
	}
	row("total", b.Total)
	return out
}

func mapValues(m map[string]string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func TestStatisticsBreakdownWithDisclosureControl(t *testing.T) {
	e := statisticsFixture(t)
	analyst := e.mint(models.RoleAnalyst, "", "")

	raw := getJSON[disclosure.BreakdownStatistics](e, e.admin(), "/api/v1/statistics/gaps?group_by=region&disclosure=none")
	wantRaw := []string{
		"R1 orgs=6 gap=3 share=50.0 demand=60 supply=45 shortfall=15 l3=45 coverage=75.0",
		"R2 orgs=2 gap=2 share=100.0 demand=8 supply=4 shortfall=4 l3=4 coverage=50.0",
		"R3 orgs=5 gap=0 share=0.0 demand=40 supply=40 shortfall=0 l3=40 coverage=100.0",
		"total orgs=13 gap=5 share=38.5 demand=108 supply=89 shortfall=19 l3=89 coverage=82.4",
	}
	expectLines(t, "raw", breakdownLines(raw), wantRaw)

	// For an analyst: R2 (two trusts) is withheld whole; a second region is withheld in
	// each figure so that R2 cannot be recovered from the total; staff counts are rounded
	// and percentages computed from what is published. R1's shortfall is withheld, so one
	// of its demand and supply is too: shortfall = demand - supply.
	controlled := getJSON[disclosure.BreakdownStatistics](e, analyst, "/api/v1/statistics/gaps?group_by=region")
	want := []string{
		"R1 orgs=6 gap=x share=- demand=60 supply=x shortfall=x l3=45 coverage=-",
		"R2 orgs=x gap=x share=- demand=x supply=x shortfall=x l3=x coverage=-",
		"R3 orgs=x gap=0 share=- demand=x supply=x shortfall=0 l3=x coverage=-",
		"total orgs=13 gap=5 share=38.5 demand=110 supply=90 shortfall=20 l3=90 coverage=81.8",
	}
	expectLines(t, "controlled", breakdownLines(controlled), want)
	if !controlled.Groups[1].Suppressed {
		t.Error("R2 not marked suppressed")
	}
	// A differencing attack across two groupings: with the breakdown by sector as well,
	// the mental-health trusts (exactly R2) are withheld there too.
	sectors := getJSON[disclosure.BreakdownStatistics](e, analyst, "/api/v1/statistics/gaps?group_by=sector")
	for _, g := range sectors.Groups {
		if g.Group["sector"] == "mental_health" && (!g.Suppressed || g.Demand.Value != nil) {
			t.Errorf("mental health published: %+v", g)
		}
		if g.Group["sector"] == "acute" && !g.Demand.Suppressed {
			t.Errorf("acute demand published (%s): total minus it gives the mental-health trusts", show(g.Demand))
		}
	}

	// Two dimensions, and CSV.
	two := getJSON[disclosure.BreakdownStatistics](e, e.admin(), "/api/v1/statistics/gaps?group_by=region,tier&disclosure=none")
	lines := breakdownLines(two)
	// Medium trusts have no advanced target and nobody needs an advanced skill: two tiers.
	if len(lines) != 7 || lines[0] != "R1/basic orgs=6 gap=3 share=50.0 demand=60 supply=45 shortfall=15 l3=45 coverage=75.0" ||
		!strings.HasPrefix(lines[1], "R1/incident_response orgs=6 gap=0") || !strings.HasPrefix(lines[6], "total orgs=13 gap=- ") {
		t.Errorf("region x tier:\n%s", strings.Join(lines, "\n"))
	}
	csv := e.as(analyst, "GET", "/api/v1/statistics/gaps?group_by=region&format=csv", nil).expect(200).Body.String()
	if !strings.HasPrefix(csv, "region,organisations,") || !strings.Contains(csv, "\nR2,,,,,,,,,,,\n") {
		t.Errorf("CSV:\n%s", csv)
	}
	e.as(analyst, "GET", "/api/v1/statistics/gaps?group_by=postcode", nil).problem(400)
	e.as(analyst, "GET", "/api/v1/statistics/gaps", nil).problem(400)
}

func TestStatisticsReflectNewEvidenceAndTrends(t *testing.T) {
	e := statisticsFixture(t)
	admin := e.admin()
	before := getJSON[disclosure.HeadlineStatistics](e, admin, "/api/v1/statistics/headline?disclosure=none")
	e.as(admin, "POST", "/api/v1/statistics/snapshots", nil).expect(201)
	// Closing U1's gap: its two unskilled staff gain level 3. The figures move at once.
	for _, id := range []string{"S3", "S4"} {
		e.as(admin, "POST", "/api/v1/organisations/U1/staff/"+id+"/evidence",
			map[string]any{"skill": "firewall-config", "level": 3, "source": "assessment"}).expect(201)
	}
	after := getJSON[disclosure.HeadlineStatistics](e, admin, "/api/v1/statistics/headline?disclosure=none")
	if show(before.BasicSkillsGap.Organisations) != "5" || show(after.BasicSkillsGap.Organisations) != "4" {
		t.Fatalf("basic gaps before %s, after %s", show(before.BasicSkillsGap.Organisations), show(after.BasicSkillsGap.Organisations))
	}
	e.as(admin, "POST", "/api/v1/statistics/snapshots", nil).expect(201)
	trend := getJSON[disclosure.Trends](e, admin, "/api/v1/statistics/trends?metric=basic_skills_gap_share&disclosure=none")
	if len(trend.Series) != 1 || len(trend.Series[0].Points) != 2 ||
		pct(trend.Series[0].Points[0].Value) != "38.5" || pct(trend.Series[0].Points[1].Value) != "30.8" {
		t.Fatalf("trend %+v", trend)
	}
	var byRegion disclosure.Trends
	e.as(e.mint(models.RoleAnalyst, "", ""), "GET", "/api/v1/statistics/trends?metric=organisations_with_gap&group_by=region", nil).expect(200).decode(&byRegion)
	if len(byRegion.Series) != 3 || !byRegion.Series[1].Points[0].Suppressed || byRegion.Series[1].Points[0].Value != nil {
		t.Fatalf("trend by region %+v", byRegion)
	}
	e.as(admin, "GET", "/api/v1/statistics/trends?metric=demand", nil).problem(400) // a group metric needs group_by
	if p := e.as(admin, "GET", "/api/v1/statistics/trends?metric=organisations&region=R1", nil).problem(400); !p.hasFieldError("region") {
		t.Errorf("a regional trend from national snapshots: %+v", p)
	}
	csv := e.as(admin, "GET", "/api/v1/statistics/trends?metric=basic_skills_gap_share&disclosure=none&format=csv", nil).expect(200).Body.String()
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 3 || lines[0] != "metric,at,value,suppressed" ||
		!strings.HasPrefix(lines[1], "basic_skills_gap_share,") || !strings.HasSuffix(lines[2], ",30.8000,false") {
		t.Errorf("trend as CSV:\n%s", csv)
	}
}

// Filters make totals of their own: the national headline less R1's and R3's would give
// R2, which the breakdown by region withholds. Under disclosure control a filtered answer
// publishes only what the breakdown by its dimensions publishes.
func TestStatisticsFiltersCannotUndoSuppression(t *testing.T) {
	e := statisticsFixture(t)
	analyst := e.mint(models.RoleAnalyst, "", "")
	headline := func(query string) disclosure.HeadlineStatistics {
		h := getJSON[disclosure.HeadlineStatistics](e, analyst, "/api/v1/statistics/headline"+query)
		return h
	}
	// A filtered headline publishes each figure as the tables do. R1's basic gap is withheld
	// in the breakdown by region and tier: with R3's 0, the national 5 less R1's would give R2's.
	if h := headline("?region=R1"); show(h.Organisations) != "6" || !h.BasicSkillsGap.Organisations.Suppressed {
		t.Errorf("R1: %s orgs, %s with a basic gap; want 6 and withheld", show(h.Organisations), show(h.BasicSkillsGap.Organisations))
	}
	// R3 has five trusts, enough on its own, but the breakdown by region withholds its
	// count to protect R2's; its gaps (none) are published as the breakdowns by region and
	// tier and by region and skill publish them.
	if h := headline("?region=R3"); !h.Organisations.Suppressed || show(h.BasicSkillsGap.Organisations) != "0" || len(h.Skills) == 0 ||
		show(h.Skills[0].Organisations) != "0" {
		t.Errorf("R3: %s orgs, %s with a basic gap; want withheld and 0", show(h.Organisations), show(h.BasicSkillsGap.Organisations))
	}
	// The total of a filtered breakdown is the filtered cell of the breakdown by region,
	// whose shortfall is withheld: R1's shortfall, taken from the national one, would give
	// R2's and R3's together, and with R3's from its own filter, R2's. Its supply is
	// withheld with it (shortfall = demand - supply).
	bySector := getJSON[disclosure.BreakdownStatistics](e, analyst, "/api/v1/statistics/gaps?group_by=sector&region=R1")
	lines := breakdownLines(bySector)
	if want := "total orgs=6 gap=x share=- demand=60 supply=x shortfall=x l3=45 coverage=-"; lines[len(lines)-1] != want {
		t.Errorf("R1 by sector:\n%s\nwant the total %s", strings.Join(lines, "\n"), want)
	}
	if len(bySector.Groups) != 1 || bySector.Groups[0].Group["sector"] != "acute" || bySector.Groups[0].Group["region"] != "" {
		t.Errorf("R1's groups %+v", bySector.Groups)
	}
	r3 := getJSON[disclosure.BreakdownStatistics](e, analyst, "/api/v1/statistics/gaps?group_by=region&region=R3")
	if len(r3.Groups) != 1 || !r3.Groups[0].Organisations.Suppressed || !r3.Total.Organisations.Suppressed {
		t.Errorf("R3 by region: %s", strings.Join(breakdownLines(r3), "\n"))
	}
	// Raw figures stay available to admins, with any filters.
	raw := getJSON[disclosure.HeadlineStatistics](e, e.admin(), "/api/v1/statistics/headline?region=R3&sector=acute&size_band=medium&disclosure=none")
	if show(raw.Organisations) != "5" {
		t.Errorf("R3 raw: %s orgs", show(raw.Organisations))
	}
	// The canonical tables are one- or two-way: more dimensions are refused under control.
	if p := e.as(analyst, "GET", "/api/v1/statistics/headline?region=R1&sector=acute&size_band=medium", nil).problem(400); !p.hasFieldError("size_band") {
		t.Errorf("three filters: %+v", p)
	}
	if p := e.as(analyst, "GET", "/api/v1/statistics/gaps?group_by=sector,tier&region=R1", nil).problem(400); !p.hasFieldError("group_by") {
		t.Errorf("a filter and two groupings: %+v", p)
	}
}

// A bad or missing trend metric gets one message, naming the metrics valid for the
// group_by given, and nothing else.
func TestTrendMetricNamesTheValidOnes(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	cases := []struct{ query, want string }{
		{"metric=demand", "must be one of organisations, basic_skills_gap_share, incident_response_gap_share, advanced_skills_gap_share without group_by"},
		{"", "must be one of organisations, basic_skills_gap_share, incident_response_gap_share, advanced_skills_gap_share without group_by"},
		{"metric=basic_skills_gap_share&group_by=region", "must be one of organisations, organisations_with_gap, share_with_gap, demand, supply, shortfall, coverage with group_by=region"},
	}
	for _, tc := range cases {
		p := e.as(admin, "GET", "/api/v1/statistics/trends?"+tc.query, nil).problem(400)
		if len(p.Errors) != 1 || p.Errors[0].Field != "metric" || p.Errors[0].Message != tc.want {
			t.Errorf("%q: %+v, want the one error metric: %s", tc.query, p.Errors, tc.want)
		}
	}
	p := e.as(admin, "GET", "/api/v1/statistics/trends?metric=demand&group_by=colour", nil).problem(400)
	if len(p.Errors) != 1 || p.Errors[0].Field != "group_by" {
		t.Errorf("a bad group_by: %+v, want only its own error", p.Errors)
	}
}

// The filter an answer repeats has the query's snake_case names, as the description says.
func TestStatisticsFilterKeysAreSnakeCase(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/statistics/headline?size_band=large&disclosure=none", "/api/v1/statistics/gaps?group_by=tier&size_band=large&disclosure=none"} {
		var got struct {
			Filter map[string]any `json:"filter"`
		}
		e.as(e.admin(), "GET", path, nil).expect(200).decode(&got)
		if len(got.Filter) != 2 || got.Filter["type"] != "trust" || got.Filter["size_band"] != "large" {
			t.Errorf("%s: filter %v, want {type: trust, size_band: large}", path, got.Filter)
		}
	}
}
