package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// Fixtures of the security regression tests (security_test.go).

// secWorld is the NHS in miniature the security tests attack: region SR > ICB SQ >
// trusts TA, T01 and TB, and a department TA-D under TA; everyone's E1, one course of
// the trainer's provider, and an hr token for TA and for TA-D.
type secWorld struct {
	*testEnv
	hrTA, hrDept, trainer string
}

const (
	secCourseIRI = "https://academy.example/xapi/courses/sec-101"
	secLMS       = "https://lms.example/orgs/"
)

var secXAPIVersion = []string{"X-Experience-API-Version", "1.0.3"}

// newSecWorld starts a test in parallel with the others, as newEnv does.
func newSecWorld(t *testing.T) secWorld {
	t.Helper()
	e := newEnv(t)
	admin := e.admin()
	for _, o := range []map[string]any{
		{"code": "SR", "name": "Region", "type": "region"},
		{"code": "SQ", "name": "ICB", "type": "icb", "parent": "SR"},
		{"code": "TA", "name": "Trust A", "type": "trust", "parent": "SQ"},
		{"code": "T01", "name": "Trust 01", "type": "trust", "parent": "SQ"},
		{"code": "TB", "name": "Trust B", "type": "trust", "parent": "SQ"},
		{"code": "TA-D", "name": "Department of A", "type": "department", "parent": "TA"},
	} {
		e.as(admin, "POST", "/api/v1/organisations", o).expect(201)
	}
	for _, org := range []string{"TA", "T01", "TB", "TA-D"} {
		e.as(admin, "PUT", "/api/v1/organisations/"+org+"/staff/E1", map[string]any{}).expect(201)
	}
	w := secWorld{testEnv: e, hrTA: e.mint(models.RoleHR, "TA", ""), hrDept: e.mint(models.RoleHR, "TA-D", ""),
		trainer: e.mint(models.RoleTrainer, "", "academy")}
	e.as(w.trainer, "PUT", "/api/v1/courses/SEC-101", map[string]any{"title": "Security basics", "activity_iri": secCourseIRI,
		"skills": []map[string]any{{"skill": "firewall-config", "level": 2}}}).expect(201)
	return w
}

// statement is a completion of the course by the account (homePage, name).
func secStatement(homePage, name string) map[string]any {
	return map[string]any{
		"actor":  map[string]any{"objectType": "Agent", "account": map[string]any{"homePage": homePage, "name": name}},
		"verb":   map[string]any{"id": "http://adlnet.gov/expapi/verbs/completed"},
		"object": map[string]any{"id": secCourseIRI},
	}
}

// trainingRecords counts the training evidence of the E1 of each organisation.
func (w secWorld) trainingRecords() map[string]int {
	w.t.Helper()
	var rows []struct {
		Code string `db:"code"`
		N    int    `db:"n"`
	}
	if err := w.db.Select(&rows, `
		SELECT o.code, count(e.id) AS n FROM organisations o JOIN staff s ON s.organisation_id = o.id
		  LEFT JOIN evidence e ON e.staff_id = s.id AND e.source = 'training'
		 GROUP BY o.code`); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		if r.N > 0 {
			out[r.Code] = r.N
		}
	}
	return out
}

// refusedHomePage sends a write by hr that sets an xAPI home page, which only an
// administrator may do: 403 naming the field.
func (w secWorld) refusedHomePage(hr, method, path string, body map[string]any) {
	w.t.Helper()
	r := w.as(hr, method, path, body)
	if r.Code != 403 {
		w.t.Errorf("hr %s %s with xapi_home_page %v: status %d, want 403: %s", method, path, body["xapi_home_page"], r.Code, r.Body.String())
		return
	}
	if p := r.problem(403); !p.hasFieldError("xapi_home_page") {
		w.t.Errorf("hr %s %s: the 403 does not name xapi_home_page: %+v", method, path, p)
	}
}

// homePageTaken has an administrator bind url to org, which another organisation's home
// page is in another spelling: 409 naming the field.
func (w secWorld) homePageTaken(org, url string) {
	w.t.Helper()
	p := w.as(w.admin(), "PATCH", "/api/v1/organisations/"+org, map[string]any{"xapi_home_page": url}).problem(409)
	if !p.hasFieldError("xapi_home_page") {
		w.t.Fatalf("binding %q to %s: %+v", url, org, p)
	}
}

// completedBy posts a completion of the course by the E1 of the account homePage.
func (w secWorld) completedBy(homePage string) {
	w.t.Helper()
	w.as(w.trainer, "POST", "/xapi/statements", secStatement(homePage, "E1"), secXAPIVersion...).expect(200)
}

func (w secWorld) wantTraining(want string) {
	w.t.Helper()
	if got := fmt.Sprint(w.trainingRecords()); got != want {
		w.t.Fatalf("training evidence by organisation %s, want %s", got, want)
	}
}

// The person the erasure tests erase, and what identifies them.
const (
	secName  = "Ada Lovelace-Byron"
	secEmail = "ada.byron@trust-a.example"
	secID    = "P-ADA-1815"
)

// rejectedRows reads the rejected rows of an import's 400 problem.
func rejectedRows(t *testing.T, p problemBody) []models.RejectedRow {
	t.Helper()
	var report models.ImportReport
	if err := json.Unmarshal(p.Details, &report); err != nil {
		t.Fatalf("details %s: %v", p.Details, err)
	}
	return report.Rejected
}

// formulaStarts are the first characters with which a spreadsheet runs a cell (OWASP).
const formulaStarts = "=+-@\t\r"

// csvCells fetches a CSV answer and returns its rows, failing unless no cell would run as
// a formula: a cell that begins like one must be a number the service wrote.
func csvCells(e *testEnv, token, path string, headers ...string) [][]string {
	e.t.Helper()
	return csvCellsOf(e, path, e.as(token, "GET", path, nil, headers...))
}

// csvCellsOf is csvCells for an answer already had (of a POST), named by what.
func csvCellsOf(e *testEnv, path string, r *response) [][]string {
	e.t.Helper()
	r.expect(200)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		e.t.Fatalf("%s: Content-Type %q", path, ct)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
	if err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	for _, row := range rows {
		for _, c := range row {
			if c == "" || !strings.ContainsRune(formulaStarts, rune(c[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(c, 64); err != nil {
				e.t.Errorf("%s: the cell %q runs as a formula", path, c)
			}
		}
	}
	return rows
}

// hasCell reports whether some row has the cell.
func hasCell(rows [][]string, want string) bool {
	for _, row := range rows {
		if slices.Contains(row, want) {
			return true
		}
	}
	return false
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
