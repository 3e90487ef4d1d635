package api

import (
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
)

// The paper cuts a new user hit in their first hour (issue 20), each with its test.

func TestStaffImportListsEachBadLineOnceAndCountsRows(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	// Line 2 is a duplicate and names an unknown role; line 3 is its duplicate: two bad
	// rows of two, not "3 of 2 rows are invalid" with line 2 listed twice.
	file := "external_id,role\nD1,no-such-role\nD1,orga-role\n"
	p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(file)).problem(400)
	if !strings.HasPrefix(p.Detail, "2 of 2 rows are invalid;") {
		t.Errorf("detail %q", p.Detail)
	}
	report := importReportOf(t, p)
	if len(report.Rejected) != 2 || report.Rejected[0].Line != 2 || report.Rejected[1].Line != 3 {
		t.Fatalf("rejected %+v, want lines 2 and 3 once each", report.Rejected)
	}
	if fields := fieldsOf(report.Rejected[0]); fields != "external_id,role" {
		t.Errorf("line 2's reasons %q, want both the duplicate and the role", fields)
	}

	one := "external_id,role\nD2,no-such-role\n"
	if p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(one)).problem(400); !strings.HasPrefix(p.Detail, "1 of 1 row is invalid;") {
		t.Errorf("detail %q", p.Detail)
	}
}

func fieldsOf(r models.RejectedRow) string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Field)
	}
	return strings.Join(out, ",")
}

func TestForbiddenNamesTheRoleWithItsArticle(t *testing.T) {
	e := newEnv(t)
	for token, want := range map[string]string{
		e.mint(models.RoleAnalyst, "", ""):            "an analyst token may not use this route",
		e.mint(models.RoleTrainer, "", "nhs-academy"): "a trainer token may not use this route",
	} {
		if p := e.as(token, "GET", "/api/v1/tokens", nil).problem(403); p.Detail != want {
			t.Errorf("detail %q, want %q", p.Detail, want)
		}
	}
	if got := models.RoleHR.WithArticle() + ", " + models.RoleAdmin.WithArticle(); got != "an hr, an admin" {
		t.Errorf("articles %q", got)
	}
}

// csvReports are the reports with a table: they answer CSV. Every other GET refuses
// format=csv with 406 instead of answering JSON in silence.
var csvReports = []string{
	"GET /api/v1/organisations/:code/staff/:external_id/competencies",
	"GET /api/v1/organisations/:code/expiring",
	"GET /api/v1/organisations/:code/projection",
	"POST /api/v1/organisations/:code/scenarios/evaluate",
	"GET /api/v1/organisations/:code/scenarios/:id",
	"GET /api/v1/organisations/:code/training-plan",
	"GET /api/v1/organisations/:code/gaps",
	"GET /api/v1/organisations/:code/gaps/roles",
	"GET /api/v1/organisations/:code/gaps/matrix",
	"GET /api/v1/organisations/:code/gaps/candidates",
	"GET /api/v1/organisations/:code/staff/:external_id/gaps",
	"GET /api/v1/statistics/headline",
	"GET /api/v1/statistics/gaps",
	"GET /api/v1/statistics/trends",
	"GET /api/v1/statistics/assurance",
	"GET /api/v1/organisations/:code/assurance/b6",
	"GET /api/v1/frameworks/:code/export",
}

func TestEveryReportWithATableAnswersCSVAndTheRestRefuse(t *testing.T) {
	e := newEnv(t)
	newMatrixFixture(e)
	admin := e.admin()
	for key, a := range accessMatrix {
		method, _, _ := strings.Cut(key, " ")
		isReport := slices.Contains(csvReports, key)
		if method != "GET" && !isReport {
			continue
		}
		// xAPI's resources answer as xAPI says: an unknown format (csv too) is a 400
		// (TestXAPIStatementQueries), and a document resource is a 501.
		if strings.HasPrefix(a.path, xapiBase+"/") {
			continue
		}
		sep := "?"
		if strings.Contains(a.path, "?") {
			sep = "&"
		}
		path := a.path
		if !strings.Contains(path, "format=") {
			path += sep + "format=csv"
		} else {
			path = strings.Replace(path, "format=case", "format=csv", 1)
		}
		r := e.as(admin, method, path, a.body, a.headers...)
		switch {
		case isReport && (r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv")):
			t.Errorf("%s: %d %s, want CSV: %s", key, r.Code, r.Header().Get("Content-Type"), r.Body.String())
		case !isReport && r.Code != 406:
			t.Errorf("%s: %d, want 406 for format=csv: %s", key, r.Code, r.Body.String())
		}
	}
	if p := e.as(admin, "GET", "/api/v1/organisations/ORGA/staff", nil, "Accept", "text/csv").problem(406); !strings.Contains(p.Detail, "no CSV form") {
		t.Errorf("detail %q", p.Detail)
	}
	e.as(admin, "GET", "/api/v1/organisations/ORGA/staff", nil, "Accept", "text/csv, application/json;q=0.5").expect(200)
	plan := e.as(admin, "GET", "/api/v1/organisations/ORGA/training-plan?format=csv", nil).expect(200).Body.String()
	if !strings.HasPrefix(plan, "organisation,external_id,course,cost,hours,closes\n") {
		t.Errorf("training plan CSV:\n%s", plan)
	}
}

func TestScenarioOutsourcingLaterKeepsTheContractInForceBeforeIt(t *testing.T) {
	e, admin := planningFixture(t)
	month := func(n int) string { return clocktest.MonthStart(n).Format("2006-01") }
	e.as(admin, "PUT", "/api/v1/organisations/TR1/coverage", map[string]any{"coverage": []map[string]any{
		{"skill": "backup-recovery", "provider": "Backup Co", "contract_end": clocktest.MonthStart(12).Format("2006-01-02")}}}).expect(200)
	var ev models.ScenarioEvaluation
	e.as(admin, "POST", "/api/v1/organisations/TR1/scenarios/evaluate", map[string]any{"months": 4, "changes": []map[string]any{
		{"type": "outsource", "skill": "backup-recovery", "provider": "Regional SOC", "from": month(3)}}}).expect(200).decode(&ev)
	for _, r := range ev.Rows {
		if r.Skill == "backup-recovery" && (!r.Baseline.Covered || !r.Scenario.Covered || r.Scenario.Gap) {
			t.Errorf("%s: the contract in force stops covering backups before the new one starts: %+v", r.Month, r)
		}
	}
	for _, m := range ev.Months {
		if m.ScenarioGaps != m.BaselineGaps {
			t.Errorf("%s: %d gaps in the scenario against %d in the baseline, with nothing changed that month", m.Month, m.ScenarioGaps, m.BaselineGaps)
		}
	}
}

func TestPatchingAShippedRoleTemplateKeepsWhatThePatchLeavesOut(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	shipped := getJSON[models.JobRole](e, admin, "/api/v1/roles/network-engineer")
	if shipped.Description == "" || len(shipped.Requirements) < 3 {
		t.Fatalf("the shipped template: %+v", shipped)
	}
	var patched models.JobRole
	e.as(admin, "PATCH", "/api/v1/roles/network-engineer", rawBody{"application/merge-patch+json",
		`{"title": "Infrastructure and network engineer", "nice_role_id": "IO-WRL-004"}`}).expect(200).decode(&patched)
	if patched.Title != "Infrastructure and network engineer" || patched.Description != shipped.Description ||
		len(patched.Requirements) != len(shipped.Requirements) {
		t.Errorf("patched %+v, from %+v", patched, shipped)
	}
	// A list given in a merge patch replaces the list (RFC 7396).
	e.as(admin, "PATCH", "/api/v1/roles/network-engineer", map[string]any{"requirements": []map[string]any{
		{"skill": "firewall-config", "level": 4, "criticality": "essential"}}}).expect(200).decode(&patched)
	if len(patched.Requirements) != 1 || patched.Requirements[0].Level != 4 || patched.Description != shipped.Description {
		t.Errorf("requirements replaced: %+v", patched)
	}
	if p := e.as(admin, "PATCH", "/api/v1/roles/network-engineer", map[string]any{"code": "other"}).problem(400); !p.hasFieldError("code") {
		t.Errorf("a new code: %+v", p)
	}
	if p := e.as(admin, "PATCH", "/api/v1/roles/network-engineer", map[string]any{"colour": "red"}).problem(400); !p.hasFieldError("colour") {
		t.Errorf("an unknown field: %+v", p)
	}
	e.as(admin, "PATCH", "/api/v1/roles/no-such-role", map[string]any{"title": "x"}).problem(404)
}

func TestStatisticsNameTheGroupWithoutARegion(t *testing.T) {
	e := statisticsFixture(t)
	// Two Welsh bodies: trusts at the top of the tree, in no NHS England region.
	for _, code := range []string{"W1", "W2"} {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, sector, size_band) VALUES ($1, $1, 'trust', 'acute', 'medium')`, code); err != nil {
			t.Fatal(err)
		}
	}
	analyst := e.mint(models.RoleAnalyst, "", "")
	csv := e.as(analyst, "GET", "/api/v1/statistics/gaps?group_by=region&format=csv", nil).expect(200).Body.String()
	if !strings.Contains(csv, "\n(no region),") || strings.Contains(csv, "\n,") {
		t.Errorf("CSV:\n%s", csv)
	}
	b := getJSON[disclosure.BreakdownStatistics](e, analyst, "/api/v1/statistics/gaps?group_by=region,tier")
	named := false
	for _, g := range b.Groups {
		if g.Group["region"] == "" {
			named = true
			if g.Labels["region"] != "(no region)" {
				t.Errorf("the group without a region is labelled %q", g.Labels["region"])
			}
		}
	}
	if !named {
		t.Errorf("no group without a region in %+v", b.Groups)
	}
	if models.GroupName("icb", "") != "(no ICB)" || models.GroupName("size_band", "") != "(no size band)" || models.GroupName("region", "Y56") != "Y56" {
		t.Error("GroupName")
	}
}
