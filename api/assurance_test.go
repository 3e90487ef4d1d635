package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// The B6 report on a small trust with known answers. Every date is a number of days
// before the test clock's now, so the figures hold on any date (TEST_NOW).

// b6Record is a piece of evidence, dated in days before now (expires and retracted 0:
// never).
type b6Record struct {
	skill             string
	level             int
	source            string
	assessed, expires int
	retracted         int
}

// b6Person is a member of staff of the fixture: start and end in days before now (0:
// none), their evidence and the key roles they are appointed to.
type b6Person struct {
	id, org, role string
	start, end    int
	records       []b6Record
	appointed     []string
}

// b6Staff is the fixture: TR1 (a trust) with its department TR1-D; TR2 beside it.
var b6Staff = []b6Person{
	{id: "P1", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 1, "training", 100, 0, 0}}},
	{id: "P2", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 1, "training", 300, 0, 0}}},
	{id: "P3", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 2, "manager", 350, 0, 0}}},
	{id: "P4", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 1, "training", 500, 0, 0}}},
	// A self-assessment is not training.
	{id: "P5", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 3, "self", 10, 0, 0}}},
	{id: "P6", org: "TR1-D", role: "network-engineer", records: []b6Record{
		{"secure-data", 1, "training", 50, 0, 0},
		{"incident-detection", 2, "certification", 200, 20, 0}, // expired 20 days ago
		{"access-control", 3, "assessment", 30, 0, 0}}},
	{id: "P7", org: "TR1", role: "information-governance-lead", appointed: []string{"siro", "dpo"},
		records: []b6Record{{"secure-data", 3, "assessment", 40, 0, 0}}},
	// Trained 200 days ago, withdrawn 5 days ago.
	{id: "P8", org: "TR1", role: "clinical-staff", records: []b6Record{{"secure-data", 1, "training", 200, 0, 5}}},
	// Left 100 days ago: counted at the month-ends before.
	{id: "P9", org: "TR1", role: "clinical-staff", start: 400, end: 100, records: []b6Record{{"secure-data", 1, "training", 300, 0, 0}}},
	// Joined 45 days ago.
	{id: "P10", org: "TR1", role: "clinical-staff", start: 45},
	// Outside TR1.
	{id: "Q1", org: "TR2", role: "clinical-staff"},
}

// b6Requirements are the shipped requirements (repository/defaults/assurance.json).
var b6Requirements = map[models.Audience]struct {
	skill string
	level int
}{
	"all_staff": {"secure-data", 1}, "siro": {"incident-management", 2}, "caldicott_guardian": {"secure-data", 2},
	"dpo": {"secure-data", 3}, "ig_lead": {"secure-data", 3}, "it_security": {"incident-detection", 2},
	"privileged_user": {"access-control", 3},
}

// b6RoleFlags are the shipped key roles of the templates the fixture uses.
var b6RoleFlags = map[string][]string{"network-engineer": {"it_security", "privileged_user"}, "information-governance-lead": {"ig_lead"}}

func b6Ago(days int) time.Time { return clocktest.Now().AddDate(0, 0, -days) }

func b6Date(days int) string { return b6Ago(days).UTC().Format("2006-01-02") }

func b6Fixture(t *testing.T) (*testEnv, string) {
	t.Helper()
	e := newEnv(t)
	admin := e.admin()
	for _, o := range []struct{ code, typ, parent string }{
		{"REG", "region", ""}, {"ICB1", "icb", "REG"}, {"TR1", "trust", "ICB1"}, {"TR2", "trust", "ICB1"}, {"TR1-D", "department", "TR1"},
	} {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id)
			VALUES ($1, $1 || ' name', $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')))`, o.code, o.typ, o.parent); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range b6Staff {
		b6AddPerson(e, admin, p)
	}
	e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/key-roles", map[string]any{
		"roles": []any{}, "staff": []map[string]any{{"external_id": "P7", "key_roles": []string{"siro", "dpo"}}}}).expect(200)
	return e, admin
}

// b6AddPerson puts a fixture person through the API: their record, evidence (and its
// retractions) and, for a leaver, their leaving.
func b6AddPerson(e *testEnv, admin string, p b6Person) {
	e.t.Helper()
	stamp := func(days int) string { return b6Ago(days).UTC().Format(time.RFC3339) }
	path := "/api/v1/organisations/" + p.org + "/staff/" + p.id
	body := map[string]any{"role": p.role}
	if p.start != 0 {
		body["start_date"] = b6Date(p.start)
	}
	e.as(admin, "PUT", path, body).expect(201)
	for _, r := range p.records {
		ev := map[string]any{"skill": r.skill, "level": r.level, "source": r.source, "assessed_at": stamp(r.assessed)}
		if r.expires != 0 {
			ev["expires_at"] = stamp(r.expires)
		}
		var got models.Evidence
		e.as(admin, "POST", path+"/evidence", ev).expect(201).decode(&got)
		if r.retracted != 0 {
			e.as(admin, "POST", path+"/evidence", map[string]any{"retracts": got.ID, "source": "manager",
				"assessed_at": stamp(r.retracted)}).expect(201)
		}
	}
	if p.end != 0 {
		body["status"], body["end_date"] = "leaver", b6Date(p.end)
		e.as(admin, "PUT", path, body).expect(200)
	}
}

// b6Oracle judges the fixture by the rule as README states it, independently of the SQL:
// the state of a person's training against a requirement at a moment.
func b6Oracle(p b6Person, a models.Audience, at time.Time) (employed bool, state models.TrainingStatus, until time.Time) {
	day := at.UTC().Format("2006-01-02")
	if (p.start != 0 && b6Date(p.start) > day) || (p.end != 0 && b6Date(p.end) <= day) {
		return false, "", until
	}
	req := b6Requirements[a]
	for _, r := range p.records {
		assessed := b6Ago(r.assessed)
		if r.skill != req.skill || r.level < req.level || r.source == "self" || assessed.After(at) ||
			(r.retracted != 0 && !b6Ago(r.retracted).After(at)) {
			continue
		}
		v := addMonthsClamped(assessed, 12)
		if r.expires != 0 && b6Ago(r.expires).Before(v) {
			v = b6Ago(r.expires)
		}
		if v.After(until) {
			until = v
		}
	}
	switch {
	case until.IsZero():
		return true, models.TrainingNeverTrained, until
	case until.After(at):
		return true, models.TrainingInDate, until
	}
	return true, models.TrainingOverdue, until
}

// addMonthsClamped adds months as PostgreSQL does: the same day of the month, or the
// month's last day when it has no such day.
func addMonthsClamped(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// b6Audiences are the staff groups a fixture person belongs to.
func b6Audiences(p b6Person) []models.Audience {
	out := []models.Audience{models.AudienceAllStaff}
	for _, k := range append(slices.Clone(b6RoleFlags[p.role]), p.appointed...) {
		out = append(out, models.Audience(k))
	}
	return out
}

// b6Expected are the figures the oracle gives for TR1's subtree at a moment.
func b6Expected(at time.Time) map[models.Audience]models.TrainingFigures {
	out := map[models.Audience]models.TrainingFigures{}
	for _, p := range b6Staff {
		if p.org == "TR2" {
			continue
		}
		for _, a := range b6Audiences(p) {
			employed, state, until := b6Oracle(p, a, at)
			if !employed {
				continue
			}
			f := out[a]
			f.Headcount++
			switch state {
			case models.TrainingInDate:
				f.InDate++
				if !until.After(at.Add(30 * 24 * time.Hour)) {
					f.Due30++
				}
				if !until.After(at.Add(90 * 24 * time.Hour)) {
					f.Due90++
				}
			case models.TrainingOverdue:
				f.Overdue++
			default:
				f.NeverTrained++
			}
			out[a] = f
		}
	}
	return out
}

func figuresText(f models.TrainingFigures) string {
	return fmt.Sprintf("head %d in %d due30 %d due90 %d overdue %d never %d", f.Headcount, f.InDate, f.Due30, f.Due90, f.Overdue, f.NeverTrained)
}

func TestB6ReportDeliveryKnownAnswers(t *testing.T) {
	e, admin := b6Fixture(t)
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	if !r.AsOf.Equal(clocktest.Now()) || r.Name != "TR1 name" {
		t.Errorf("as of %s (%s), want now %s", r.AsOf, r.Name, clocktest.Now())
	}
	// By hand: P1 in date; P2 due within 90 days (300 days ago), P3 within 30 (350 days
	// ago, at level 2); P4 overdue (500 days ago); P5 (self only), P8 (withdrawn) and P10
	// never trained; P6 and P7 in date; P9 has left; Q1 is elsewhere.
	want := map[models.Audience]string{
		"all_staff":          "head 9 in 5 due30 1 due90 2 overdue 1 never 3",
		"it_security":        "head 1 in 0 due30 0 due90 0 overdue 1 never 0", // P6's certificate expired
		"privileged_user":    "head 1 in 1 due30 0 due90 0 overdue 0 never 0",
		"ig_lead":            "head 1 in 1 due30 0 due90 0 overdue 0 never 0",
		"siro":               "head 1 in 0 due30 0 due90 0 overdue 0 never 1", // P7, appointed
		"dpo":                "head 1 in 1 due30 0 due90 0 overdue 0 never 0",
		"caldicott_guardian": "head 0 in 0 due30 0 due90 0 overdue 0 never 0",
	}
	for a, w := range want {
		if got := figuresText(r.Totals(a)); got != w {
			t.Errorf("%s:\n got  %s\n want %s", a, got, w)
		}
		if got := figuresText(b6Expected(clocktest.Now())[a]); got != w {
			t.Errorf("the oracle disagrees with the hand count for %s: %s", a, got)
		}
	}
	var clinical *models.DeliveryLine
	for i, d := range r.Delivery {
		if d.Audience == "all_staff" && d.Role == "clinical-staff" && !d.Total {
			clinical = &r.Delivery[i]
		}
	}
	if clinical == nil || figuresText(clinical.TrainingFigures) != "head 7 in 3 due30 1 due90 2 overdue 1 never 3" ||
		clinical.InDateShare == nil || *clinical.InDateShare != 42.9 {
		t.Errorf("clinical staff's line: %+v", clinical)
	}

	var keys []string
	for _, k := range r.KeyPeople {
		since := "-"
		if k.Since != nil {
			since = fmt.Sprint(int(clocktest.Now().Sub(*k.Since).Hours() / 24))
		}
		keys = append(keys, fmt.Sprintf("%s %s %s %v since %s", k.Audience, k.ExternalID, k.Status, k.InDate, since))
	}
	expectLines(t, "key people", keys, []string{
		"siro P7 never_trained false since -", "dpo P7 in_date true since 40", "ig_lead P7 in_date true since 40",
		"it_security P6 overdue false since 20", "privileged_user P6 in_date true since 30"})

	var overdue []string
	for _, o := range r.Overdue {
		overdue = append(overdue, fmt.Sprintf("%s %s %s %s", o.Organisation, o.ExternalID, o.Audience, o.Status))
	}
	expectLines(t, "overdue", overdue, []string{
		"TR1 P10 all_staff never_trained", "TR1 P4 all_staff overdue", "TR1 P5 all_staff never_trained",
		"TR1 P7 siro never_trained", "TR1 P8 all_staff never_trained", "TR1-D P6 it_security overdue"})

	statuses := map[string]models.IndicatorStatus{}
	for _, in := range r.Indicators {
		statuses[in.Code] = in.Status
		if in.Rule == "" || in.Finding == "" {
			t.Errorf("indicator %s states no rule or finding: %+v", in.Code, in)
		}
	}
	// No Caldicott Guardian; 5 of 9 staff in date (56%); 3 of 5 key role requirements (60%).
	if statuses["training_needs_analysis"] != "partly_met" || statuses["awareness"] != "not_met" || statuses["key_roles"] != "partly_met" {
		t.Errorf("indicators: %v", statuses)
	}
}

func TestB6ReportMonthEndHistory(t *testing.T) {
	e, admin := b6Fixture(t)
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	ends := r.Evaluation.MonthEnds
	if len(ends) != 12 {
		t.Fatalf("%d month-ends, want 12", len(ends))
	}
	inDate := 0 // the oracle's staff in date over the month-ends: the history is not all zeros
	first := time.Date(clocktest.Now().Year(), clocktest.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
	for i, m := range ends {
		wantAt := first.AddDate(0, i-12, 0).AddDate(0, 1, 0).Add(-time.Microsecond)
		if !m.At.Equal(wantAt) || m.Month != wantAt.Format("2006-01") {
			t.Errorf("month-end %d is %s (%s), want %s", i, m.At, m.Month, wantAt)
		}
		want := b6Expected(m.At)
		var audiences []models.Audience
		for _, g := range m.Groups {
			audiences = append(audiences, g.Audience)
			if got, w := figuresText(g.TrainingFigures), figuresText(want[g.Audience]); got != w {
				t.Errorf("%s %s:\n got  %s\n want %s", m.Month, g.Audience, got, w)
			}
		}
		// Every staff group has its line at every month-end, so that none is missed above.
		if !slices.Equal(audiences, models.Audiences()) {
			t.Errorf("%s has the groups %v, want %v", m.Month, audiences, models.Audiences())
		}
		inDate += want[models.AudienceAllStaff].InDate
	}
	if inDate == 0 {
		t.Fatal("nobody is in date at any month-end: the fixture proves nothing about the history")
	}
	// The evaluation compares with the gap reports at the first month-end and now.
	gaps := func(at time.Time) int {
		g := getJSON[models.GapReport](e, admin, "/api/v1/organisations/TR1/gaps?at="+at.Format(time.RFC3339Nano))
		n := 0
		for _, l := range g.Skills {
			if l.Gap {
				n++
			}
		}
		return n
	}
	sg := r.Evaluation.SkillGaps
	if sg.SkillsWithGapFrom != gaps(ends[0].At) || sg.SkillsWithGapTo != gaps(r.AsOf) || sg.Change != sg.SkillsWithGapTo-sg.SkillsWithGapFrom {
		t.Errorf("skill gaps change %+v, want the gap reports' %d then and %d now", sg, gaps(ends[0].At), gaps(r.AsOf))
	}
	then, now := ends[0].Groups[0].TrainingFigures, r.Totals("all_staff")
	want := models.JudgeEvaluation(then, now, sg).Status
	for _, in := range r.Indicators {
		if in.Code == "evaluation" && in.Status != want {
			t.Errorf("evaluation %s, want %s", in.Status, want)
		}
	}
}

// A past date answers as of then: the same figures as the month-end of the history.
func TestB6ReportAsOfAPastDate(t *testing.T) {
	e, admin := b6Fixture(t)
	at := b6Ago(120).Truncate(time.Second)
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6?at="+at.Format(time.RFC3339))
	for a, w := range b6Expected(at) {
		if got := figuresText(r.Totals(a)); got != figuresText(w) {
			t.Errorf("%s as of 120 days ago:\n got  %s\n want %s", a, got, figuresText(w))
		}
	}
	e.as(admin, "GET", "/api/v1/organisations/TR1/assurance/b6?at="+clocktest.Days(2).Format("2006-01-02"), nil).problem(400)
	e.as(admin, "GET", "/api/v1/organisations/TR1/assurance/b6?format=pdf", nil).problem(400)
}

func TestB6ReportScope(t *testing.T) {
	e, _ := b6Fixture(t)
	other := e.mint(models.RoleHR, "TR2", "")
	e.as(other, "GET", "/api/v1/organisations/TR1/assurance/b6", nil).problem(http.StatusNotFound)
	dept := e.mint(models.RoleHR, "TR1-D", "")
	r := getJSON[models.B6Report](e, dept, "/api/v1/organisations/TR1-D/assurance/b6")
	if got := figuresText(r.Totals("all_staff")); got != "head 1 in 1 due30 0 due90 0 overdue 0 never 0" {
		t.Errorf("TR1-D's report counts %s, want P6 alone", got)
	}
	if len(r.Overdue) != 1 || r.Overdue[0].ExternalID != "P6" {
		t.Errorf("TR1-D's overdue: %+v", r.Overdue)
	}
	analyst := e.mint(models.RoleAnalyst, "", "")
	e.as(analyst, "GET", "/api/v1/organisations/TR1/assurance/b6", nil).problem(http.StatusForbidden)

	// The report names people: its reads are in the audit trail, as every staff read is.
	e.as(dept, "GET", "/api/v1/organisations/TR1-D/assurance/key-roles", nil).expect(200)
	audit := getJSON[Page[models.AuditEntry]](e, e.admin(), "/api/v1/audit?organisation=TR1-D")
	reads := map[string]int{}
	for _, a := range audit.Items {
		if a.Method == "GET" && a.Organisation == "TR1-D" {
			reads[a.Route]++
		}
	}
	if reads["/api/v1/organisations/:code/assurance/b6"] != 1 || reads["/api/v1/organisations/:code/assurance/key-roles"] != 1 {
		t.Errorf("audited reads of TR1-D: %v", reads)
	}
}

func TestB6ReportCSVAndHTML(t *testing.T) {
	e, admin := b6Fixture(t)
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	res := e.as(admin, "GET", "/api/v1/organisations/TR1/assurance/b6?format=csv", nil).expect(200)
	lines := strings.Split(strings.TrimSpace(res.Body.String()), "\n")
	if lines[0] != "at,audience,role,role_title,headcount,in_date,due_within_30_days,due_within_90_days,overdue,never_trained,in_date_share" ||
		len(lines) != 1+len(r.Delivery)+12*len(models.Audiences()) {
		t.Errorf("CSV: %d lines, header %q", len(lines), lines[0])
	}
	if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, ",all_staff,,(all roles),9,5,1,2,1,3,55.6") }) {
		t.Errorf("CSV has no all-staff total line as of now:\n%s", strings.Join(lines[:10], "\n"))
	}

	page := e.as(admin, "GET", "/api/v1/organisations/TR1/assurance/b6?format=html", nil).expect(200)
	html := page.Body.String()
	h := page.Header()
	csp := h.Get("Content-Security-Policy")
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(csp, "style-src 'sha256-") ||
		strings.Contains(csp, "unsafe-inline") || !strings.HasPrefix(csp, "default-src 'none';") || strings.Contains(csp, "script-src") || h.Get("X-Frame-Options") != "DENY" ||
		h.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", h)
	}
	for _, banned := range []string{"<script", "http://", "https://", "<link", "<img", " style="} {
		if strings.Contains(html, banned) && !(banned == "http://" && strings.Count(html, banned) == strings.Count(html, `xmlns="http://www.w3.org/2000/svg"`)) {
			t.Errorf("the page holds %q: it must stand alone and run nothing", banned)
		}
	}
	for _, want := range []string{`<tr data-audience="all_staff"><td>All staff</td><td class="n" data-key="headcount">9</td><td class="n" data-key="in_date">5</td>`,
		`data-indicator="awareness"`, `data-status="not_met"`, `<svg`, `data-overdue="P4"`, "@page { size: A4"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// Organisations override the defaults: their own requirement applies below them too, and
// an empty list switches a role's key roles off.
func TestTrainingRequirementsOverride(t *testing.T) {
	e, admin := b6Fixture(t)
	var reqs models.TrainingRequirements
	e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/requirements", map[string]any{"requirements": []map[string]any{
		{"audience": "all_staff", "skill": "secure-data", "level": 1, "refresh_months": 24, "reason": "Our board asks for two-yearly refreshers."}}}).
		expect(200).decode(&reqs)
	if len(reqs.Requirements) != 7 || reqs.Requirements[0].RefreshMonths != 24 || reqs.Requirements[0].Source != "organisation" ||
		reqs.Requirements[1].Source != "default" || reqs.Requirements[0].SkillName == "" {
		t.Errorf("requirements in force: %+v", reqs.Requirements)
	}
	dept := getJSON[models.TrainingRequirements](e, admin, "/api/v1/organisations/TR1-D/assurance/requirements")
	if dept.Requirements[0].Source != "inherited" || dept.Requirements[0].From != "TR1" {
		t.Errorf("TR1-D's awareness requirement: %+v", dept.Requirements[0])
	}
	// P4 (500 days ago) is in date again; P9's and P2's training lasts beyond 90 days.
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	if got := figuresText(r.Totals("all_staff")); got != "head 9 in 6 due30 0 due90 0 overdue 0 never 3" {
		t.Errorf("with a 24-month refresh: %s", got)
	}

	var keys models.KeyRoles
	e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/key-roles", map[string]any{
		"roles": []map[string]any{{"role": "network-engineer", "key_roles": []string{}}, {"role": "clinical-staff", "key_roles": []string{"caldicott_guardian"}}},
		"staff": []map[string]any{}}).expect(200).decode(&keys)
	if i := slices.IndexFunc(keys.Roles, func(k models.RoleKeyRoles) bool { return k.Role == "network-engineer" }); i < 0 ||
		len(keys.Roles[i].KeyRoles) != 0 || keys.Roles[i].Source != "organisation" {
		t.Errorf("key roles in force: %+v", keys.Roles)
	}
	if got := getJSON[models.KeyRoles](e, admin, "/api/v1/organisations/TR1/assurance/key-roles"); len(got.Staff) != 0 || len(got.Roles) != len(keys.Roles) {
		t.Errorf("GET answers other key roles than the PUT: %+v", got)
	}
	r = getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	if r.Totals("it_security").Headcount != 0 || r.Totals("siro").Headcount != 0 || r.Totals("caldicott_guardian").Headcount != 7 {
		t.Errorf("after the override: it_security %d, siro %d, caldicott %d", r.Totals("it_security").Headcount,
			r.Totals("siro").Headcount, r.Totals("caldicott_guardian").Headcount)
	}

	// Staff without a role have a line of their own, apart from the group's total.
	e.as(admin, "PUT", "/api/v1/organisations/TR1/staff/NR", map[string]any{}).expect(201)
	r = getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6")
	var noRole []models.DeliveryLine
	for _, d := range r.Delivery {
		if d.Audience == "all_staff" && d.Role == "" && !d.Total {
			noRole = append(noRole, d)
		}
	}
	if r.Totals("all_staff").Headcount != 10 || len(noRole) != 1 || noRole[0].Headcount != 1 || noRole[0].RoleTitle != "(no role)" {
		t.Errorf("staff without a role: total %d, lines %+v", r.Totals("all_staff").Headcount, noRole)
	}

	bad := e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/requirements", map[string]any{"requirements": []map[string]any{
		{"audience": "everyone", "skill": "no-such-skill", "level": 5, "refresh_months": 0, "reason": ""}}}).problem(400)
	for _, f := range []string{"requirements[0].audience", "requirements[0].level", "requirements[0].refresh_months", "requirements[0].reason"} {
		if !bad.hasFieldError(f) {
			t.Errorf("no error for %s: %+v", f, bad)
		}
	}
	e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/requirements", map[string]any{"requirements": []map[string]any{
		{"audience": "siro", "skill": "no-such-skill", "level": 2, "refresh_months": 12, "reason": "r"}}}).problem(400)
	if p := e.as(admin, "PUT", "/api/v1/organisations/TR1/assurance/key-roles", map[string]any{"roles": []map[string]any{{"role": "no-such-role", "key_roles": []string{"siro"}}},
		"staff": []map[string]any{{"external_id": "Q1", "key_roles": []string{"siro"}}, {"external_id": "P9", "key_roles": []string{"dpo"}}}}).problem(400); !p.hasFieldError("roles[0].role") ||
		!p.hasFieldError("staff[0].external_id") || !p.hasFieldError("staff[1].external_id") {
		t.Errorf("unknown role, another organisation's person and a leaver: %+v", p)
	}
}

// TestB6ReportKeepsToItsScope: another trust's own role of a shared code does not lend
// its title to this trust's report, and a key role holder who moves to another trust
// stops being the old trust's appointee (listed by it, or counted in the new one's report).
func TestB6ReportKeepsToItsScope(t *testing.T) {
	e, admin := b6Fixture(t)
	secret := roleBody("")
	secret["title"] = "TR2's own title"
	e.as(admin, "PUT", "/api/v1/organisations/TR2/roles/clinical-staff", secret).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/TR2/staff/Q1", map[string]any{"role": "clinical-staff"}).expect(200)
	for _, format := range []string{"", "?format=csv", "?format=html"} {
		body := e.as(admin, "GET", "/api/v1/organisations/TR1/assurance/b6"+format, nil).expect(200).Body.String()
		if strings.Contains(body, "TR2&#39;s own title") || strings.Contains(body, "TR2's own title") {
			t.Errorf("TR1's report%s shows TR2's role title", format)
		}
	}

	e.as(admin, "PUT", "/api/v1/organisations/TR1/staff/P7",
		map[string]any{"role": "information-governance-lead", "organisation": "TR2"}).expect(200)
	kr := getJSON[models.KeyRoles](e, admin, "/api/v1/organisations/TR1/assurance/key-roles")
	if len(kr.Staff) != 0 {
		t.Errorf("TR1 still lists appointees after P7 moved to TR2: %+v", kr.Staff)
	}
	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR2/assurance/b6")
	for _, k := range r.KeyPeople {
		if k.ExternalID == "P7" && (k.Audience == "siro" || k.Audience == "dpo") {
			t.Errorf("P7 counts as TR2's %s by TR1's appointment", k.Audience)
		}
	}
}
