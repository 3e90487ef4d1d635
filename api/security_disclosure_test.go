package api

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// TestSecurityCrossTableDisclosure attacks the published statistics as an analyst would:
// it fetches everything an analyst token can (the organisation register, every headline,
// every breakdown under every filter the API accepts, every trend), then solves for each
// withheld figure from the rest (sums of parts equal totals, shortfall = demand - supply,
// published zeros, counts being whole and never negative, with_gap never above the
// organisations, a gap in a skill being a gap in its tier). No withheld figure may follow
// from the published ones by addition and subtraction, nor be pinned to one value.
//
// The fixture holds the three situations of issue 16: region R1 and ICB I1 are the same
// trusts, as are sector mental_health and ICB I2; staff figures are tied by shortfall =
// demand - supply; and several tiers and levels are 0 nationally while groups of fewer
// than five trusts inside them are withheld.
func TestSecurityCrossTableDisclosure(t *testing.T) {
	e := newEnv(t)
	disclosureFixture(t, e)
	e.as(e.admin(), "POST", "/api/v1/statistics/snapshots?type=trust", nil).expect(201)

	analyst := e.mint(models.RoleAnalyst, "", "")
	a := newAttacker(t, registerOf(e, analyst), skillsOf(e, analyst))
	// Statistics of regions and ICBs (three and four here, fewer than five) are withheld
	// whole, and their size bands come from their staff, which the register does not show.
	fetchEverything(e, analyst, a, "trust")
	report := a.solve()
	t.Logf("%d figures fetched: %d distinct, %d of them withheld", a.observations, len(a.cells), report.withheld)
	if len(report.linear) > 0 {
		t.Errorf("%d withheld figures follow from published ones by addition and subtraction:\n%s",
			len(report.linear), strings.Join(report.linear, "\n"))
	}
	if len(report.pinned) > 0 {
		t.Errorf("%d withheld figures are pinned to one value:\n%s", len(report.pinned), strings.Join(report.pinned, "\n"))
	}
	if report.withheld == 0 {
		t.Fatal("nothing withheld: the fixture no longer exercises disclosure control")
	}
}

// disclosureFixture builds, through the API, 17 trusts in three regions and four ICBs:
//
//	R1 = I1: T1 T2 acute medium, T3 T4 acute large, T5 T6 community small
//	R2: I2 = U1 U2 mental health medium; I3 = U3 U4 U5 acute large, U6 community small
//	R3 = I4: V1-V5 acute medium
//
// Role eng needs firewall-config at 3 and incident-detection at 2 (both essential), role
// ops backup-recovery at 2. Every trust's targets are off but firewall-config's (two
// people at 3) and, for U5, the advanced tier's (the default for large trusts).
func disclosureFixture(t *testing.T, e *testEnv) {
	t.Helper()
	admin := e.admin()
	e.as(admin, "PUT", "/api/v1/roles/eng", map[string]any{"title": "Engineer", "requirements": []map[string]any{
		{"skill": "firewall-config", "level": 3, "criticality": "essential"},
		{"skill": "incident-detection", "level": 2, "criticality": "essential"}}}).expect(201)
	e.as(admin, "PUT", "/api/v1/roles/ops", map[string]any{"title": "Operations", "requirements": []map[string]any{
		{"skill": "backup-recovery", "level": 2, "criticality": "essential"}}}).expect(201)
	org := func(code, typ, parent, sector, size string) {
		body := map[string]any{"code": code, "name": "Org " + code, "type": typ}
		for k, v := range map[string]string{"parent": parent, "sector": sector, "size_band": size} {
			if v != "" {
				body[k] = v
			}
		}
		e.as(admin, "POST", "/api/v1/organisations", body).expect(201)
	}
	for _, r := range []string{"R1", "R2", "R3"} {
		org(r, "region", "", "", "")
	}
	for _, i := range [][2]string{{"I1", "R1"}, {"I2", "R2"}, {"I3", "R2"}, {"I4", "R3"}} {
		org(i[0], "icb", i[1], "", "")
	}
	skills := skillsOf(e, admin)
	// A trust: its staff (eng, then ops) and their evidence, given per person as
	// "skill:level" lists, and its targets.
	type person struct {
		role     string
		evidence []string
	}
	trust := func(code, icb, sector, size string, advanced bool, staff []person) {
		t.Helper()
		org(code, "trust", icb, sector, size)
		var targets []map[string]any
		for _, k := range skills {
			if k.Code != "firewall-config" && (k.Tier != "advanced" || !advanced) {
				targets = append(targets, map[string]any{"skill": k.Code, "min_level": 3, "min_headcount": 0})
			}
		}
		e.as(admin, "PUT", "/api/v1/organisations/"+code+"/targets", map[string]any{"targets": targets}).expect(200)
		people, evidence := "external_id,role\n", "external_id,skill,level,source\n"
		for i, p := range staff {
			id := fmt.Sprintf("%s-%d", code, i+1)
			people += id + "," + p.role + "\n"
			for _, ev := range p.evidence {
				skill, level, _ := strings.Cut(ev, ":")
				evidence += id + "," + skill + "," + level + ",assessment\n"
			}
		}
		e.as(admin, "POST", "/api/v1/organisations/"+code+"/staff/import", csvBody(people)).expect(200)
		if strings.Count(evidence, "\n") > 1 {
			e.as(admin, "POST", "/api/v1/organisations/"+code+"/evidence/import", csvBody(evidence)).expect(200)
		}
	}
	// many is n people of a role with the same evidence.
	many := func(n int, role string, evidence ...string) []person {
		out := make([]person, n)
		for i := range out {
			out[i] = person{role, evidence}
		}
		return out
	}
	join := func(groups ...[]person) []person { return slices.Concat(groups...) }
	full, fwOnly, idOnly := []string{"firewall-config:3", "incident-detection:2"}, []string{"firewall-config:3"}, []string{"incident-detection:2"}

	trust("T1", "I1", "acute", "medium", false, join(many(8, "eng", full...), many(2, "eng", "firewall-config:4", "incident-detection:2")))
	trust("T2", "I1", "acute", "medium", false, many(10, "eng", full...))
	trust("T3", "I1", "acute", "large", false, join(many(9, "eng", full...), many(1, "eng", idOnly...)))
	trust("T4", "I1", "acute", "large", false, join(many(5, "eng", full...), many(3, "eng", idOnly...), many(2, "eng")))
	trust("T5", "I1", "community", "small", false, join(many(4, "eng", full...), many(1, "ops")))
	trust("T6", "I1", "community", "small", false, join(many(2, "eng", full...), many(1, "eng", idOnly...)))
	trust("U1", "I2", "mental_health", "medium", false, join(many(2, "eng", full...), many(2, "eng", idOnly...)))
	trust("U2", "I2", "mental_health", "medium", false, many(4, "eng", full...))
	trust("U3", "I3", "acute", "large", false, join(many(3, "eng", full...), many(5, "eng", fwOnly...), many(3, "ops", "backup-recovery:2")))
	trust("U4", "I3", "acute", "large", false, many(8, "eng", full...))
	trust("U5", "I3", "acute", "large", true, join(many(6, "eng", full...), many(2, "eng", idOnly...)))
	trust("U6", "I3", "community", "small", false, many(3, "eng", idOnly...))
	for i := 1; i <= 5; i++ {
		staff := many(8, "eng", full...)
		if i == 1 {
			staff = join(staff, many(2, "ops", "backup-recovery:2", "malware-protection:1"))
		}
		trust(fmt.Sprintf("V%d", i), "I4", "acute", "medium", false, staff)
	}
}

// registerOf is the organisation register as an analyst reads it.
func registerOf(e *testEnv, token string) []models.Organisation {
	var all []models.Organisation
	for cursor := ""; ; {
		page := getJSON[Page[models.Organisation]](e, token, "/api/v1/organisations?limit=1000&cursor="+url.QueryEscape(cursor))
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all
		}
	}
}

// skillsOf is the default framework's skills as an analyst reads them.
func skillsOf(e *testEnv, token string) []models.SkillEntry {
	return getJSON[Page[models.SkillEntry]](e, token, "/api/v1/frameworks/cyber/skills?limit=1000").Items
}

// orgDims are the dimensions a filter may name.
var orgDims = []string{"region", "icb", "sector", "size_band"}

// fetchEverything asks every headline, breakdown and trend an analyst may ask about
// organisations of type typ, and hands what is published to the attacker. A request the
// API refuses (400: too many dimensions under disclosure control) publishes nothing.
func fetchEverything(e *testEnv, token string, a *attacker, typ string) {
	values := a.dimensionValues(typ)
	// Every filter of up to two dimensions, with every value each takes (and one no
	// organisation has).
	filters := []url.Values{{}}
	for i, d := range orgDims {
		for _, v := range append(values[d], "NONE") {
			filters = append(filters, url.Values{d: {v}})
			for _, d2 := range orgDims[i+1:] {
				for _, v2 := range values[d2] {
					filters = append(filters, url.Values{d: {v}, d2: {v2}})
				}
			}
		}
	}
	get := func(path string, q url.Values, v any) bool {
		q.Set("type", typ)
		r := e.as(token, "GET", path+"?"+q.Encode(), nil)
		if r.Code == 400 {
			return false
		}
		r.expect(200).decode(v)
		return true
	}
	dims := models.StatisticsDimensions()
	var groupings [][]string
	for _, d := range dims {
		groupings = append(groupings, []string{d})
		for _, d2 := range dims {
			if d2 != d {
				groupings = append(groupings, []string{d, d2})
			}
		}
	}
	for _, f := range filters {
		var h disclosure.HeadlineStatistics
		if get("/api/v1/statistics/headline", clone(f), &h) {
			a.headline(typ, f, h)
		}
		for _, g := range groupings {
			if len(disclosure.ControlledDims(filterOf(f), g)) > disclosure.MaxControlledDims {
				continue // refused, as the test of the filters checks
			}
			q := clone(f)
			q.Set("group_by", strings.Join(g, ","))
			var b disclosure.BreakdownStatistics
			if get("/api/v1/statistics/gaps", q, &b) {
				a.breakdown(typ, f, b)
			}
		}
	}
	for _, metric := range disclosure.HeadlineMetrics {
		var tr disclosure.Trends
		if get("/api/v1/statistics/trends", url.Values{"metric": {metric}}, &tr) {
			a.trends(typ, tr)
		}
	}
	for _, d := range dims {
		for _, metric := range disclosure.GroupMetrics {
			var tr disclosure.Trends
			if get("/api/v1/statistics/trends", url.Values{"metric": {metric}, "group_by": {d}}, &tr) {
				a.trends(typ, tr)
			}
		}
	}
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func filterOf(v url.Values) models.StatisticsFilter {
	return models.StatisticsFilter{Region: v.Get("region"), ICB: v.Get("icb"), Sector: v.Get("sector"), SizeBand: v.Get("size_band")}
}
