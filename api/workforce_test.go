package api

import (
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
)

// newWorkforceEnv is an environment with trusts ORGA (unit ORGA-1) and ORGB, and the
// matrix fixture's roles and person E1 in ORGA.
func newWorkforceEnv(t *testing.T) (*testEnv, matrixFixture) {
	e := newEnv(t)
	return e, newMatrixFixture(e)
}

func TestRoleTemplatesAndOrganisationRoles(t *testing.T) {
	e, f := newWorkforceEnv(t)
	admin, hr := e.admin(), f.tokens[models.RoleHR]
	body := map[string]any{
		"code": "soc-analyst", "title": "Security operations analyst", "nice_role_id": "PR-CDA-001",
		"requirements": []map[string]any{
			{"skill": "security-monitoring", "level": 3, "criticality": "essential"},
			{"skill": "incident-detection", "level": 3, "criticality": "essential"},
			{"skill": "threat-intelligence", "level": 2, "criticality": "desirable"},
		},
	}
	var role models.JobRole
	e.as(admin, "POST", "/api/v1/roles", body).expect(201).decode(&role)
	if role.Framework != "cyber" || len(role.Requirements) != 3 || role.Organisation != "" {
		t.Fatalf("created %+v", role)
	}
	e.as(admin, "POST", "/api/v1/roles", body).problem(409)
	// PUT of the same content is a no-op 200; a change is visible.
	e.as(admin, "PUT", "/api/v1/roles/soc-analyst", body).expect(200)
	body["title"] = "SOC analyst"
	var changed models.JobRole
	e.as(admin, "PUT", "/api/v1/roles/soc-analyst", body).expect(200).decode(&changed)
	if changed.Title != "SOC analyst" {
		t.Fatalf("title %q", changed.Title)
	}
	// Every role may read templates; only admin writes them.
	e.as(f.tokens[models.RoleAnalyst], "GET", "/api/v1/roles/soc-analyst", nil).expect(200)
	e.as(hr, "PUT", "/api/v1/roles/soc-analyst", body).problem(403)

	// Validation names the field at fault.
	bad := map[string]any{"title": "x", "requirements": []map[string]any{
		{"skill": "firewall-config", "level": 5, "criticality": "essential"},
		{"skill": "no-such-skill", "level": 2, "criticality": "essential"},
	}}
	p := e.as(admin, "PUT", "/api/v1/roles/bad-role", bad).problem(400)
	if !p.hasFieldError("requirements[0].level") {
		t.Errorf("errors %+v", p.Errors)
	}
	bad["requirements"] = []map[string]any{{"skill": "no-such-skill", "level": 2, "criticality": "essential"}}
	if p := e.as(admin, "PUT", "/api/v1/roles/bad-role", bad).problem(400); !p.hasFieldError("requirements[0].skill") {
		t.Errorf("errors %+v", p.Errors)
	}

	// hr manages its own organisation's roles, and staff of a unit may hold them.
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/roles/ward-it", roleBody("")).expect(201)
	e.as(hr, "PUT", "/api/v1/organisations/ORGA-1/staff/U1", map[string]any{"role": "ward-it"}).expect(201)
	e.as(f.otherHR, "GET", "/api/v1/organisations/ORGA/roles/ward-it", nil).problem(404)
	// ORGB cannot use ORGA's role.
	p = e.as(admin, "PUT", "/api/v1/organisations/ORGB/staff/B1", map[string]any{"role": "ward-it"}).problem(400)
	if !p.hasFieldError("role") {
		t.Errorf("errors %+v", p.Errors)
	}
	// A role in use cannot be deleted.
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA/roles/ward-it", nil).problem(409)
	page := getJSON[Page[models.JobRole]](e, hr, "/api/v1/organisations/ORGA/roles")
	if len(page.Items) != 3 {
		t.Fatalf("ORGA roles %+v", page.Items)
	}
}

func TestStaffLifecycle(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	person := map[string]any{"external_id": "E100", "role": "orga-role", "display_name": "A. Patel",
		"email": "a.patel@nhs.net", "fte": 0.8, "start_date": "2024-04-01"}
	var created models.Staff
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff", person).expect(201).decode(&created)
	if created.Organisation != "ORGA" || created.FTE != 0.8 || created.Status != "active" || created.StartDate.String() != "2024-04-01" {
		t.Fatalf("created %+v", created)
	}
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff", person).problem(409)

	// PUT is an idempotent upsert.
	delete(person, "external_id")
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/staff/E100", person).expect(200)
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/staff/E200", person).expect(201)

	// PATCH changes what it names; null clears an optional field.
	var patched models.Staff
	e.as(hr, "PATCH", "/api/v1/organisations/ORGA/staff/E100", map[string]any{"email": nil, "fte": 1}).expect(200).decode(&patched)
	if patched.Email != "" || patched.FTE != 1 || patched.DisplayName != "A. Patel" {
		t.Fatalf("patched %+v", patched)
	}
	p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA/staff/E100", map[string]any{"fte": 3, "colour": "red"}).problem(400)
	if !p.hasFieldError("colour") {
		t.Errorf("errors %+v", p.Errors)
	}
	p = e.as(hr, "PATCH", "/api/v1/organisations/ORGA/staff/E100", map[string]any{"fte": 3}).problem(400)
	if !p.hasFieldError("fte") {
		t.Errorf("errors %+v", p.Errors)
	}

	// Moving to a unit in scope works; moving out of scope is refused.
	var moved models.Staff
	e.as(hr, "PATCH", "/api/v1/organisations/ORGA/staff/E200", map[string]any{"organisation": "ORGA-1"}).expect(200).decode(&moved)
	if moved.Organisation != "ORGA-1" {
		t.Fatalf("moved %+v", moved)
	}
	e.as(hr, "GET", "/api/v1/organisations/ORGA-1/staff/E200", nil).expect(200)
	if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1/staff/E200", map[string]any{"organisation": "ORGB"}).problem(400); !p.hasFieldError("organisation") {
		t.Errorf("errors %+v", p.Errors)
	}

	// Scope: another organisation's hr sees nothing.
	e.as(f.otherHR, "GET", "/api/v1/organisations/ORGA/staff/E100", nil).problem(404)
	e.as(f.otherHR, "PUT", "/api/v1/organisations/ORGA/staff/E100", person).problem(404)

	// Lists filter and page by external id.
	page := getJSON[Page[models.Staff]](e, hr, "/api/v1/organisations/ORGA/staff?limit=1")
	if len(page.Items) != 1 || page.Items[0].ExternalID != "E1" || page.NextCursor == "" {
		t.Fatalf("page %+v", page)
	}
	page2 := getJSON[Page[models.Staff]](e, hr, "/api/v1/organisations/ORGA/staff?limit=1&cursor="+page.NextCursor)
	if len(page2.Items) != 1 || page2.Items[0].ExternalID != "E100" || page2.NextCursor != "" {
		t.Fatalf("page 2 %+v", page2)
	}
	q := getJSON[Page[models.Staff]](e, hr, "/api/v1/organisations/ORGA/staff?q=patel")
	if len(q.Items) != 1 || q.Items[0].ExternalID != "E100" {
		t.Fatalf("search %+v", q.Items)
	}

	// DELETE marks a leaver; erase removes personal fields for good.
	var leaver models.Staff
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA/staff/E100", nil).expect(200).decode(&leaver)
	if leaver.Status != "leaver" || leaver.EndDate == nil || leaver.DisplayName != "A. Patel" {
		t.Fatalf("leaver %+v", leaver)
	}
	level := 3
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/E1/evidence", models.NewEvidence{Skill: "backup-recovery", Level: &level, Source: "manager", Note: "restored the PACS archive"}).expect(201)
	var erased models.Staff
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA/staff/E1?erase=true", nil).expect(200).decode(&erased)
	if !erased.Erased || erased.DisplayName != "" || !strings.HasPrefix(erased.ExternalID, "erased-") || erased.Status != "leaver" {
		t.Fatalf("erased %+v", erased)
	}
	e.as(hr, "GET", "/api/v1/organisations/ORGA/staff/E1", nil).problem(404)
	var notes int
	if err := e.db.Get(&notes, `SELECT count(*) FROM evidence WHERE note IS NOT NULL`); err != nil || notes != 0 {
		t.Fatalf("evidence notes left after erasure: %d (%v)", notes, err)
	}
	var evidence int
	if err := e.db.Get(&evidence, `SELECT count(*) FROM evidence`); err != nil || evidence != 2 {
		t.Fatalf("anonymised evidence kept: %d (%v)", evidence, err)
	}
}

func TestStaffImport(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	file := "external_id,role,display_name,fte,status,start_date\n" +
		"S1,orga-role,One,1,active,2020-01-01\n" +
		"S2,matrix-template,Two,0.5,active,\n" +
		"S3,,Three,,,\n"
	var report models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(file)).expect(200).decode(&report)
	if !report.Applied || report.Rows != 3 || report.Inserted != 3 || report.Updated != 0 || len(report.Rejected) != 0 {
		t.Fatalf("first import %+v", report)
	}
	// The same file again changes nothing.
	var again models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(file)).expect(200).decode(&again)
	if again.Inserted != 0 || again.Updated != 0 || again.Unchanged != 3 {
		t.Fatalf("second import %+v", again)
	}

	// Bad rows: nothing is applied, and each is reported with its line and reason.
	bad := "external_id,role,fte,start_date\n" +
		"S1,orga-role,2,2020-01-01\n" + // line 2: fine (an update)
		"S4,no-such-role,1,\n" + // line 3: unknown role
		"S5,,abc,\n" + // line 4: fte
		"S6,,1,31/01/2020\n" + // line 5: date
		"S7,,1,\n" +
		"S7,,1,\n" // lines 6 and 7: duplicate
	p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(bad)).problem(400)
	details := importReportOf(t, p)
	lines := rejectedFields(details)
	want := map[int]string{3: "role", 4: "fte", 5: "start_date", 6: "external_id", 7: "external_id"}
	if fmt.Sprint(lines) != fmt.Sprint(want) || details.Applied {
		t.Fatalf("rejected %v, want %v", lines, want)
	}
	s1 := getJSON[models.Staff](e, hr, "/api/v1/organisations/ORGA/staff/S1")
	if s1.FTE != 1 {
		t.Fatalf("an all-or-nothing import changed S1: %+v", s1)
	}

	// Partial applies the good rows.
	var partial models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import?mode=partial", csvBody(bad)).expect(200).decode(&partial)
	if !partial.Applied || partial.Updated != 1 || len(partial.Rejected) != 5 {
		t.Fatalf("partial %+v", partial)
	}

	// A full sync (NDJSON) marks the absent as leavers.
	var sync models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import?leavers=mark", ndjson(`{"external_id":"S1","role":"orga-role","fte":2}
{"external_id":"S2","role":"matrix-template","fte":0.5,"display_name":"Two"}
`)).expect(200).decode(&sync)
	if sync.Leavers != 2 || sync.Unchanged != 1 || sync.Updated != 1 { // S3 and E1 leave; S1 loses the name and start date the file omits
		t.Fatalf("sync %+v", sync)
	}
	active := getJSON[Page[models.Staff]](e, hr, "/api/v1/organisations/ORGA/staff?status=active")
	if len(active.Items) != 2 {
		t.Fatalf("active after sync %+v", active.Items)
	}
	// Wrong header and wrong media type.
	if p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody("id,name\n1,x\n")).problem(400); !strings.Contains(p.Detail+fmt.Sprint(p.Errors), "unknown column") {
		t.Errorf("header problem %+v", p)
	}
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", `{"external_id":"x"}`).problem(415)
	e.as(f.otherHR, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(file)).problem(404)
}
