package api

import (
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// Figures of the gap reports that gaps_test.go does not pin down: tier summaries, every
// matrix cell, course suggestions, past dates on every report, the "any" basis, default
// targets by organisation type and size band, and the coverage endpoint's bodies.

// The skills of the default framework by tier, in framework order.
var (
	basicSkills = []string{"firewall-config", "secure-data", "malware-protection", "software-restriction",
		"secure-configuration", "patch-management", "access-control", "backup-recovery"}
	incidentSkills = []string{"incident-detection", "incident-management"}
	advancedSkills = []string{"penetration-testing", "digital-forensics", "security-architecture", "malware-analysis",
		"vulnerability-management", "security-monitoring", "threat-intelligence"}
)

// daysAgo is a date (YYYY-MM-DD, UTC) n days back, for ?at=.
func daysAgo(n int) string { return clocktest.Now().AddDate(0, 0, -n).Format("2006-01-02") }

// tiersOf renders a report's tier summaries and survey flags on one line.
func tiersOf(r models.GapReport) string {
	var parts []string
	for _, t := range r.Tiers {
		parts = append(parts, fmt.Sprintf("%s %v %d", t.Tier, t.HasGap, t.SkillsWithGap))
	}
	return fmt.Sprintf("%s | flags %v %v %v", strings.Join(parts, ", "), r.BasicSkillsGap, r.IncidentResponse, r.AdvancedSkillsGap)
}

func TestGapReportTierSummaries(t *testing.T) {
	e, admin := gapFixture(t)
	gaps := func(path string) models.GapReport {
		t.Helper()
		r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/"+path)
		return r
	}
	// TR1 on the defaults (medium trust): every basic skill has a gap (firewall from B's
	// essential need, the others from the unmet 3x2 target), both incident-response skills
	// miss their target, and no advanced target applies (digital forensics is only desirable).
	if got, want := tiersOf(gaps("TR1/gaps")), "basic true 8, incident_response true 2, advanced false 0 | flags true true false"; got != want {
		t.Errorf("TR1 defaults:\n got  %s\n want %s", got, want)
	}
	// The ICB roll-up adds TR2 (large): its advanced targets (3x1) are all unmet.
	if got, want := tiersOf(gaps("ICB1/gaps?include_descendants=true")), "basic true 8, incident_response true 2, advanced true 7 | flags true true true"; got != want {
		t.Errorf("ICB1 roll-up:\n got  %s\n want %s", got, want)
	}

	// Own targets leave one skill with a gap per tier: firewall (B's essential need, the
	// default target being met by A and D), incident management (default 3x2, no holder)
	// and digital forensics (3x1, only C's self-assessment).
	own := []map[string]any{
		{"skill": "incident-detection", "min_level": 3, "min_headcount": 1}, // C holds it
		{"skill": "digital-forensics", "min_level": 3, "min_headcount": 1},
	}
	for _, s := range basicSkills[1:] {
		own = append(own, map[string]any{"skill": s, "min_level": 3, "min_headcount": 0})
	}
	e.as(admin, "PUT", "/api/v1/organisations/TR1/targets", map[string]any{"targets": own}).expect(200)
	if got, want := tiersOf(gaps("TR1/gaps")), "basic true 1, incident_response true 1, advanced true 1 | flags true true true"; got != want {
		t.Errorf("TR1 own targets:\n got  %s\n want %s", got, want)
	}
	// Covering firewall configuration externally clears the basic tier and its flag.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/coverage", map[string]any{"coverage": []map[string]any{
		{"skill": "firewall-config", "provider": "Firewalls Ltd", "contract_end": clocktest.Now().AddDate(1, 0, 0).Format("2006-01-02")},
	}}).expect(200)
	if got, want := tiersOf(gaps("TR1/gaps")), "basic false 0, incident_response true 1, advanced true 1 | flags false true true"; got != want {
		t.Errorf("TR1 covered firewall:\n got  %s\n want %s", got, want)
	}
}

// cellsOf renders a matrix's cells keyed by role and skill (the order is not promised).
func cellsOf(m models.GapMatrix) map[string]string {
	out := map[string]string{}
	for _, c := range m.Cells {
		cov := "-"
		if c.Coverage != nil {
			cov = fmt.Sprintf("%.2f", *c.Coverage)
		}
		out[c.Role+" x "+c.Skill] = fmt.Sprintf("L%d %d/%d %s", c.RequiredLevel, c.Supply, c.Demand, cov)
	}
	return out
}

func TestGapMatrixEveryCell(t *testing.T) {
	e, admin := gapFixture(t)
	m := getJSON[models.GapMatrix](e, admin, "/api/v1/organisations/TR1/gaps/matrix")
	// TR1 and its department: eng held by A, B, D; soc by C.
	want := map[string]string{
		"eng x firewall-config":    "L3 2/3 0.67", // A and D
		"eng x backup-recovery":    "L2 1/3 0.33", // A
		"soc x incident-detection": "L3 1/1 1.00", // C
		"soc x digital-forensics":  "L2 0/1 0.00", // C's level 3 is self-assessed only
	}
	if got := cellsOf(m); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cells\n got  %v\n want %v", got, want)
	}
	if len(m.Cells) != 4 || fmt.Sprint(m.Roles) != "[eng soc]" || len(m.Skills) != 4 {
		t.Errorf("axes roles %v skills %v, %d cells", m.Roles, m.Skills, len(m.Cells))
	}
	// TR2 alone: E holds soc at incident detection 1.
	tr2 := getJSON[models.GapMatrix](e, admin, "/api/v1/organisations/TR2/gaps/matrix")
	if got, want := fmt.Sprint(cellsOf(tr2)), fmt.Sprint(map[string]string{
		"soc x incident-detection": "L3 0/1 0.00", "soc x digital-forensics": "L2 0/1 0.00"}); got != want {
		t.Errorf("TR2 cells %s, want %s", got, want)
	}
}

func TestRoleGapsAndMatrixAsOfPastDate(t *testing.T) {
	e, admin := gapFixture(t)
	// 35 days ago, before the evidence assessed 30 days ago: only B's level-4 certificate
	// (assessed 400 days ago, expired 10 days ago) was in force.
	at := daysAgo(35)
	roles := getJSON[models.RoleGapsReport](e, admin, "/api/v1/organisations/TR1/gaps/roles?at="+at)
	var got []string
	for _, r := range roles.Roles {
		got = append(got, fmt.Sprintf("%s %d/%d", r.Role, r.MeetingEssential, r.Headcount))
		for _, q := range r.Requirements {
			got = append(got, fmt.Sprintf("  %s %d/%d depth %d", q.Skill, q.Supply, q.Demand, q.Depth))
		}
	}
	want := []string{
		"eng 1/3",                          // B alone meets firewall configuration
		"  firewall-config 1/3 depth 6",    // A and D lack all 3 levels
		"  backup-recovery 0/3 depth 6",    // nobody had any backup evidence: 2 + 2 + 2
		"soc 0/1",                          // C's incident detection came later
		"  incident-detection 0/1 depth 3", // today 1/1 depth 0
		"  digital-forensics 0/1 depth 2",
	}
	expectLines(t, "roles as of "+at, got, want)
	if roles.At.Format("2006-01-02") != at {
		t.Errorf("report at %v, want %s", roles.At, at)
	}

	m := getJSON[models.GapMatrix](e, admin, "/api/v1/organisations/TR1/gaps/matrix?at="+at)
	wantCells := map[string]string{
		"eng x firewall-config":    "L3 1/3 0.33",
		"eng x backup-recovery":    "L2 0/3 0.00",
		"soc x incident-detection": "L3 0/1 0.00",
		"soc x digital-forensics":  "L2 0/1 0.00",
	}
	if got := cellsOf(m); fmt.Sprint(got) != fmt.Sprint(wantCells) {
		t.Errorf("matrix as of %s\n got  %v\n want %v", at, got, wantCells)
	}
	// Twenty days ago the certificate still held and A, C, D had their evidence: B meets
	// firewall configuration too.
	recent := getJSON[models.GapMatrix](e, admin, "/api/v1/organisations/TR1/gaps/matrix?at="+daysAgo(20))
	if got := cellsOf(recent)["eng x firewall-config"]; got != "L3 3/3 1.00" {
		t.Errorf("firewall 20 days ago: %s", got)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/matrix?at=2999-01-01", nil).problem(400)
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/roles?at=2999-01-01", nil).problem(400)
}

// needsOf renders a person's development needs with the courses suggested for each.
func needsOf(g models.StaffGaps) string {
	var out []string
	for _, n := range g.Needs {
		var courses []string
		for _, c := range n.Courses {
			courses = append(courses, fmt.Sprintf("%s@%d", c.Course, c.Level))
		}
		out = append(out, fmt.Sprintf("%s %s %d->%d depth %d [%s]", n.Skill, n.Criticality, n.Level, n.RequiredLevel, n.Depth,
			strings.Join(courses, " ")))
	}
	return strings.Join(out, "; ")
}

func TestPersonGapsSuggestCoursesAndAnswerForPastDates(t *testing.T) {
	e, admin := gapFixture(t)
	e.course(admin, "FW-201", "firewall-config", 2, 100)
	e.course(admin, "FW-401", "firewall-config", 4, 500)
	e.course(admin, "FW-301", "firewall-config", 3, 300)
	e.course(admin, "BACKUP-201", "backup-recovery", 2, 200)
	e.course(admin, "IR-301", "incident-detection", 3, 250) // B's role does not need it

	// B holds firewall 2 of the 3 required: courses conferring 3 and 4 are suggested,
	// cheapest first; FW-201 (level 2, not above what B holds) is not.
	b := getJSON[models.StaffGaps](e, admin, "/api/v1/organisations/TR1/staff/B/gaps")
	if got, want := needsOf(b), "firewall-config essential 2->3 depth 1 [FW-301@3 FW-401@4]; backup-recovery desirable 0->2 depth 2 [BACKUP-201@2]"; got != want {
		t.Errorf("B's needs:\n got  %s\n want %s", got, want)
	}

	// A meets every requirement today, so has no needs ...
	a := getJSON[models.StaffGaps](e, admin, "/api/v1/organisations/TR1/staff/A/gaps")
	if a.Needs == nil || len(a.Needs) != 0 {
		t.Errorf("A today: %+v", a.Needs)
	}
	// ... but 35 days ago, before A's evidence (assessed 30 days ago), A held nothing: every
	// firewall course confers a level above A's 0.
	at := daysAgo(35)
	past := getJSON[models.StaffGaps](e, admin, "/api/v1/organisations/TR1/staff/A/gaps?at="+at)
	if got, want := needsOf(past), "firewall-config essential 0->3 depth 3 [FW-201@2 FW-301@3 FW-401@4]; backup-recovery desirable 0->2 depth 2 [BACKUP-201@2]"; got != want {
		t.Errorf("A as of %s:\n got  %s\n want %s", at, got, want)
	}
	if past.At.Format("2006-01-02") != at {
		t.Errorf("report at %v, want %s", past.At, at)
	}
	// Twenty days ago B's level-4 certificate was in force: only backup was missing.
	b20 := getJSON[models.StaffGaps](e, admin, "/api/v1/organisations/TR1/staff/B/gaps?at="+daysAgo(20))
	if got, want := needsOf(b20), "backup-recovery desirable 0->2 depth 2 [BACKUP-201@2]"; got != want {
		t.Errorf("B 20 days ago: %s, want %s", got, want)
	}
}

// ?at= answers as of a past date on every report; the person report refuses a future
// one like the others (the projection is for what lies ahead).
func TestPersonGapsRefuseFutureDate(t *testing.T) {
	e, admin := gapFixture(t)
	if p := e.as(admin, "GET", "/api/v1/organisations/TR1/staff/B/gaps?at=2999-01-01", nil).problem(400); !p.hasFieldError("at") {
		t.Errorf("future date refused without naming at: %+v", p)
	}
}

func TestGapReportAnyBasis(t *testing.T) {
	e, admin := gapFixture(t)
	// B self-assesses firewall configuration at 3 (verified: 2); TR1 wants one verified
	// practitioner in digital forensics, which only C claims (self-assessed 3).
	e.as(admin, "POST", "/api/v1/organisations/TR1/staff/B/evidence",
		map[string]any{"skill": "firewall-config", "level": 3, "source": "self"}).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/TR1/targets", map[string]any{"targets": []map[string]any{
		{"skill": "digital-forensics", "min_level": 3, "min_headcount": 1}}}).expect(200)
	report := func(basis string) models.GapReport {
		t.Helper()
		r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps"+basis)
		return r
	}
	want := map[string]map[string]string{
		// Verified (the default): B counts at 2 and C's forensics not at all.
		"": {
			"firewall-config":   "demand=3 supply=2 shortfall=1 coverage=0.67 target=3x2 holders=2 met=true covered=false gap=true levels=0/1/1/1 risk=0.111",
			"digital-forensics": "demand=1 supply=0 shortfall=1 coverage=0.00 target=3x1 holders=0 met=false covered=false gap=true levels=0/0/0/0 risk=1.000",
		},
		// Any: the higher of verified and self-assessed, so B counts at 3 and C at 3.
		"?basis=any": {
			"firewall-config":   "demand=3 supply=3 shortfall=0 coverage=1.00 target=3x2 holders=3 met=true covered=false gap=false levels=0/0/2/1 risk=0.000",
			"digital-forensics": "demand=1 supply=1 shortfall=0 coverage=1.00 target=3x1 holders=1 met=true covered=false gap=false levels=0/0/1/0 risk=0.000",
		},
		// Self alone: A's and D's levels are verified only, so only B counts for firewall.
		"?basis=self": {
			"firewall-config": "demand=3 supply=1 shortfall=2 coverage=0.33 target=3x2 holders=1 met=false covered=false gap=true levels=0/0/1/0 risk=0.667",
		},
	}
	for basis, skills := range want {
		r := report(basis)
		wantBasis := strings.TrimPrefix(basis, "?basis=")
		if wantBasis == "" {
			wantBasis = "verified"
		}
		if string(r.Basis) != wantBasis {
			t.Errorf("%q reports basis %q", basis, r.Basis)
		}
		for skill, w := range skills {
			if got := brief(skillLine(t, r, skill)); got != w {
				t.Errorf("%q %s:\n got  %s\n want %s", basis, skill, got, w)
			}
		}
	}
}

// targetsOf renders a targets list, one "skill LxH source" per target.
func targetsOf(ts []models.SkillTarget) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s %dx%d %s", t.Skill, t.MinLevel, t.MinHeadcount, t.Source)
	}
	return out
}

// defaultsFor lists the default targets level x headcount for skills, as targetsOf renders them.
func defaultsFor(level, headcount int, skills ...[]string) []string {
	var out []string
	for _, group := range skills {
		for _, s := range group {
			out = append(out, fmt.Sprintf("%s %dx%d default", s, level, headcount))
		}
	}
	return out
}

func TestDefaultTargetsByTypeAndSizeBand(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	for _, o := range []map[string]any{
		{"code": "ICB1", "name": "ICB", "type": "icb"},
		{"code": "GP1", "name": "Practice", "type": "practice", "parent": "ICB1"}, // a practice sits under an ICB
		{"code": "OTH1", "name": "Other body", "type": "other"},
		{"code": "TRM", "name": "Trust of 249", "type": "trust", "headcount": 249},                          // medium, from its headcount
		{"code": "TRL", "name": "Trust of 250", "type": "trust", "headcount": 250},                          // large, from its headcount
		{"code": "TRS", "name": "Declared small", "type": "trust", "size_band": "small", "headcount": 9000}, // the declared band wins
		{"code": "TRL-D", "name": "Department", "type": "department", "parent": "TRL"},
	} {
		e.as(admin, "POST", "/api/v1/organisations", o).expect(201)
	}
	targets := func(code string) []string {
		t.Helper()
		l := getJSON[models.TargetsList](e, admin, "/api/v1/organisations/"+code+"/targets")
		if l.Organisation != code {
			t.Errorf("targets of %s name %q", code, l.Organisation)
		}
		return targetsOf(l.Targets)
	}
	trust := defaultsFor(3, 2, basicSkills, incidentSkills)
	for code, want := range map[string][]string{
		"GP1":   defaultsFor(2, 1, basicSkills, incidentSkills), // practices: basic and incident response at Working by one
		"OTH1":  defaultsFor(2, 1, basicSkills),                 // other bodies: basic only
		"TRM":   trust,                                          // under 250: no advanced target
		"TRL":   append(append([]string{}, trust...), defaultsFor(3, 1, advancedSkills)...),
		"TRS":   trust,
		"TRL-D": {}, // departments have none of their own
	} {
		expectLines(t, code+" targets", targets(code), want)
	}

	// The practice overrides firewall configuration: that one target becomes its own, the
	// rest stay default, and PUT answers with the targets now in force.
	var put models.TargetsList
	e.as(admin, "PUT", "/api/v1/organisations/GP1/targets", map[string]any{"targets": []map[string]any{
		{"skill": "firewall-config", "min_level": 3, "min_headcount": 2}}}).expect(200).decode(&put)
	want := append([]string{"firewall-config 3x2 organisation"}, defaultsFor(2, 1, basicSkills[1:], incidentSkills)...)
	expectLines(t, "PUT answer", targetsOf(put.Targets), want)
	expectLines(t, "GP1 after override", targets("GP1"), want)
	// The practice's gap report uses those targets (nobody on its staff holds anything).
	r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/GP1/gaps")
	if got := brief(skillLine(t, r, "firewall-config")); !strings.Contains(got, "target=3x2 holders=0 met=false") {
		t.Errorf("GP1 firewall: %s", got)
	}
	if got := brief(skillLine(t, r, "incident-management")); !strings.Contains(got, "target=2x1 holders=0 met=false") {
		t.Errorf("GP1 incident management: %s", got)
	}
}

func TestCoverageBodies(t *testing.T) {
	e, admin := gapFixture(t)
	// Nothing declared yet: an empty list, not null.
	if got := strings.TrimSpace(e.as(admin, "GET", "/api/v1/organisations/TR1/coverage", nil).expect(200).Body.String()); got != `{"organisation":"TR1","coverage":[]}` {
		t.Errorf("empty coverage body %s", got)
	}
	today := clocktest.Now()
	nextYear, yesterday := today.AddDate(1, 0, 0).Format("2006-01-02"), today.AddDate(0, 0, -1).Format("2006-01-02")
	body := map[string]any{"coverage": []map[string]any{
		{"skill": "security-monitoring", "provider": "NHS CSOC"}, // no end date: runs on
		{"skill": "incident-detection", "provider": "SOC Ltd", "contract_end": yesterday},
		{"skill": "backup-recovery", "provider": "Backup Co", "contract_end": nextYear},
		{"skill": "patch-management", "provider": "Patch Co", "contract_end": today.Format("2006-01-02")}, // ends today: counts again
	}}
	// Listed in framework order, each with whether its contract runs today.
	want := fmt.Sprintf(`{"organisation":"TR1","coverage":[`+
		`{"skill":"patch-management","provider":"Patch Co","contract_end":"%s","active":false},`+
		`{"skill":"backup-recovery","provider":"Backup Co","contract_end":"%s","active":true},`+
		`{"skill":"incident-detection","provider":"SOC Ltd","contract_end":"%s","active":false},`+
		`{"skill":"security-monitoring","provider":"NHS CSOC","active":true}]}`,
		today.Format("2006-01-02"), nextYear, yesterday)
	if got := strings.TrimSpace(e.as(admin, "PUT", "/api/v1/organisations/TR1/coverage", body).expect(200).Body.String()); got != want {
		t.Errorf("PUT body\n got  %s\n want %s", got, want)
	}
	if got := strings.TrimSpace(e.as(admin, "GET", "/api/v1/organisations/TR1/coverage", nil).expect(200).Body.String()); got != want {
		t.Errorf("GET body\n got  %s\n want %s", got, want)
	}
	// The gap report agrees: only running contracts cover a skill.
	r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps")
	for skill, covered := range map[string]bool{"backup-recovery": true, "incident-detection": false, "patch-management": false} {
		if l := skillLine(t, r, skill); l.CoveredExternally != covered || l.Gap == covered {
			t.Errorf("%s: %s", skill, brief(l))
		}
	}
	// Declarations are replaced, not merged: an empty list clears them all.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/coverage", map[string]any{"coverage": []any{}}).expect(200)
	if got := strings.TrimSpace(e.as(admin, "GET", "/api/v1/organisations/TR1/coverage", nil).expect(200).Body.String()); got != `{"organisation":"TR1","coverage":[]}` {
		t.Errorf("cleared coverage body %s", got)
	}
}
