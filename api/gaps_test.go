package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// gapFixture builds a small tree with known staff and evidence:
//
//	REG (region) > ICB1 (icb) > TR1 (trust, medium) > TR1-D (department)
//	                          > TR2 (trust, large)
//
// Roles: eng needs firewall-config 3 (essential) and backup-recovery 2 (desirable);
// soc needs incident-detection 3 (essential) and digital-forensics 2 (desirable).
//
//	TR1   A eng: firewall 3, backup 2                     -> meets both
//	TR1   B eng: firewall 2 (a level-4 certificate expired 10 days ago), no backup
//	TR1   C soc: incident-detection 3; digital-forensics 3 self-assessed only
//	TR1-D D eng: firewall 4
//	TR2   E soc: incident-detection 1
func gapFixture(t *testing.T) (*testEnv, string) {
	e := newEnv(t)
	admin := e.admin()
	for _, o := range []struct{ code, typ, parent, band string }{
		{"REG", "region", "", ""}, {"ICB1", "icb", "REG", ""}, {"TR1", "trust", "ICB1", "medium"},
		{"TR2", "trust", "ICB1", "large"}, {"TR1-D", "department", "TR1", ""},
	} {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id, size_band)
			VALUES ($1, $1, $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')), NULLIF($4, ''))`,
			o.code, o.typ, o.parent, o.band); err != nil {
			t.Fatal(err)
		}
	}
	role := func(code string, reqs ...map[string]any) {
		e.as(admin, "PUT", "/api/v1/roles/"+code, map[string]any{"title": code, "requirements": reqs}).expect(201)
	}
	req := func(skill string, level int, crit string) map[string]any {
		return map[string]any{"skill": skill, "level": level, "criticality": crit}
	}
	role("eng", req("firewall-config", 3, "essential"), req("backup-recovery", 2, "desirable"))
	role("soc", req("incident-detection", 3, "essential"), req("digital-forensics", 2, "desirable"))
	person := func(org, id, role string) {
		e.as(admin, "PUT", "/api/v1/organisations/"+org+"/staff/"+id, map[string]any{"role": role}).expect(201)
	}
	ago := func(days int) string { return clocktest.Now().AddDate(0, 0, -days).UTC().Format(time.RFC3339) }
	evidence := func(org, id, skill string, level int, source string, assessedDaysAgo, expiresDaysAgo int) {
		body := map[string]any{"skill": skill, "level": level, "source": source, "assessed_at": ago(assessedDaysAgo)}
		if expiresDaysAgo != 0 {
			body["expires_at"] = ago(expiresDaysAgo)
		}
		e.as(admin, "POST", "/api/v1/organisations/"+org+"/staff/"+id+"/evidence", body).expect(201)
	}
	person("TR1", "A", "eng")
	person("TR1", "B", "eng")
	person("TR1", "C", "soc")
	person("TR1-D", "D", "eng")
	person("TR2", "E", "soc")
	evidence("TR1", "A", "firewall-config", 3, "manager", 30, 0)
	evidence("TR1", "A", "backup-recovery", 2, "assessment", 30, 0)
	evidence("TR1", "B", "firewall-config", 4, "certification", 400, 10)
	evidence("TR1", "B", "firewall-config", 2, "manager", 30, 0)
	evidence("TR1", "C", "incident-detection", 3, "training", 30, 0)
	evidence("TR1", "C", "digital-forensics", 3, "self", 30, 0)
	evidence("TR1-D", "D", "firewall-config", 4, "assessment", 30, 0)
	evidence("TR2", "E", "incident-detection", 1, "manager", 30, 0)
	return e, admin
}

func skillLine(t *testing.T, r models.GapReport, skill string) models.SkillGapLine {
	t.Helper()
	for _, l := range r.Skills {
		if l.Skill == skill {
			return l
		}
	}
	t.Fatalf("no line for %s in %+v", skill, r.Skills)
	return models.SkillGapLine{}
}

// brief renders the figures a test asserts on, for one comparison per line.
func brief(l models.SkillGapLine) string {
	cov := "-"
	if l.Coverage != nil {
		cov = fmt.Sprintf("%.2f", *l.Coverage)
	}
	target := "-"
	if l.Target != nil {
		target = fmt.Sprintf("%dx%d", l.Target.MinLevel, l.Target.MinHeadcount)
	}
	return fmt.Sprintf("demand=%d supply=%d shortfall=%d coverage=%s target=%s holders=%d met=%v covered=%v gap=%v levels=%d/%d/%d/%d risk=%.3f",
		l.Demand, l.Supply, l.Shortfall, cov, target, l.TargetHolders, l.TargetMet, l.CoveredExternally, l.Gap,
		l.StaffByLevel["1"], l.StaffByLevel["2"], l.StaffByLevel["3"], l.StaffByLevel["4"], l.Risk)
}

func TestOrganisationGapReport(t *testing.T) {
	e, admin := gapFixture(t)
	r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps")
	// TR1's figures cover its department: A, B, C and D.
	want := map[string]string{
		// A and D meet; B holds 2 of 3. The default trust target 3x2 is met by A and D,
		// but B's essential requirement is not. risk = 3*1 / 3*(3+3+3) = 1/9
		"firewall-config": "demand=3 supply=2 shortfall=1 coverage=0.67 target=3x2 holders=2 met=true covered=false gap=true levels=0/1/1/1 risk=0.111",
		// Desirable only: B and D lack 2 levels each. risk = 4/6. Target 3x2 unmet: a gap.
		"backup-recovery": "demand=3 supply=1 shortfall=2 coverage=0.33 target=3x2 holders=0 met=false covered=false gap=true levels=0/1/0/0 risk=0.667",
		// C meets; the incident-response target 3x2 has one holder.
		"incident-detection": "demand=1 supply=1 shortfall=0 coverage=1.00 target=3x2 holders=1 met=false covered=false gap=true levels=0/0/1/0 risk=0.000",
		// Desirable and self-assessed only: no gap, full risk; a medium trust has no advanced target.
		"digital-forensics": "demand=1 supply=0 shortfall=1 coverage=0.00 target=- holders=0 met=true covered=false gap=false levels=0/0/0/0 risk=1.000",
		// Nobody needs or holds it, but the default target applies.
		"patch-management": "demand=0 supply=0 shortfall=0 coverage=- target=3x2 holders=0 met=false covered=false gap=true levels=0/0/0/0 risk=0.000",
	}
	for skill, w := range want {
		if got := brief(skillLine(t, r, skill)); got != w {
			t.Errorf("%s:\n got  %s\n want %s", skill, got, w)
		}
	}
	if !r.BasicSkillsGap || !r.IncidentResponse || r.AdvancedSkillsGap {
		t.Errorf("flags basic=%v ir=%v advanced=%v", r.BasicSkillsGap, r.IncidentResponse, r.AdvancedSkillsGap)
	}
	if len(r.Skills) != 11 { // 8 basic + 2 incident response with targets, + digital-forensics demanded
		t.Errorf("%d skill lines", len(r.Skills))
	}

	// External coverage: reported, not a gap, until the contract ends.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/coverage", map[string]any{"coverage": []map[string]any{
		{"skill": "backup-recovery", "provider": "Backup Co", "contract_end": clocktest.Now().AddDate(1, 0, 0).Format("2006-01-02")},
		{"skill": "incident-detection", "provider": "SOC Ltd", "contract_end": clocktest.Now().AddDate(0, 0, -1).Format("2006-01-02")},
	}}).expect(200)
	covered := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps")
	if l := skillLine(t, covered, "backup-recovery"); !l.CoveredExternally || l.Gap || l.ExternalCoverage == nil || l.ExternalCoverage.Provider != "Backup Co" {
		t.Errorf("covered backup: %s %+v", brief(l), l.ExternalCoverage)
	}
	if l := skillLine(t, covered, "incident-detection"); l.CoveredExternally || !l.Gap {
		t.Errorf("ended contract: %s", brief(l))
	}

	// An organisation's own target overrides the default; 0 switches one off.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/targets", map[string]any{"targets": []map[string]any{
		{"skill": "firewall-config", "min_level": 2, "min_headcount": 2},
		{"skill": "patch-management", "min_level": 3, "min_headcount": 0},
	}}).expect(200)
	overridden := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps")
	if got := brief(skillLine(t, overridden, "firewall-config")); !strings.Contains(got, "target=2x2 holders=3 met=true") || !strings.Contains(got, "gap=true") {
		t.Errorf("own target (met, but B's essential requirement is not): %s", got)
	}
	if l := skillLine(t, overridden, "patch-management"); l.Gap {
		t.Errorf("switched-off target: %s", brief(l))
	}
}

func TestGapReportBasesDatesAndRollUp(t *testing.T) {
	e, admin := gapFixture(t)
	// On the self basis, C's self-assessed digital forensics counts.
	self := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps?basis=self")
	if l := skillLine(t, self, "digital-forensics"); l.Supply != 1 || l.StaffByLevel["3"] != 1 {
		t.Errorf("self basis: %s", brief(l))
	}
	if l := skillLine(t, self, "firewall-config"); l.Supply != 0 {
		t.Errorf("self basis counts no verified evidence: %s", brief(l))
	}
	// Twenty days ago B's level-4 certificate was in force.
	at := clocktest.Now().AddDate(0, 0, -20).Format("2006-01-02")
	past := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps?at="+at)
	if got := brief(skillLine(t, past, "firewall-config")); !strings.HasPrefix(got, "demand=3 supply=3 shortfall=0") || !strings.Contains(got, "levels=0/0/1/2") {
		t.Errorf("as of %s: %s", at, got)
	}
	// 35 days ago nobody had evidence yet but the certificate.
	older := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps?at="+clocktest.Now().AddDate(0, 0, -35).Format("2006-01-02"))
	if got := brief(skillLine(t, older, "firewall-config")); !strings.Contains(got, "levels=0/0/0/1") {
		t.Errorf("35 days ago: %s", got)
	}
	// The ICB rolls up TR1, its department and TR2: its figures cover them all, and the
	// roll-up counts the organisations below with a gap (TR1: B; TR2: no one at the
	// target; not TR1-D, where D meets the need and no target applies).
	icb := getJSON[models.GapReport](e, admin, "/api/v1/organisations/ICB1/gaps?include_descendants=true")
	fw := skillLine(t, icb, "firewall-config")
	if fw.Demand != 3 || fw.Supply != 2 || fw.StaffByLevel["4"] != 1 || *fw.Organisations != 3 || *fw.OrganisationsWith != 2 || !fw.Gap {
		t.Errorf("roll-up firewall: %s orgs=%d with_gap=%d", brief(fw), *fw.Organisations, *fw.OrganisationsWith)
	}
	// TR2 is large: its advanced target (3x1) is unmet, so the roll-up has an advanced gap.
	if df := skillLine(t, icb, "digital-forensics"); !df.Gap || *df.OrganisationsWith != 1 || df.Demand != 2 {
		t.Errorf("roll-up forensics: %s with_gap=%d", brief(df), *df.OrganisationsWith)
	}
	if !icb.AdvancedSkillsGap {
		t.Error("roll-up misses the advanced gap")
	}
	// Without the roll-up the ICB is judged as one body: its staff's essential needs
	// (B, E) make gaps; it has no targets of its own, so skills nobody needs do not appear.
	alone := getJSON[models.GapReport](e, admin, "/api/v1/organisations/ICB1/gaps")
	if len(alone.Skills) != 4 || !alone.BasicSkillsGap || !alone.IncidentResponse || alone.AdvancedSkillsGap ||
		skillLine(t, alone, "firewall-config").Target != nil || skillLine(t, alone, "firewall-config").Organisations != nil {
		t.Errorf("ICB alone: %+v", alone)
	}
	// The same roll-up computed live (a past moment a second ago) agrees with the maintained one.
	live := getJSON[models.GapReport](e, admin, "/api/v1/organisations/ICB1/gaps?include_descendants=true&at="+clocktest.Now().Add(-time.Second).UTC().Format(time.RFC3339))
	for _, l := range icb.Skills {
		if got, want := brief(skillLine(t, live, l.Skill)), brief(l); got != want {
			t.Errorf("%s live %s, maintained %s", l.Skill, got, want)
		}
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps?at=2999-01-01", nil).problem(400)
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps?basis=rumour", nil).problem(400)
}

func TestRoleGapsMatrixCandidatesAndPersonalNeeds(t *testing.T) {
	e, admin := gapFixture(t)
	roles := getJSON[models.RoleGapsReport](e, admin, "/api/v1/organisations/TR1/gaps/roles")
	got := []string{}
	for _, r := range roles.Roles {
		got = append(got, fmt.Sprintf("%s %d/%d", r.Role, r.MeetingEssential, r.Headcount))
		for _, q := range r.Requirements {
			got = append(got, fmt.Sprintf("  %s L%d %s %d/%d depth %d", q.Skill, q.RequiredLevel, q.Criticality, q.Supply, q.Demand, q.Depth))
		}
	}
	want := []string{
		"eng 2/3", // A and D meet firewall-config; B does not
		"  firewall-config L3 essential 2/3 depth 1",
		"  backup-recovery L2 desirable 1/3 depth 4",
		"soc 1/1",
		"  incident-detection L3 essential 1/1 depth 0",
		"  digital-forensics L2 desirable 0/1 depth 2",
	}
	expectLines(t, "role gaps", got, want)

	m := getJSON[models.GapMatrix](e, admin, "/api/v1/organisations/TR1/gaps/matrix")
	if fmt.Sprint(m.Roles) != "[eng soc]" || len(m.Cells) != 4 || m.Cells[0].Demand != 3 || m.Cells[0].Supply != 2 {
		t.Errorf("matrix %+v", m)
	}

	// The roll-up and vacancy options belong to the organisation report alone: refused,
	// not silently ignored.
	if p := e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/matrix?include_descendants=true", nil).problem(400); !p.hasFieldError("include_descendants") {
		t.Errorf("matrix with include_descendants: %+v", p)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/roles?include_vacancies=true", nil).problem(400)

	cands := getJSON[Page[models.Candidate]](e, admin, "/api/v1/organisations/TR1/gaps/candidates?skill=firewall-config")
	var order []string
	for _, c := range cands.Items {
		order = append(order, fmt.Sprintf("%s %d->%d %s", c.ExternalID, c.Level, c.TargetLevel, c.Reason))
	}
	if fmt.Sprint(order) != "[B 2->3 role C 0->3 target]" {
		t.Errorf("candidates %v", order)
	}
	var page1, page2 Page[models.Candidate]
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/candidates?skill=firewall-config&limit=1", nil).expect(200).decode(&page1)
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/candidates?skill=firewall-config&limit=1&cursor="+page1.NextCursor, nil).expect(200).decode(&page2)
	if len(page1.Items) != 1 || page1.Items[0].ExternalID != "B" || len(page2.Items) != 1 || page2.Items[0].ExternalID != "C" || page2.NextCursor != "" {
		t.Errorf("candidate pages %+v %+v", page1, page2)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/candidates", nil).problem(400)

	needs := getJSON[models.StaffGaps](e, admin, "/api/v1/organisations/TR1/staff/B/gaps")
	if len(needs.Needs) != 2 || needs.Needs[0].Skill != "firewall-config" || needs.Needs[0].Depth != 1 ||
		needs.Needs[1].Skill != "backup-recovery" || needs.Needs[1].Depth != 2 {
		t.Errorf("B's needs %+v", needs.Needs)
	}

	// Every report speaks CSV too.
	for _, path := range []string{"/gaps", "/gaps/roles", "/gaps/matrix", "/staff/B/gaps", "/gaps/candidates?skill=firewall-config"} {
		r := e.as(admin, "GET", "/api/v1/organisations/TR1"+path, nil, "Accept", "text/csv").expect(200)
		lines := strings.Split(strings.TrimSpace(r.Body.String()), "\n")
		if !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv") || len(lines) < 2 || !strings.HasPrefix(lines[0], "organisation,") {
			t.Errorf("%s as CSV: %q", path, r.Body.String())
		}
	}
	// A CSV page of candidates carries the next page's cursor in a header.
	r := e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/candidates?skill=firewall-config&limit=1&format=csv", nil).expect(200)
	if lines := strings.Split(strings.TrimSpace(r.Body.String()), "\n"); len(lines) != 2 || r.Header().Get("X-Next-Cursor") != page1.NextCursor {
		t.Errorf("a CSV page of one candidate: %q, next %q (want %q)", r.Body.String(), r.Header().Get("X-Next-Cursor"), page1.NextCursor)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/gaps/candidates?skill=firewall-config&format=xml", nil).problem(400)
	csv := e.as(admin, "GET", "/api/v1/organisations/TR1/gaps?format=csv", nil).expect(200).Body.String()
	if !strings.Contains(csv, "TR1,firewall-config,") {
		t.Errorf("CSV lacks the firewall line: %s", csv)
	}
}

func TestExpiringShowsTheGapEachLapseOpens(t *testing.T) {
	e, admin := gapFixture(t)
	in := func(days int) string { return clocktest.Now().AddDate(0, 0, days).UTC().Format(time.RFC3339) }
	e.as(admin, "PUT", "/api/v1/organisations/TR1/staff/F", map[string]any{"role": "eng"}).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/TR1/staff/G", map[string]any{"role": "eng"}).expect(201)
	post := func(id string, level int, source string, expires string) {
		body := map[string]any{"skill": "firewall-config", "level": level, "source": source}
		if expires != "" {
			body["expires_at"] = expires
		}
		e.as(admin, "POST", "/api/v1/organisations/TR1/staff/"+id+"/evidence", body).expect(201)
	}
	post("F", 3, "certification", in(20))
	post("F", 1, "manager", "")
	post("G", 2, "certification", in(200))
	list := getJSON[models.ExpiringList](e, admin, "/api/v1/organisations/TR1/expiring?within=90d")
	if len(list.Items) != 1 {
		t.Fatalf("lapses %+v", list.Items)
	}
	l := list.Items[0]
	// F drops from 3 to 1: no longer meets eng's essential level 3. The trust's default
	// target (3x2) keeps A and D, so that stays met.
	if l.ExternalID != "F" || l.Level != 3 || l.LevelAfter != 1 || l.DepthAfter != 2 || !l.OpensRoleGap ||
		l.TargetHolders != 3 || l.OpensTargetGap {
		t.Errorf("lapse %+v", l)
	}
	// With a target of three practitioners, F's lapse breaks it.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/targets", map[string]any{"targets": []map[string]any{
		{"skill": "firewall-config", "min_level": 3, "min_headcount": 3}}}).expect(200)
	strict := getJSON[models.ExpiringList](e, admin, "/api/v1/organisations/TR1/expiring")
	if len(strict.Items) != 1 || !strict.Items[0].OpensTargetGap {
		t.Errorf("lapse against 3x3 %+v", strict.Items)
	}
	longer := getJSON[models.ExpiringList](e, admin, "/api/v1/organisations/ICB1/expiring?within=365d")
	if len(longer.Items) != 2 || longer.Items[1].ExternalID != "G" || longer.Items[1].OpensRoleGap {
		t.Errorf("a year ahead %+v", longer.Items)
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/expiring?within=soon", nil).problem(400)
}

func TestEstablishmentAndVacancies(t *testing.T) {
	e, admin := gapFixture(t)
	this := clocktest.Now()
	quarter := fmt.Sprintf("%d-Q%d", this.Year(), (int(this.Month())-1)/3+1)
	next := clocktest.MonthStart(2).Format("2006-01")
	var est models.Establishment
	e.as(admin, "PUT", "/api/v1/organisations/TR1/establishment", map[string]any{"entries": []map[string]any{
		{"role": "eng", "period": quarter, "funded_posts": 5}, // A and B fill two of five
		{"role": "eng", "period": next, "funded_posts": 6},
	}}).expect(200).decode(&est)
	if len(est.Entries) != 2 || !est.Entries[0].InForce || *est.Entries[0].Filled != 2 || *est.Entries[0].Vacancies != 3 || est.Entries[1].InForce {
		t.Fatalf("establishment %+v", est.Entries)
	}
	// Three vacant eng posts add three unmet essential firewall and desirable backup needs.
	r := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps?include_vacancies=true")
	if got := brief(skillLine(t, r, "firewall-config")); !strings.HasPrefix(got, "demand=6 supply=2 shortfall=4") {
		t.Errorf("firewall with vacancies: %s", got)
	}
	if got := brief(skillLine(t, r, "backup-recovery")); !strings.HasPrefix(got, "demand=6 supply=1 shortfall=5") {
		t.Errorf("backup with vacancies: %s", got)
	}
	p := e.as(admin, "PUT", "/api/v1/organisations/TR1/establishment", map[string]any{"entries": []map[string]any{
		{"role": "nobody", "period": "2027-13", "funded_posts": -1}}}).problem(400)
	for _, f := range []string{"entries[0].period", "entries[0].funded_posts"} {
		if !p.hasFieldError(f) {
			t.Errorf("errors %+v lack %s", p.Errors, f)
		}
	}
}
