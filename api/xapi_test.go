package api

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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

// lms is a provider's learning system as the LRS sees it: it sends xAPI requests with the
// HTTP Basic credentials (LRS key and secret) of a trainer token, and a version header.
type lms struct {
	e          *testEnv
	provider   string
	authorised string // the Authorization header
	version    string
}

// newLMS mints a trainer token for provider and configures an LMS with its LRS key and
// secret, as an administrator would configure Moodle's logstore_xapi.
func newLMS(e *testEnv, provider string) lms {
	e.t.Helper()
	tok, secret := e.createToken(models.NewToken{Name: provider + " LMS", Role: models.RoleTrainer, Provider: provider})
	return lms{e: e, provider: provider, authorised: basicAuth(models.LRSKey(tok.ID), secret), version: xapi.Version1}
}

func basicAuth(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

// do sends a request of the LMS; headers add to or replace its own.
func (l lms) do(method, path string, body any, headers ...string) *response {
	l.e.t.Helper()
	return l.e.request(method, path, body, append([]string{"Authorization", l.authorised, XAPIVersionHeader, l.version}, headers...)...)
}

// post sends statements and returns the ids, requiring status.
func (l lms) post(body any, status int) []string {
	l.e.t.Helper()
	var ids []string
	r := l.do("POST", "/xapi/statements", body).expect(status)
	if status == 200 {
		r.decode(&ids)
	}
	return ids
}

// get reads one statement by id as the LMS sees it.
func (l lms) get(id string) map[string]any {
	l.e.t.Helper()
	var s map[string]any
	l.do("GET", "/xapi/statements?statementId="+id, nil).expect(200).decode(&s)
	return s
}

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

// outcomeOf is what became of one stored statement: its status and reason.
func outcomeOf(t *testing.T, e *testEnv, id string) string {
	t.Helper()
	var o struct {
		Status string  `db:"match_status"`
		Reason *string `db:"match_reason"`
	}
	if err := e.db.Get(&o, `SELECT match_status, match_reason FROM xapi_statements WHERE id = $1`, id); err != nil {
		t.Fatalf("statement %s: %v", id, err)
	}
	if o.Reason == nil {
		return o.Status
	}
	return o.Status + ": " + *o.Reason
}

// expectOutcomes requires the outcome of each statement, in order.
func expectOutcomes(t *testing.T, e *testEnv, ids, want []string) {
	t.Helper()
	for i, id := range ids {
		if got := outcomeOf(t, e, id); i >= len(want) || got != want[i] {
			t.Errorf("statement %d: %q, want %q", i, got, want[min(i, len(want)-1)])
		}
	}
}

func TestXAPIStatementsAsTheSpecificationWritesThem(t *testing.T) {
	specSimpleStatement, specAttemptedStatement := specExample(t, "simple"), specExample(t, "attempted")
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")

	// The simple statement is stored whatever it is about; its verb earns nothing.
	r := acme.do("POST", "/xapi/statements", specSimpleStatement).expect(200)
	if r.Body.String() != `["fd41c918-b88b-4b20-a0a5-a4c32391aaa0"]` || r.Header().Get(XAPIVersionHeader) != "1.0.3" ||
		r.Header().Get(xapiConsistentHeader) == "" {
		t.Fatalf("answer %s, headers %v", r.Body.String(), r.Header())
	}
	if got := outcomeOf(t, e, "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"); got != "ignored: its verb earns no evidence" {
		t.Fatalf("outcome %q", got)
	}
	// Read back, it is the statement sent with what the LRS sets.
	got := acme.get("fd41c918-b88b-4b20-a0a5-a4c32391aaa0")
	var sent map[string]any
	json.Unmarshal([]byte(specSimpleStatement), &sent)
	for _, k := range []string{"actor", "verb", "object", "timestamp"} {
		if a, b := jsonOf(got[k]), jsonOf(sent[k]); a != b {
			t.Errorf("%s: read %s, sent %s", k, a, b)
		}
	}
	if got["stored"] != clockNow(e).Format("2006-01-02T15:04:05.000Z") || got["version"] != "1.0.0" ||
		jsonOf(got["authority"]) != `{"account":{"homePage":"https://cyberskills.dev/providers","name":"acme-training"},"name":"acme-training","objectType":"Agent"}` {
		t.Fatalf("read back %v", got)
	}

	// The same statement again, or as an LRS would return it, changes nothing.
	if ids := acme.post(specSimpleStatement, 200); !slices.Equal(ids, []string{"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}) {
		t.Fatalf("ids %v", ids)
	}
	returned := strings.Replace(specSimpleStatement, `"timestamp": "2015-11-18T12:17:00+00:00",`,
		`"timestamp": "2015-11-18T13:17:00.000+01:00", "stored": "2015-11-18T12:17:01Z", "version": "1.0.0",
		"authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.com"},`, 1)
	acme.do("PUT", "/xapi/statements?statementId=FD41C918-B88B-4B20-A0A5-A4C32391AAA0", returned).expect(204)
	if n := statementCount(t, e); n != 1 {
		t.Fatalf("%d statements stored", n)
	}
	// Another statement under its id is a conflict.
	changed := strings.Replace(specSimpleStatement, "#sent-a-statement", "#read-a-statement", 1)
	if p := acme.do("POST", "/xapi/statements", changed).problem(409); !p.hasFieldError("id") {
		t.Fatalf("problem %+v", p)
	}
	acme.do("PUT", "/xapi/statements?statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0", changed).problem(409)

	// The attempted example (result with score and success) is stored and earns nothing.
	if ids := acme.post(specAttemptedStatement, 200); !slices.Equal(ids, []string{"7ccd3322-e1a5-411a-a67d-6a735c76f119"}) {
		t.Fatalf("ids %v", ids)
	}
	if evs := trainingEvidence(t, e, "E3"); len(evs) != 0 {
		t.Fatalf("attempted granted %+v", evs)
	}

	// Passed, by an account on the organisation's xAPI homePage (set by the fixture), with
	// context, and failed in one batch: ids in order, one generated.
	failed := strings.NewReplacer("7ccd3322-e1a5-411a-a67d-6a735c76f119", "3b1c7a52-6d8e-4f0a-9c2b-5e4d3f2a1b0c",
		"verbs/attempted", "verbs/failed", `"success":true`, `"success":false`).Replace(specAttemptedStatement)
	ids := acme.post("["+passedStatement+","+failed+"]", 200)
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
	if a, b := outcomeOf(t, e, ids[0]), outcomeOf(t, e, ids[1]); a != "conferred" || b != "matched: failed: confers nothing" {
		t.Fatalf("outcomes %q, %q", a, b)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// clockNow is the instant the server stores statements at: the test clock, to the millisecond.
func clockNow(e *testEnv) time.Time {
	return e.srv.svc.Clock().Now().UTC().Truncate(time.Millisecond)
}

// Statements that name unknown people or activities are stored and answered 200 like
// any other; malformed ones are 400 naming the property, and nothing of the batch is kept.
func TestXAPIBatchesNeverBounceForWhatIsNotTracked(t *testing.T) {
	specSimpleStatement, specAttemptedStatement := specExample(t, "simple"), specExample(t, "attempted")
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	nobody := strings.Replace(specAttemptedStatement, "example.learner@adlnet.gov", "nobody@adlnet.gov", 1)
	unknownActivity := strings.NewReplacer("example/simpleCBT", "example/unknown", "7ccd3322", "8ccd3322", "verbs/attempted", "verbs/completed").Replace(specAttemptedStatement)
	elsewhere := strings.Replace(passedStatement, "orgs/ORGA", "orgs/ORGB", 1)
	group := strings.Replace(passedStatement, `"objectType": "Agent", "name":"Example Learner",`, `"objectType": "Group", "member": [{"mbox": "mailto:user@example.com"}],`, 1)
	ids := acme.post("["+specSimpleStatement+","+strings.Replace(nobody, "verbs/attempted", "verbs/completed", 1)+","+unknownActivity+","+elsewhere+","+group+"]", 200)
	want := []string{
		"ignored: its verb earns no evidence",
		"unmatched: actor: names no staff member known here (no person mapping of yours, no organisation with this account homePage, no staff e-mail for this mbox)",
		"unmatched: activity: no course of yours has the object, a parent or a grouping activity",
		"unmatched: actor: names no staff member known here (no person mapping of yours, no organisation with this account homePage, no staff e-mail for this mbox)",
		"unmatched: actor: a Group is not one person",
	}
	expectOutcomes(t, e, ids, want)

	// The provider reads the outcomes, unmatched ones with their reasons.
	page := getJSON[Page[xapi.Outcome]](e, newBearer(e, "acme-training"), "/api/v1/xapi/outcomes?status=unmatched")
	if len(page.Items) != 4 || page.Items[0].StatementID != ids[4] || page.Items[0].Reason != "actor: a Group is not one person" ||
		page.Items[1].Course != "CBT-1" || page.Items[2].Course != "" {
		t.Fatalf("outcomes %+v", page.Items)
	}

	// Another provider's course is not an activity of this provider's: unmatched too.
	rival := newLMS(e, "rival-training")
	id := rival.post(strings.NewReplacer("verbs/attempted", "verbs/passed", "7ccd3322", "6ccd3322").Replace(specAttemptedStatement), 200)[0]
	if got := outcomeOf(t, e, id); got != "unmatched: activity: no course of yours has the object, a parent or a grouping activity" {
		t.Fatalf("rival's statement: %q", got)
	}

	// An e-mail shared by two staff records names nobody in particular.
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/E4", map[string]any{"email": "Example.Learner@ADLNET.gov"}).expect(201)
	shared := strings.NewReplacer("7ccd3322", "9ccd3322", "verbs/attempted", "verbs/passed").Replace(specAttemptedStatement)
	if got := outcomeOf(t, e, acme.post(shared, 200)[0]); !strings.HasPrefix(got, "unmatched: actor: matches several staff members") {
		t.Fatalf("shared e-mail: %q", got)
	}

	// One malformed statement refuses the batch, naming it.
	before := statementCount(t, e)
	bad := strings.Replace(specSimpleStatement, "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "not-a-uuid", 1)
	if p := acme.do("POST", "/xapi/statements", "["+passedStatement+","+bad+"]").problem(400); !p.hasFieldError("statements[1].id") {
		t.Fatalf("problem %+v", p)
	}
	if n := statementCount(t, e); n != before {
		t.Fatalf("%d statements stored by a refused batch", n-before)
	}
}

// newBearer mints a trainer token of provider and returns it, for the /api/v1 routes.
func newBearer(e *testEnv, provider string) string {
	e.t.Helper()
	return e.mint(models.RoleTrainer, "", provider)
}

func TestXAPIActorsAndEnrolments(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
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
	ids := acme.post("["+configured+","+byMail+"]", 200)
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
	var lines []string
	for _, g := range got {
		lines = append(lines, strings.Join([]string{g.Staff, g.Status, g.Closed, jsonOf(g.Linked)}, " "))
	}
	expectLines(t, "enrolments", lines, []string{"E1 completed 2015-12-18 12:17 false", "E2 failed 2015-12-18 12:17 false"})
	if len(trainingEvidence(t, e, "E1")) != 1 || len(trainingEvidence(t, e, "E2")) != 0 {
		t.Fatalf("evidence; statements %v", ids)
	}
	// The statements are kept as received.
	var kept json.RawMessage
	if err := e.db.Get(&kept, `SELECT statement->'actor' FROM xapi_statements WHERE id = $1`, ids[1]); err != nil || string(kept) != `{"mbox": "mailto:USER@Example.com", "name": "Example Learner", "objectType": "Agent"}` {
		t.Fatalf("kept %s, %v", kept, err)
	}
}
