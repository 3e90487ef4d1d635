package api

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// One test per finding of the security review (issue 16), each written to fail on the
// code before its fix. SECURITY.md lists the findings and what closed them.

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
	w.as(w.trainer, "POST", "/api/v1/xapi/statements", secStatement(homePage, "E1"), secXAPIVersion...).expect(200)
}

func (w secWorld) wantTraining(want string) {
	w.t.Helper()
	if got := fmt.Sprint(w.trainingRecords()); got != want {
		w.t.Fatalf("training evidence by organisation %s, want %s", got, want)
	}
}

// TestSecurityHomePageTakeoverClaim: hr of TA set TA's xAPI home page to the URL the LMS
// uses for T01 and received T01's statements. Binding an LMS identity to a tenant is now
// an administrator's act, a home page identifies an organisation only when configured
// (no guess from the URL's last segment), and home pages are unique in a normalised form.
func TestSecurityHomePageTakeoverClaim(t *testing.T) {
	w := newSecWorld(t)
	admin := w.admin()

	// The attack: claim T01's URL, in any spelling, on TA, on a unit hr creates, by PUT.
	for _, claim := range []string{"HTTPS://LMS.Example:443/orgs/%54%301/", secLMS + "T01"} {
		w.refusedHomePage(w.hrTA, "PATCH", "/api/v1/organisations/TA", map[string]any{"xapi_home_page": claim})
	}
	w.refusedHomePage(w.hrTA, "POST", "/api/v1/organisations", map[string]any{"code": "TA-X", "name": "X", "type": "department",
		"parent": "TA", "xapi_home_page": secLMS + "T01"})
	w.refusedHomePage(w.hrTA, "PUT", "/api/v1/organisations/TA-D", map[string]any{"name": "Department of A", "type": "department",
		"parent": "TA", "xapi_home_page": secLMS + "T01"})

	// A URL that no administrator bound to an organisation names nobody, whatever its last
	// segment says: T01 has no home page yet, so its statement is refused, not guessed.
	r := w.as(w.trainer, "POST", "/api/v1/xapi/statements", secStatement(secLMS+"T01", "E1"), secXAPIVersion...)
	w.wantTraining("map[]")
	r.problem(422)

	// The administrator binds T01's URL to T01; another spelling of it cannot be bound to
	// TA (it is the same URL), and statements in any spelling reach T01's E1 only.
	var t01 models.Organisation
	w.as(admin, "PATCH", "/api/v1/organisations/T01", map[string]any{"xapi_home_page": "https://LMS.example/orgs/T01/"}).expect(200).decode(&t01)
	if t01.XAPIHomePage != secLMS+"T01" {
		t.Fatalf("stored home page %q, want it normalised to %q", t01.XAPIHomePage, secLMS+"T01")
	}
	w.homePageTaken("TA", "https://lms.example:443/orgs/T%30%31")
	w.completedBy(secLMS + "T01")
	w.completedBy("https://lms.EXAMPLE/orgs/T01/")
	w.wantTraining("map[T01:2]")
}

// TestSecurityHomePageTakeoverBlock: hr of a department set its home page to TB's URL
// with a trailing slash; statements were matched on rtrim(home page, '/'), so every
// statement for TB's staff matched two people and was refused.
func TestSecurityHomePageTakeoverBlock(t *testing.T) {
	w := newSecWorld(t)
	admin := w.admin()
	w.as(admin, "PATCH", "/api/v1/organisations/TB", map[string]any{"xapi_home_page": secLMS + "TB"}).expect(200)

	w.refusedHomePage(w.hrDept, "PATCH", "/api/v1/organisations/TA-D", map[string]any{"xapi_home_page": secLMS + "TB/"})
	w.completedBy(secLMS + "TB")
	w.wantTraining("map[TB:1]")
	// No administrator can bind a spelling of TB's URL elsewhere either, and statements in
	// any spelling of it reach TB.
	for _, variant := range []string{secLMS + "TB/", "https://lms.example:443/orgs/TB", "https://LMS.EXAMPLE/orgs/%54B", "https://lms.example/orgs/x/../TB"} {
		w.homePageTaken("TA-D", variant)
	}
	w.completedBy("https://LMS.example:443/orgs/TB/")
	w.wantTraining("map[TB:2]")
}

// TestSecurityIdempotencyKeyScopedToRequest: a key was matched on the route pattern and
// the body only, so the same key and body sent to T01 replayed TA's answer (nothing
// created for T01), and completions for ?provider=prov2 replayed prov1's result. A key
// now stands for its whole request (token, method, path, query and body); reusing it for
// another request is 422, saying what differs.
func TestSecurityIdempotencyKeyScopedToRequest(t *testing.T) {
	w := newSecWorld(t)
	admin := w.admin()
	body := map[string]any{"external_id": "N1", "display_name": "New Starter"}
	w.as(admin, "POST", "/api/v1/organisations/TA/staff", body, "Idempotency-Key", "k-staff").expect(201)
	r := w.as(admin, "POST", "/api/v1/organisations/T01/staff", body, "Idempotency-Key", "k-staff")
	p := r.problem(422)
	if r.Header().Get("Idempotent-Replayed") != "" || !strings.Contains(p.Detail, "Idempotency-Key") || !strings.Contains(p.Detail, "path") {
		t.Fatalf("same key for another organisation: replayed %q, %+v", r.Header().Get("Idempotent-Replayed"), p)
	}
	w.as(admin, "GET", "/api/v1/organisations/T01/staff/N1", nil).problem(404)
	// The same request again is still a replay.
	r = w.as(admin, "POST", "/api/v1/organisations/TA/staff", body, "Idempotency-Key", "k-staff").expect(201)
	if r.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatal("the same request again was not replayed")
	}
	// Another body, or another operation, under the key is 422 too, saying so.
	if p := w.as(admin, "POST", "/api/v1/organisations/TA/staff", map[string]any{"external_id": "N2"}, "Idempotency-Key", "k-staff").problem(422); !strings.Contains(p.Detail, "body") {
		t.Fatalf("another body: %+v", p)
	}
	if p := w.as(admin, "POST", "/api/v1/organisations", map[string]any{"code": "N1", "name": "N", "type": "other"}, "Idempotency-Key", "k-staff").problem(422); !strings.Contains(p.Detail, "operation") {
		t.Fatalf("another operation: %+v", p)
	}

	// Completions: the provider is in the query string.
	for _, prov := range []string{"prov1", "prov2"} {
		w.as(admin, "PUT", "/api/v1/courses/C-"+prov, map[string]any{"title": "Course", "provider": prov,
			"skills": []map[string]any{{"skill": "firewall-config", "level": 2}}}).expect(201)
	}
	at := clocktest.Days(-3).Format(time.RFC3339)
	item := map[string]any{"completion_id": "X-1", "organisation": "TA", "staff_external_id": "E1", "course": "C-prov1",
		"completed_at": at, "passed": true}
	w.as(admin, "POST", "/api/v1/completions?provider=prov1", item, "Idempotency-Key", "k-done").expect(201)
	r = w.as(admin, "POST", "/api/v1/completions?provider=prov2", item, "Idempotency-Key", "k-done")
	if p := r.problem(422); r.Header().Get("Idempotent-Replayed") != "" || !strings.Contains(p.Detail, "query") {
		t.Fatalf("same key for another provider: %+v", p)
	}
}

// The person the erasure tests erase, and what identifies them.
const (
	secName  = "Ada Lovelace-Byron"
	secEmail = "ada.byron@trust-a.example"
	secID    = "P-ADA-1815"
)

// TestSecurityErasureScrubsEveryCopy: after an erasure, the person's name and e-mail
// survived in their stored xAPI statements and in idempotency replays (and their external
// id in the audit trail). Erasure now scrubs every copy; a retry of a request whose
// answer named them answers 410 without acting again.
func TestSecurityErasureScrubsEveryCopy(t *testing.T) {
	w := newSecWorld(t)
	admin := w.admin()
	w.as(admin, "PATCH", "/api/v1/organisations/TA", map[string]any{"xapi_home_page": secLMS + "TA"}).expect(200)
	person := map[string]any{"external_id": secID, "display_name": secName, "email": secEmail}
	w.as(w.hrTA, "POST", "/api/v1/organisations/TA/staff", person, "Idempotency-Key", "k-hire").expect(201)
	w.as(w.hrTA, "GET", "/api/v1/organisations/TA/staff/"+secID, nil).expect(200)
	// Statements naming them every way xAPI can: account, mbox, name, and free text.
	byAccount := secStatement(secLMS+"TA", secID)
	byAccount["actor"].(map[string]any)["name"] = secName
	byAccount["result"] = map[string]any{"success": true, "response": "Well done " + secName,
		"extensions": map[string]any{"https://lms.example/ext/email": secEmail}}
	byMail := secStatement("", "")
	byMail["actor"] = map[string]any{"objectType": "Agent", "name": secName, "mbox": "mailto:" + secEmail}
	byMail["context"] = map[string]any{"instructor": map[string]any{"name": "Tutor", "mbox": "mailto:tutor@academy.example"},
		"extensions": map[string]any{"https://lms.example/ext/learner": secName + " <" + secEmail + ">"}}
	// Someone else's statement naming them as instructor, and a scenario naming them.
	colleague := secStatement(secLMS+"TA", "E1")
	colleague["context"] = map[string]any{"instructor": map[string]any{"name": secName, "mbox": "mailto:" + secEmail}}
	colleague["result"] = map[string]any{"response": "Assessed by " + secName + " on the ward"}
	w.as(w.trainer, "POST", "/api/v1/xapi/statements", []any{byAccount, byMail, colleague}, secXAPIVersion...).expect(200)
	w.wantTraining("map[TA:3]")
	w.as(w.hrTA, "POST", "/api/v1/organisations/TA/scenarios", map[string]any{"name": "If " + secName + " leaves",
		"changes": []map[string]any{{"type": "leaver", "staff_external_id": secID}}}).expect(201)

	var erased models.Staff
	w.as(w.hrTA, "DELETE", "/api/v1/organisations/TA/staff/"+secID+"?erase=true", nil).expect(200).decode(&erased)
	// Other people's statements are scanned by the sweeper, a few seconds later at most.
	if _, err := w.db.Sweep(context.Background(), clocktest.Now()); err != nil {
		t.Fatal(err)
	}

	sum := sha1.Sum([]byte("mailto:" + secEmail))
	traces := []string{secName, secEmail, secID, "Lovelace", hex.EncodeToString(sum[:])}
	for _, q := range []struct{ what, sql string }{
		{"stored statements", `SELECT statement::text FROM xapi_statements`},
		{"idempotency replays", `SELECT convert_from(COALESCE(body, ''), 'UTF8') FROM idempotency_keys`},
		{"audit trail", `SELECT target::text FROM audit_log`},
		{"scenarios", `SELECT concat_ws(' ', name, description, changes::text) FROM scenarios`},
		{"erasure scans", `SELECT array_to_string(mentions, ' ') FROM erasure_scans`},
		{"staff", `SELECT concat_ws(' ', external_id, display_name, email) FROM staff`},
	} {
		var texts []string
		if err := w.db.Select(&texts, q.sql); err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			for _, trace := range traces {
				if strings.Contains(strings.ToLower(text), strings.ToLower(trace)) {
					t.Errorf("%s still hold %q after erasure: %s", q.what, trace, text)
				}
			}
		}
	}
	// The statements still say what happened, for the figures: who (the erased record),
	// which course, which verb; their training evidence stays.
	var kept int
	if err := w.db.Get(&kept, `SELECT count(*) FROM xapi_statements x JOIN staff s ON s.id = x.staff_id
		WHERE s.external_id = $1 AND x.statement->'object'->>'id' = $2 AND x.statement->'actor'->'account'->>'name' = $1`,
		erased.ExternalID, secCourseIRI); err != nil || kept != 2 {
		t.Fatalf("statements kept for %s: %d (%v)", erased.ExternalID, kept, err)
	}
	w.wantTraining("map[TA:3]")
	// The colleague's statement keeps its own actor; the scenario names the erased record.
	var others int
	if err := w.db.Get(&others, `SELECT count(*) FROM xapi_statements WHERE statement->'actor'->'account'->>'name' = 'E1'
		AND statement->'context'->'instructor'->>'name' = 'erased'`); err != nil || others != 1 {
		t.Fatalf("the colleague's statement: %d (%v)", others, err)
	}
	var named string
	if err := w.db.Get(&named, `SELECT changes->'changes'->0->>'staff_external_id' FROM scenarios`); err != nil || named != erased.ExternalID {
		t.Fatalf("the scenario names %q after erasure, want %q (%v)", named, erased.ExternalID, err)
	}
	// The retried hire neither replays their name nor hires them again.
	r := w.as(w.hrTA, "POST", "/api/v1/organisations/TA/staff", person, "Idempotency-Key", "k-hire")
	r.problem(410)
	if strings.Contains(r.Body.String(), secName) || strings.Contains(r.Body.String(), secEmail) {
		t.Fatalf("the retry shows the erased person: %s", r.Body.String())
	}
	w.as(w.hrTA, "GET", "/api/v1/organisations/TA/staff/"+secID, nil).problem(404)
}

// TestSecurityErasedRecordIsGone: PUT .../staff/erased-N brought an erased record back
// as active. Every write to an erased record is now 410 Gone and changes nothing.
func TestSecurityErasedRecordIsGone(t *testing.T) {
	w := newSecWorld(t)
	w.as(w.hrTA, "PUT", "/api/v1/organisations/TA/staff/"+secID, map[string]any{"display_name": secName, "email": secEmail}).expect(201)
	var erased models.Staff
	w.as(w.hrTA, "DELETE", "/api/v1/organisations/TA/staff/"+secID+"?erase=true", nil).expect(200).decode(&erased)
	path := "/api/v1/organisations/TA/staff/" + erased.ExternalID
	level := 2
	for _, write := range []struct {
		method, path string
		body         any
	}{
		{"PUT", path, map[string]any{"display_name": secName, "email": secEmail, "status": "active"}},
		{"PATCH", path, map[string]any{"display_name": secName}},
		{"POST", "/api/v1/organisations/TA/staff", map[string]any{"external_id": erased.ExternalID, "display_name": secName}},
		{"POST", path + "/evidence", models.NewEvidence{Skill: "firewall-config", Level: &level, Source: "manager"}},
		{"POST", "/api/v1/organisations/TA/staff/import", csvBody("external_id,display_name,email\n" + erased.ExternalID + "," + secName + "," + secEmail + "\n")},
		{"POST", "/api/v1/organisations/TA/staff/import?mode=partial", csvBody("external_id,display_name\n" + erased.ExternalID + "," + secName + "\n")},
		{"POST", "/api/v1/organisations/TA/evidence/import", csvBody("external_id,skill,level,source\n" + erased.ExternalID + ",firewall-config,2,manager\n")},
	} {
		r := w.as(w.hrTA, write.method, write.path, write.body)
		partial := strings.Contains(write.path, "mode=partial")
		if partial {
			var rep models.ImportReport
			r.expect(200).decode(&rep)
			if len(rep.Rejected) != 1 || rep.Inserted+rep.Updated != 0 || !strings.Contains(fmt.Sprint(rep.Rejected), "erased") {
				t.Errorf("%s %s: %+v", write.method, write.path, rep)
			}
			continue
		}
		if r.Code != 410 {
			t.Errorf("%s %s: status %d, want 410: %s", write.method, write.path, r.Code, r.Body.String())
			continue
		}
		r.problem(410)
	}
	// Erasing again is harmless, and the record is as erasure left it.
	var after models.Staff
	w.as(w.hrTA, "DELETE", path+"?erase=true", nil).expect(200)
	w.as(w.hrTA, "GET", path, nil).expect(200).decode(&after)
	if !after.Erased || after.Status != models.StaffLeaver || after.DisplayName != "" || after.Email != "" {
		t.Fatalf("the erased record changed: %+v", after)
	}
	var evidence int
	if err := w.db.Get(&evidence, `SELECT count(*) FROM evidence e JOIN staff s ON s.id = e.staff_id WHERE s.erased_at IS NOT NULL`); err != nil || evidence != 0 {
		t.Fatalf("evidence recorded for the erased record: %d (%v)", evidence, err)
	}
}

// TestSecurityUniform401: the client learnt whether a token existed but had expired or
// had been revoked. Every failed authentication now answers the same 401; the log keeps
// the reason.
func TestSecurityUniform401(t *testing.T) {
	e, capture := newLoggingEnv(t)
	// Minted a day ago for an hour: expired as of the test clock.
	_, expired, err := e.db.CreateToken(context.Background(), models.NewToken{Name: "old", Role: models.RoleAdmin, ExpiresIn: time.Hour}, clocktest.Days(-1))
	if err != nil {
		t.Fatal(err)
	}
	tok, revoked := e.createToken(models.NewToken{Name: "gone", Role: models.RoleAdmin})
	if _, err := e.db.RevokeToken(context.Background(), tok.ID, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ id, authorization, reason string }{
		{"u-missing", "", "missing bearer token"},
		{"u-malformed", "Basic YWRtaW46YWRtaW4=", "missing bearer token"},
		{"u-unknown", "Bearer csk_NOTAREALTOKEN", "the token is not valid"},
		{"u-expired", "Bearer " + expired, "the token has expired"},
		{"u-revoked", "Bearer " + revoked, "the token has been revoked"},
	}
	var first *response
	for _, tc := range cases {
		headers := []string{"X-Request-ID", tc.id}
		if tc.authorization != "" {
			headers = append(headers, "Authorization", tc.authorization)
		}
		r := e.request("GET", "/api/v1/tokens", nil, headers...)
		p := r.problem(401)
		if first == nil {
			first = r
		}
		want := first.problem(401)
		if p.Detail != want.Detail || p.Type != want.Type || r.Header().Get("WWW-Authenticate") != first.Header().Get("WWW-Authenticate") {
			t.Errorf("%s: answered %q (%s), but %s answered %q (%s)", tc.id, p.Detail, r.Header().Get("WWW-Authenticate"),
				cases[0].id, want.Detail, first.Header().Get("WWW-Authenticate"))
		}
		logged := false
		for _, rec := range capture.withRequestID(t, tc.id) {
			logged = logged || (rec["msg"] == "authentication failed" && rec["reason"] == tc.reason)
		}
		if !logged {
			t.Errorf("%s: the log does not keep the reason %q", tc.id, tc.reason)
		}
	}
	if strings.Contains(capture.String(), expired) || strings.Contains(capture.String(), revoked) {
		t.Error("the log holds a token")
	}
}
