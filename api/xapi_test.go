package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// specExample reads one of the xAPI specification's own example statements (Data,
// Appendix A), as written there.
func specExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "xapi-spec", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// passedStatement is the attempted example passed, by an account actor, with the context
// of the specification's long example and no id.
const passedStatement = `{
	"timestamp": "2015-12-18T12:17:00+00:00",
	"actor":{"objectType": "Agent", "name":"Example Learner",
		"account": {"homePage": "https://lms.acme.example/orgs/ORGA", "name": "E1"}},
	"verb":{"id":"http://adlnet.gov/expapi/verbs/passed", "display":{"en-US":"passed"}},
	"object":{"id":"http://example.adlnet.gov/xapi/example/simpleCBT",
		"definition":{"name":{"en-US":"simple CBT course"}, "description":{"en-US":"A fictitious example CBT course."}}},
	"result":{"score":{"scaled":0.95}, "success":true, "completion":true, "duration": "PT1234S"},
	"context": {
		"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
		"contextActivities": {
			"parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
			"category": [{"id": "http://www.example.com/meetings/categories/teammeeting", "objectType": "Activity",
				"definition": {"name": {"en": "team meeting"}, "type": "http://example.com/expapi/activities/meetingcategory"}}]
		},
		"instructor": {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
		"platform" : "Example virtual meeting software",
		"language" : "tlh"
	}
}`

// xapiEnv is the training fixture with the specification's activities as courses of the
// trainer's provider, and the example learner as E3.
func xapiEnv(t *testing.T) (*testEnv, matrixFixture) {
	t.Helper()
	e, f := trainingEnv(t)
	acme := f.tokens[models.RoleTrainer]
	e.as(acme, "PUT", "/api/v1/courses/SIMPLE", map[string]any{"title": "Simple statement", "activity_iri": "http://example.com/xapi/activity/simplestatement",
		"skills": []map[string]any{{"skill": "access-control", "level": 1}}}).expect(201)
	e.as(acme, "PUT", "/api/v1/courses/CBT-1", map[string]any{"title": "Simple CBT course", "activity_iri": "http://example.adlnet.gov/xapi/example/simpleCBT",
		"skills": []map[string]any{{"skill": "security-monitoring", "level": 2}}}).expect(201)
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/E3", map[string]any{"role": "orga-role", "email": "example.learner@adlnet.gov"}).expect(201)
	return e, f
}

func statementCount(t *testing.T, e *testEnv) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM xapi_statements`); err != nil {
		t.Fatal(err)
	}
	return n
}

func postStatements(t *testing.T, e *testEnv, token, body string, status int) []string {
	t.Helper()
	r := e.as(token, "POST", "/api/v1/xapi/statements", body, xapiHeader...).expect(status)
	if got := r.Header().Get("X-Experience-API-Version"); got != "1.0.3" {
		t.Fatalf("version header %q", got)
	}
	var ids []string
	r.decode(&ids)
	return ids
}

func TestXAPIStatementsAsTheSpecificationWritesThem(t *testing.T) {
	specSimpleStatement, specAttemptedStatement := specExample(t, "simple"), specExample(t, "attempted")
	e, f := xapiEnv(t)
	acme := f.tokens[models.RoleTrainer]

	// The simple statement: its actor is E2 by mbox, its verb means nothing here.
	r := e.as(acme, "POST", "/api/v1/xapi/statements", specSimpleStatement, xapiHeader...).expect(200)
	if r.Body.String() != `["fd41c918-b88b-4b20-a0a5-a4c32391aaa0"]` || r.Header().Get("X-Experience-API-Version") != "1.0.3" ||
		r.Header().Get("X-Experience-API-Consistent-Through") == "" {
		t.Fatalf("answer %s, headers %v", r.Body.String(), r.Header())
	}
	var stored struct {
		Staff string `db:"external_id"`
		Verb  string `db:"verb"`
		Name  string `db:"name"`
	}
	if err := e.db.Get(&stored, `
		SELECT s.external_id, x.verb, x.statement->'object'->'definition'->'name'->>'en-US' AS name
		  FROM xapi_statements x JOIN staff s ON s.id = x.staff_id WHERE x.id = 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0'`); err != nil ||
		stored.Staff != "E2" || stored.Verb != "http://example.com/xapi/verbs#sent-a-statement" || stored.Name != "simple statement" {
		t.Fatalf("stored %+v, %v", stored, err)
	}
	if evs := trainingEvidence(t, e, "E2"); len(evs) != 0 {
		t.Fatalf("an unknown verb granted %+v", evs)
	}

	// The same statement again, or as an LRS would return it, changes nothing.
	if ids := postStatements(t, e, acme, specSimpleStatement, 200); !slices.Equal(ids, []string{"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}) {
		t.Fatalf("ids %v", ids)
	}
	returned := strings.Replace(specSimpleStatement, `"timestamp": "2015-11-18T12:17:00+00:00",`,
		`"timestamp": "2015-11-18T13:17:00.000+01:00", "stored": "2015-11-18T12:17:01Z", "version": "1.0.0",
		"authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.com"},`, 1)
	e.as(acme, "PUT", "/api/v1/xapi/statements?statementId=FD41C918-B88B-4B20-A0A5-A4C32391AAA0", returned, xapiHeader...).expect(204)
	if n := statementCount(t, e); n != 1 {
		t.Fatalf("%d statements stored", n)
	}
	// Another statement under its id is a conflict.
	changed := strings.Replace(specSimpleStatement, "#sent-a-statement", "#read-a-statement", 1)
	if p := e.as(acme, "POST", "/api/v1/xapi/statements", changed, xapiHeader...).problem(409); !p.hasFieldError("id") {
		t.Fatalf("problem %+v", p)
	}
	e.as(acme, "PUT", "/api/v1/xapi/statements?statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0", changed, xapiHeader...).problem(409)

	// The attempted example (result with score and success) is stored and ignored.
	if ids := postStatements(t, e, acme, specAttemptedStatement, 200); !slices.Equal(ids, []string{"7ccd3322-e1a5-411a-a67d-6a735c76f119"}) {
		t.Fatalf("ids %v", ids)
	}
	if evs := trainingEvidence(t, e, "E3"); len(evs) != 0 {
		t.Fatalf("attempted granted %+v", evs)
	}

	// Passed, by an account on the organisation's xAPI homePage (set by the fixture), with
	// context, and failed in one batch: ids in order, one generated.
	failed := strings.NewReplacer("7ccd3322-e1a5-411a-a67d-6a735c76f119", "3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c",
		"verbs/attempted", "verbs/failed", `"success":true`, `"success":false`).Replace(specAttemptedStatement)
	ids := postStatements(t, e, acme, "["+passedStatement+","+failed+"]", 200)
	if len(ids) != 2 || !xapi.ValidUUID(ids[0]) || ids[1] != "3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c" {
		t.Fatalf("ids %v", ids)
	}
	evs := trainingEvidence(t, e, "E1")
	if len(evs) != 1 || evs[0].Skill != "security-monitoring" || evs[0].Level != 2 || evs[0].ExpiresAt != nil ||
		!evs[0].AssessedAt.Equal(time.Date(2015, 12, 18, 12, 17, 0, 0, time.UTC)) || evs[0].Assessor != "acme-training" {
		t.Fatalf("evidence %+v", evs)
	}
	var linked string
	if err := e.db.Get(&linked, `SELECT statement_id::text FROM evidence WHERE id = $1`, evs[0].ID); err != nil || linked != ids[0] {
		t.Fatalf("evidence linked to %q, want %q (%v)", linked, ids[0], err)
	}
	if c := competencyOf(t, e, e.admin(), "/api/v1/organisations/ORGA/staff/E1/competencies", "security-monitoring"); c.VerifiedLevel != 2 || c.VerifiedUntil != nil {
		t.Fatalf("competency %+v", c)
	}
	if evs := trainingEvidence(t, e, "E3"); len(evs) != 0 {
		t.Fatalf("failed granted %+v", evs)
	}
	if n := statementCount(t, e); n != 4 {
		t.Fatalf("%d statements stored", n)
	}
}

func TestXAPIRefusals(t *testing.T) {
	specSimpleStatement, specAttemptedStatement := specExample(t, "simple"), specExample(t, "attempted")
	e, f := xapiEnv(t)
	acme := f.tokens[models.RoleTrainer]
	post := func(body string, headers ...string) *response {
		return e.as(acme, "POST", "/api/v1/xapi/statements", body, headers...)
	}
	// The version header is required, and answered.
	for _, headers := range [][]string{nil, {"X-Experience-API-Version", "0.95"}, {"X-Experience-API-Version", "1.1.0"}} {
		r := post(specSimpleStatement, headers...)
		if p := r.problem(400); !p.hasFieldError("X-Experience-API-Version") || r.Header().Get("X-Experience-API-Version") != "2.0.0" {
			t.Fatalf("%v: problem %+v, header %q", headers, p, r.Header().Get("X-Experience-API-Version"))
		}
	}
	// (Under an id of its own, so that the cases below start from no stored statement.)
	versioned := strings.Replace(specSimpleStatement, "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "0b7f4a1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b", 1)
	if r := post(versioned, "X-Experience-API-Version", "2.0.0").expect(200); r.Header().Get("X-Experience-API-Version") != "2.0.0" {
		t.Fatalf("2.0.0 answered with %q", r.Header().Get("X-Experience-API-Version"))
	}

	other := strings.Replace(specAttemptedStatement, "7ccd3322-e1a5-411a-a67d-6a735c76f119", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", 1)
	nobody := strings.Replace(specAttemptedStatement, "example.learner@adlnet.gov", "nobody@adlnet.gov", 1)
	unknownActivity := strings.Replace(specAttemptedStatement, "example/simpleCBT", "example/unknown", 1)
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"duplicate ids in a batch", "[" + specSimpleStatement + "," + other + "]", 400, "statements[1].id"},
		{"malformed verb", strings.Replace(specSimpleStatement, "http://example.com/xapi/verbs#sent-a-statement", "sent", 1), 400, "verb.id"},
		{"malformed id", strings.Replace(specSimpleStatement, "fd41c918-b88b", "fd41c918b88b", 1), 400, "id"},
		{"malformed timestamp", strings.Replace(specSimpleStatement, "2015-11-18T12:17:00+00:00", "18 Nov 2015", 1), 400, "timestamp"},
		{"no actor", `{"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://example.com/xapi/activity/simplestatement"}}`, 400, "actor"},
		{"unknown actor, nothing stored from the batch", "[" + specSimpleStatement + "," + nobody + "]", 422, "statements[1].actor"},
		{"unknown activity", unknownActivity, 422, "object.id"},
		{"account in an organisation without that person", strings.Replace(passedStatement, "orgs/ORGA", "orgs/ORGB", 1), 422, "actor"},
		{"a group", strings.Replace(specSimpleStatement, `"objectType": "Agent",`, `"objectType": "Group", "member": [],`, 1), 422, "actor"},
	}
	for _, c := range cases {
		p := post(c.body, xapiHeader...).problem(c.status)
		if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
			t.Errorf("%s: problem %+v, want %s", c.name, p, c.field)
		}
	}
	// Another provider's course is not an activity a trainer may report.
	rival := e.mint(models.RoleTrainer, "", "rival-training")
	if p := e.as(rival, "POST", "/api/v1/xapi/statements", specSimpleStatement, xapiHeader...).problem(422); !p.hasFieldError("object.id") {
		t.Fatalf("problem %+v", p)
	}
	// PUT takes one statement under the id in the query.
	for query, body := range map[string]string{
		"":                  specSimpleStatement,
		"?statementId=nope": specSimpleStatement,
		"?statementId=7ccd3322-e1a5-411a-a67d-6a735c76f119": specSimpleStatement,
		"?statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0": "[" + specSimpleStatement + "]",
	} {
		e.as(acme, "PUT", "/api/v1/xapi/statements"+query, body, xapiHeader...).problem(400)
	}
	// An e-mail shared by two staff records names nobody in particular.
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/E4", map[string]any{"email": "Example.Learner@ADLNET.gov"}).expect(201)
	if p := post(specAttemptedStatement, xapiHeader...).problem(422); !p.hasFieldError("actor") {
		t.Fatalf("problem %+v", p)
	}
	if n := statementCount(t, e); n != 1 {
		t.Fatalf("%d statements stored by refused requests", n-1)
	}
}

func TestXAPIActorsAndEnrolments(t *testing.T) {
	e, f := xapiEnv(t)
	acme := f.tokens[models.RoleTrainer]
	if _, err := e.db.Exec(`
		INSERT INTO enrolments (organisation_id, staff_id, course_id, enrolled_at, expected_completion)
		SELECT s.organisation_id, s.id, c.id, DATE '2015-12-01', DATE '2016-01-31' FROM staff s, courses c
		 WHERE s.external_id IN ('E1', 'E2') AND c.code = 'CBT-1'`); err != nil {
		t.Fatal(err)
	}
	// The homePage an administrator sets identifies the organisation, in any spelling of
	// the URL; an mbox matches whatever its case.
	e.db.MustExec(`UPDATE organisations SET xapi_home_page = 'https://esr.example.nhs.uk/trust-a' WHERE code = 'ORGA'`)
	configured := strings.Replace(passedStatement, "https://lms.acme.example/orgs/ORGA", "https://esr.example.nhs.uk/trust-a/", 1)
	byMail := strings.NewReplacer(`"account": {"homePage": "https://lms.acme.example/orgs/ORGA", "name": "E1"}`, `"mbox": "mailto:USER@Example.com"`,
		"verbs/passed", "verbs/completed", `"success":true`, `"success":false`).Replace(passedStatement)
	ids := postStatements(t, e, acme, "["+configured+","+byMail+"]", 200)
	var got []struct {
		Staff  string `db:"external_id"`
		Status string `db:"status"`
		Closed string `db:"closed"`
		Linked bool   `db:"linked"`
	}
	if err := e.db.Select(&got, `
		SELECT s.external_id, n.status, to_char(n.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS closed, n.completion_id IS NOT NULL AS linked
		  FROM enrolments n JOIN staff s ON s.id = n.staff_id JOIN courses c ON c.id = n.course_id
		 WHERE c.code <> 'MATRIX-101' ORDER BY s.external_id`); err != nil {
		t.Fatal(err)
	}
	want := []string{"E1 completed 2015-12-18 12:17 false", "E2 failed 2015-12-18 12:17 false"}
	for i, g := range got {
		if line := strings.Join([]string{g.Staff, g.Status, g.Closed, strconv.FormatBool(g.Linked)}, " "); i >= len(want) || line != want[i] {
			t.Errorf("enrolment %d: %s", i, line)
		}
	}
	if len(got) != 2 || len(trainingEvidence(t, e, "E1")) != 1 || len(trainingEvidence(t, e, "E2")) != 0 {
		t.Fatalf("enrolments %+v; statements %v", got, ids)
	}
	// The statements are kept as received.
	var kept json.RawMessage
	if err := e.db.Get(&kept, `SELECT statement->'actor' FROM xapi_statements WHERE id = $1`, ids[1]); err != nil || string(kept) != `{"mbox": "mailto:USER@Example.com", "name": "Example Learner", "objectType": "Agent"}` {
		t.Fatalf("kept %s, %v", kept, err)
	}
}
