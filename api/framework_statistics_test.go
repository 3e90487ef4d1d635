package api

import (
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// niceWorkforce: two departments of region R9, with no default targets, whose one member
// each holds a role over the NICE Framework requiring K0878 (network firewalls, mapped to
// firewall-config, a basic skill) and K0018 (encryption algorithms, mapped to nothing).
// DA's member lacks K0878, DB's lacks K0018.
func niceWorkforce(t *testing.T) *testEnv {
	e := newEnv(t)
	admin := e.admin()
	e.as(admin, "POST", "/api/v1/organisations", map[string]any{"code": "R9", "name": "Region nine", "type": "region"}).expect(201)
	for _, d := range []string{"DA", "DB"} {
		e.as(admin, "POST", "/api/v1/organisations", map[string]any{"code": d, "name": "Department " + d, "type": "department", "parent": "R9"}).expect(201)
	}
	e.as(admin, "PUT", "/api/v1/roles/nice-net", map[string]any{"title": "Network defender", "framework": "nice",
		"requirements": []map[string]any{{"skill": "K0878", "level": 2, "criticality": "essential"},
			{"skill": "K0018", "level": 2, "criticality": "essential"}}}).expect(201)
	held := map[string]string{"DA": "K0018", "DB": "K0878"}
	for _, d := range []string{"DA", "DB"} {
		e.as(admin, "PUT", "/api/v1/organisations/"+d+"/staff/S1", map[string]any{"role": "nice-net"}).expect(201)
		e.as(admin, "POST", "/api/v1/organisations/"+d+"/staff/S1/evidence",
			map[string]any{"skill": held[d], "framework": "nice", "level": 2, "source": "assessment"}).expect(201)
	}
	return e
}

// TestStatisticsCountOtherFrameworksThroughTheMapping: a gap in a NICE statement counts
// in the survey tier of the default framework's skill it is mapped to, and in none when
// it is mapped to nothing.
func TestStatisticsCountOtherFrameworksThroughTheMapping(t *testing.T) {
	e := niceWorkforce(t)
	h := getJSON[disclosure.HeadlineStatistics](e, e.admin(), "/api/v1/statistics/headline?type=department&region=R9&disclosure=none")
	got := fmt.Sprintf("orgs=%s basic=%s ir=%s advanced=%s", show(h.Organisations), show(h.BasicSkillsGap.Organisations),
		show(h.IncidentResponseGap.Organisations), show(h.AdvancedSkillsGap.Organisations))
	if want := "orgs=2 basic=1 ir=0 advanced=0"; got != want {
		t.Fatalf("headline %s, want %s", got, want)
	}
	var skills []string
	for _, s := range h.Skills {
		skills = append(skills, s.Skill+"/"+s.Tier+"="+show(s.Organisations))
	}
	if want := "K0018/=1 K0878/basic=1"; strings.Join(skills, " ") != want {
		t.Fatalf("per skill %v, want %s", skills, want)
	}
	b := getJSON[disclosure.BreakdownStatistics](e, e.admin(), "/api/v1/statistics/gaps?type=department&region=R9&group_by=tier&disclosure=none")
	lines := breakdownLines(b)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "basic orgs=2 gap=1 ") {
		t.Fatalf("by tier:\n%s", strings.Join(lines, "\n"))
	}
}

// TestGapReportsAcrossFrameworks: an organisation's gap report names each skill's
// framework and counts NICE statements in the survey tier they are mapped to.
func TestGapReportsAcrossFrameworks(t *testing.T) {
	e := niceWorkforce(t)
	for d, want := range map[string]string{"DA": "K0878 nice basic gap | basic true", "DB": "K0018 nice - gap | basic false"} {
		r := getJSON[models.GapReport](e, e.admin(), "/api/v1/organisations/"+d+"/gaps")
		var lines []string
		for _, l := range r.Skills {
			if l.Gap {
				tier := l.Tier
				if tier == "" {
					tier = "-"
				}
				lines = append(lines, l.Skill+" "+l.Framework+" "+tier+" gap")
			}
		}
		if got := strings.Join(lines, ", ") + fmt.Sprintf(" | basic %v", r.BasicSkillsGap); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}
