package api

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
)

// One test per finding of the security review (issue 16), each written to fail on the
// code before its fix; SECURITY.md lists the findings and what closed them. Their
// fixtures are in security_fixtures_test.go, the disclosure attacker in
// disclosure_attacker_test.go.

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
	// segment says: T01 has no home page yet, so its statement is stored unmatched, not
	// guessed.
	var ids []string
	w.as(w.trainer, "POST", "/xapi/statements", secStatement(secLMS+"T01", "E1"), secXAPIVersion...).expect(200).decode(&ids)
	w.wantTraining("map[]")
	if got := outcomeOf(t, w.testEnv, ids[0]); !strings.HasPrefix(got, "unmatched: actor: names no staff member known here") {
		t.Fatalf("outcome %q", got)
	}

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
	w.as(w.trainer, "POST", "/xapi/statements", []any{byAccount, byMail, colleague}, secXAPIVersion...).expect(200)
	w.wantTraining("map[TA:3]")
	// A national LMS names them by its own account, mapped to them; sends statements
	// that earn nothing (a view, by the hash of their mailbox) and an attachment; and
	// describes an activity with their name.
	hub := newLMS(w.testEnv, "hub")
	w.as(newBearer(w.testEnv, "hub"), "POST", "/api/v1/xapi/people/import",
		ndjson(`{"home_page":"https://hub.example","account_name":"hub-ada-77","organisation":"TA","external_id":"`+secID+`"}`)).expect(200)
	sum := sha1.Sum([]byte("mailto:" + secEmail))
	viewed := `{"actor":{"mbox_sha1sum":"` + hex.EncodeToString(sum[:]) + `","name":"` + secName + `"},"verb":{"id":"http://id.tincanapi.com/verb/viewed"},
		"object":{"id":"https://hub.example/course/1","definition":{"name":{"en":"Mentoring with ` + secName + `"}}}}`
	certificate := "Certificate of " + secName
	attached := `{"actor":{"account":{"homePage":"https://hub.example/","name":"hub-ada-77"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},
		"object":{"id":"https://hub.example/course/1"},"attachments":[{"usageType":"http://example.com/certificate","display":{"en":"certificate"},
		"contentType":"text/plain","length":` + itoa(int64(len(certificate))) + `,"sha2":"` + sha256Hex(certificate) + `"}]}`
	body, contentType := multipartStatements(attached, certificate)
	hub.do("POST", "/xapi/statements", rawBody{contentType, body}).expect(200)
	hub.post(viewed, 200)
	w.as(w.hrTA, "POST", "/api/v1/organisations/TA/scenarios", map[string]any{"name": "If " + secName + " leaves",
		"changes": []map[string]any{{"type": "leaver", "staff_external_id": secID}}}).expect(201)

	var erased models.Staff
	w.as(w.hrTA, "DELETE", "/api/v1/organisations/TA/staff/"+secID+"?erase=true", nil).expect(200).decode(&erased)
	// Other people's statements are scanned by the sweeper, a few seconds later at most.
	if _, err := w.db.Sweep(context.Background(), clocktest.Now()); err != nil {
		t.Fatal(err)
	}

	traces := []string{secName, secEmail, secID, "Lovelace", hex.EncodeToString(sum[:]), "hub-ada-77"}
	for _, q := range []struct{ what, sql string }{
		{"stored statements", `SELECT statement::text FROM xapi_statements`},
		{"what statement filters read", `SELECT concat_ws(' ', actor_key, array_to_string(agents, ' '), array_to_string(related_agents, ' ')) FROM xapi_statements`},
		{"person mappings", `SELECT concat_ws(' ', home_page, identifier, mbox_sha1sum, external_id) FROM xapi_person_mappings`},
		{"activity definitions", `SELECT definition::text FROM xapi_activities`},
		{"attachments", `SELECT convert_from(data, 'UTF8') FROM xapi_attachments`},
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
	// Their statements that earned nothing, or named them by the hub's account, are theirs
	// too (reduced, above): four in all.
	if err := w.db.Get(&kept, `SELECT count(*) FROM xapi_statements x JOIN staff s ON s.id = x.staff_id WHERE s.external_id = $1`,
		erased.ExternalID); err != nil || kept != 4 {
		t.Fatalf("statements of %s: %d (%v)", erased.ExternalID, kept, err)
	}
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

// TestSecurityNDJSONTrailingContent: a line holding one object and then more (another
// object, or anything else) is refused as a whole, naming the line and saying why, in
// the staff and the evidence import; nothing of it is imported, even in partial mode.
func TestSecurityNDJSONTrailingContent(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	for _, tail := range []string{` {"external_id":"SMUGGLED"}`, ` trailing`, `]`} {
		staff := ndjson(`{"external_id":"OK1"}` + "\n" + `{"external_id":"FIRST"}` + tail + "\n")
		p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", staff).problem(400)
		rows := rejectedRows(t, p)
		if len(rows) != 1 || rows[0].Line != 2 || len(rows[0].Errors) != 1 ||
			!strings.Contains(rows[0].Errors[0].Message, "after the object") {
			t.Errorf("staff line with %q: %+v", tail, rows)
		}
		var report models.ImportReport
		e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import?mode=partial", staff).expect(200).decode(&report)
		if report.Inserted+report.Unchanged != 1 || len(report.Rejected) != 1 || report.Rejected[0].Line != 2 {
			t.Errorf("partial staff import with %q: %+v", tail, report)
		}
		for _, id := range []string{"FIRST", "SMUGGLED"} {
			e.as(hr, "GET", "/api/v1/organisations/ORGA/staff/"+id, nil).problem(404)
		}

		evidence := ndjson(`{"external_id":"E1","skill":"firewall-config","level":2,"source":"manager"}` + tail + "\n")
		p = e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", evidence).problem(400)
		rows = rejectedRows(t, p)
		if len(rows) != 1 || rows[0].Line != 1 || len(rows[0].Errors) != 1 ||
			!strings.Contains(rows[0].Errors[0].Message, "after the object") {
			t.Errorf("evidence line with %q: %+v", tail, rows)
		}
	}
}

// TestSecurityPathCleanedIdentifiers: an external id that path cleaning would change
// ("." and "..") could never be addressed again, and "%2E%2E" in a staff path would reach
// the organisation itself; such ids are refused wherever staff are created.
func TestSecurityPathCleanedIdentifiers(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	for _, id := range []string{".", ".."} {
		p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff", map[string]any{"external_id": id}).problem(400)
		if !p.hasFieldError("external_id") {
			t.Errorf("POST %q: %+v", id, p)
		}
		p = e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody("external_id\n"+id+"\n")).problem(400)
		if rows := rejectedRows(t, p); len(rows) != 1 || rows[0].Errors[0].Field != "external_id" {
			t.Errorf("CSV import %q: %+v", id, rows)
		}
		p = e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", ndjson(`{"external_id":"`+id+`"}`)).problem(400)
		if rows := rejectedRows(t, p); len(rows) != 1 || rows[0].Errors[0].Field != "external_id" {
			t.Errorf("NDJSON import %q: %+v", id, rows)
		}
	}
	var page Page[models.Staff]
	e.as(hr, "GET", "/api/v1/organisations/ORGA/staff?limit=100", nil).expect(200).decode(&page)
	for _, s := range page.Items {
		if s.ExternalID == "." || s.ExternalID == ".." {
			t.Errorf("stored %q", s.ExternalID)
		}
	}
	// A dot segment in a path is refused, not cleaned away: DELETE .../staff/%2E%2E used
	// to delete the organisation itself.
	e.mustCreateOrg(e.admin(), org{"code": "ORGA-X", "name": "Spare unit", "type": "department", "parent": "ORGA"})
	for _, path := range []string{"/api/v1/organisations/ORGA-X/staff/%2E%2E", "/api/v1/organisations/ORGA-X/staff/%2e%2e/",
		"/api/v1/organisations/ORGA-X/roles/./", "/api/v1/organisations/ORGA-X/staff/E1/%2E%2E/%2E%2E"} {
		e.as(e.admin(), "DELETE", path, nil).problem(400)
	}
	e.as(e.admin(), "GET", "/api/v1/organisations/ORGA-X", nil).expect(200)
}

// TestSecurityOneDateRule: every date and time field accepts the same range, 1900-01-01
// to 9999-12-31 (models.EarliestTime, models.LatestTime); year 0 (stored by PostgreSQL as
// 1 BC) and year 1899 are refused with the field named, everywhere.
func TestSecurityOneDateRule(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr, admin := f.tokens[models.RoleHR], e.admin()
	trainer := e.mint(models.RoleTrainer, "", "acme-training")
	e.as(admin, "PUT", "/api/v1/courses/SEC-101", courseBody("", "")).expect(201)
	for _, day := range []string{"0000-01-01", "1899-12-31"} {
		ts := day + "T00:00:00Z"
		cases := []struct {
			name, token, method, path string
			body                      any
			field                     string
		}{
			{"evidence assessed_at", hr, "POST", "/api/v1/organisations/ORGA/staff/E1/evidence",
				map[string]any{"skill": "firewall-config", "level": 2, "source": "manager", "assessed_at": ts}, "assessed_at"},
			{"completion", trainer, "POST", "/api/v1/completions",
				map[string]any{"completion_id": "c-" + day, "organisation": "ORGA", "staff_external_id": "E1", "course": "SEC-101",
					"completed_at": ts, "passed": true}, "completed_at"},
			{"enrolment", hr, "POST", "/api/v1/organisations/ORGA/enrolments",
				map[string]any{"staff_external_id": "E1", "course": "SEC-101", "enrolled_at": day,
					"expected_completion": clocktest.Days(30).Format("2006-01-02")}, "enrolled_at"},
			{"coverage", hr, "PUT", "/api/v1/organisations/ORGA/coverage",
				map[string]any{"coverage": []map[string]any{{"skill": "firewall-config", "provider": "SOC", "contract_end": day}}}, "coverage.contract_end"},
			{"establishment", hr, "PUT", "/api/v1/organisations/ORGA/establishment",
				map[string]any{"entries": []map[string]any{{"role": "orga-role", "period": day[:7], "funded_posts": 1}}}, "entries[0].period"},
			{"staff start_date", hr, "PUT", "/api/v1/organisations/ORGA/staff/E9", map[string]any{"start_date": day}, "start_date"},
			{"organisation open_date", hr, "POST", "/api/v1/organisations",
				map[string]any{"code": "ORGA-D", "name": "D", "type": "department", "parent": "ORGA", "open_date": day}, "open_date"},
			{"gap report at", hr, "GET", "/api/v1/organisations/ORGA/gaps?at=" + day, nil, "at"},
			{"trends from", admin, "GET", "/api/v1/statistics/trends?metric=organisations&from=" + day, nil, "from"},
			{"scenario month", hr, "POST", "/api/v1/organisations/ORGA/scenarios/evaluate",
				map[string]any{"changes": []map[string]any{{"type": "hire", "role": "orga-role", "count": 1, "from": day[:7]}}}, "changes[0].from"},
		}
		for _, c := range cases {
			p := e.as(c.token, c.method, c.path, c.body).problem(400)
			if !p.hasFieldError(c.field) {
				t.Errorf("%s %s: %+v", c.name, day, p)
			}
		}
		statement := strings.Replace(passedStatement, "2015-12-18T12:17:00+00:00", ts, 1)
		if p := e.as(trainer, "POST", "/xapi/statements", statement, xapiHeader...).problem(400); !p.hasFieldError("timestamp") {
			t.Errorf("xAPI timestamp %s: %+v", day, p)
		}
		// Files: the staff and evidence imports, CSV and NDJSON alike.
		p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody("external_id,start_date\nE9,"+day+"\n")).problem(400)
		if rows := rejectedRows(t, p); len(rows) != 1 || rows[0].Errors[0].Field != "start_date" {
			t.Errorf("staff import %s: %+v", day, rows)
		}
		p = e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import",
			ndjson(`{"external_id":"E1","skill":"firewall-config","level":2,"source":"manager","assessed_at":"`+ts+`"}`)).problem(400)
		if rows := rejectedRows(t, p); len(rows) != 1 || rows[0].Errors[0].Field != "assessed_at" {
			t.Errorf("evidence import %s: %+v", day, rows)
		}
	}
	// The edges of the range are accepted.
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/E1/evidence", map[string]any{"skill": "firewall-config", "level": 2,
		"source": "manager", "assessed_at": "1900-01-01T00:00:00Z", "expires_at": "9999-12-31T23:59:59Z"}).expect(201)
}

// TestSecurityEstablishmentFuturePeriods: an establishment whose periods have all yet to
// begin (the README's example form, a quarter, next year) has no entry in force; it
// used to answer 500 (in_force NULL scanned into a bool).
func TestSecurityEstablishmentFuturePeriods(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	period := fmt.Sprintf("%d-Q1", clocktest.Now().Year()+1)
	var est models.Establishment
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/establishment",
		map[string]any{"entries": []map[string]any{{"role": "orga-role", "period": period, "funded_posts": 6}}}).expect(200).decode(&est)
	if len(est.Entries) != 1 || est.Entries[0].Period != period || est.Entries[0].InForce || est.Entries[0].Filled != nil {
		t.Fatalf("establishment %+v", est)
	}
	e.as(hr, "GET", "/api/v1/organisations/ORGA/establishment", nil).expect(200)
}

// TestSecurityFundedPostsMessage: funded_posts over its bound says what the bound is.
func TestSecurityFundedPostsMessage(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	for _, posts := range []float64{-1, 1e6 + 1} {
		p := e.as(hr, "PUT", "/api/v1/organisations/ORGA/establishment",
			map[string]any{"entries": []map[string]any{{"role": "orga-role", "period": "2027-Q1", "funded_posts": posts}}}).problem(400)
		if len(p.Errors) != 1 || p.Errors[0].Field != "entries[0].funded_posts" || p.Errors[0].Message != "must be from 0 to 1000000" {
			t.Errorf("funded_posts %v: %+v", posts, p.Errors)
		}
	}
}

// TestSecurityCSVFormulaInjection: every CSV answer (sixteen reports and the framework export)
// neutralises text that a spreadsheet would run as a formula, staff names, external ids,
// role titles and skill names included, with a single quote in front (OWASP); numbers
// stay numbers, and the framework export still imports back unchanged.
func TestSecurityCSVFormulaInjection(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr, admin := f.tokens[models.RoleHR], e.admin()
	hostile := map[string]string{ // external id -> display name
		"=1+2":     `=HYPERLINK("http://x","y")`,
		"@SUM(A1)": `+cmd|' /C calc'!A0`,
		"-2+3":     "\t=1",
	}
	for id, name := range hostile {
		e.as(hr, "PUT", "/api/v1/organisations/ORGA/staff/"+url.PathEscape(id), map[string]any{"role": "orga-role", "display_name": name}).expect(201)
	}
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/"+url.PathEscape("=1+2")+"/evidence", map[string]any{"skill": "firewall-config",
		"level": 1, "source": "manager", "expires_at": clocktest.Days(30).Format(time.RFC3339)}).expect(201)
	role := roleBody("")
	role["title"] = "-1+1 role"
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/roles/orga-role", role).expect(200)
	if _, err := e.db.Exec(`UPDATE skills SET name = '@evil()' WHERE code = 'firewall-config'`); err != nil {
		t.Fatal(err)
	}
	e.as(admin, "POST", "/api/v1/statistics/snapshots", nil).expect(201)

	csvHeader := []string{"Accept", "text/csv"}
	id := url.PathEscape("=1+2")
	for path, want := range map[string][]string{
		"/api/v1/organisations/ORGA/gaps?format=csv":                                  {"'@evil()"},
		"/api/v1/organisations/ORGA/gaps/roles?format=csv":                            {"'-1+1 role"},
		"/api/v1/organisations/ORGA/gaps/matrix?format=csv":                           nil,
		"/api/v1/organisations/ORGA/staff/" + id + "/gaps?format=csv":                 {"'=1+2"},
		"/api/v1/organisations/ORGA/gaps/candidates?skill=firewall-config&format=csv": {"'=1+2", `'=HYPERLINK("http://x","y")`, "'@SUM(A1)", `'+cmd|' /C calc'!A0`, "'-2+3", "'\t=1"},
		"/api/v1/organisations/ORGA/expiring?format=csv":                              {"'=1+2"},
		"/api/v1/organisations/ORGA/projection?months=2&format=csv":                   nil,
	} {
		rows := csvCells(e, hr, path)
		for _, w := range want {
			if !hasCell(rows, w) {
				t.Errorf("%s: no cell %q in %q", path, w, rows)
			}
		}
	}
	// The same through the Accept header.
	if rows := csvCells(e, hr, "/api/v1/organisations/ORGA/gaps/candidates?skill=firewall-config", csvHeader...); !hasCell(rows, "'=1+2") {
		t.Errorf("candidates by Accept: %q", rows)
	}
	for _, path := range []string{"/api/v1/statistics/headline?disclosure=none&format=csv",
		"/api/v1/statistics/gaps?group_by=region,tier&disclosure=none&format=csv",
		"/api/v1/statistics/trends?metric=organisations&format=csv"} {
		csvCells(e, admin, path)
	}

	// The reports that came after the review write through the same writer: a person's
	// competencies, the training plan, the B6 report (role titles) and the assurance
	// statistics (a region's name). A scenario's CSV holds codes and numbers only (codes
	// begin with a letter or digit), which the generic check in csvCells covers.
	e.mustCreateOrg(admin, org{"code": "RX", "name": "=evil region", "type": "region"})
	e.as(admin, "PATCH", "/api/v1/organisations/ORGA", org{"parent": "RX"}).expect(200)
	e.computeAssurance() // the national figures, as the leader computes them, now under RX
	for path, want := range map[string][]string{
		"/api/v1/organisations/ORGA/staff/" + id + "/competencies?format=csv":     {"'=1+2"},
		"/api/v1/organisations/ORGA/training-plan?format=csv":                     {"'=1+2"},
		"/api/v1/organisations/ORGA/assurance/b6?format=csv":                      {"'-1+1 role"},
		"/api/v1/statistics/assurance?group_by=region&disclosure=none&format=csv": {"'=evil region"},
	} {
		token := hr
		if strings.HasPrefix(path, "/api/v1/statistics/") {
			token = admin
		}
		rows := csvCells(e, token, path)
		for _, w := range want {
			if !hasCell(rows, w) {
				t.Errorf("%s: no cell %q in %q", path, w, rows)
			}
		}
	}
	var saved models.SavedScenario
	e.as(hr, "POST", "/api/v1/organisations/ORGA/scenarios", map[string]any{"name": "=evil()", "changes": []map[string]any{
		{"type": "leaver", "staff_external_id": "=1+2"}}}).expect(201).decode(&saved)
	csvCells(e, hr, fmt.Sprintf("/api/v1/organisations/ORGA/scenarios/%d?months=2&format=csv", saved.ID))
	csvCellsOf(e, "POST /api/v1/organisations/ORGA/scenarios/evaluate",
		e.as(hr, "POST", "/api/v1/organisations/ORGA/scenarios/evaluate?format=csv", map[string]any{"months": 2,
			"changes": []map[string]any{{"type": "leaver", "staff_external_id": "=1+2"}}}))

	// The framework export: names and descriptors written by whoever published the
	// framework, neutralised, and restored when the file is imported back (a quote
	// before a formula character is read as the neutraliser's: "'=z" is "=z").
	file := "code,name,tier,description,level_1,level_2,level_3,level_4\n" +
		`evil-skill,"=HYPERLINK(""http://x"",""y"")",basic,-1+1,@x,+y,"'=z",plain` + "\n"
	e.importFrameworkCSV("code=hostile&name=Hostile", file).expect(201)
	rows := csvCells(e, admin, "/api/v1/frameworks/hostile/export?format=csv")
	for _, w := range []string{`'=HYPERLINK("http://x","y")`, "'-1+1", "'@x", "'+y", "'=z", "plain"} {
		if !hasCell(rows, w) {
			t.Errorf("framework export: no cell %q in %q", w, rows)
		}
	}
	export := e.as(admin, "GET", "/api/v1/frameworks/hostile/export?format=csv", nil).expect(200).Body.String()
	var res models.ImportResult
	e.importFrameworkCSV("code=hostile", export).expect(200).decode(&res)
	if res.Outcome != "unchanged" {
		t.Errorf("the export imported back as %+v", res)
	}
	if s := e.skill("hostile", "evil-skill"); s.Name != `=HYPERLINK("http://x","y")` || s.Description != "-1+1" || s.Levels["3"] != "=z" {
		t.Errorf("stored %+v", s)
	}
}

// TestSecurityTreeTyping: organisations sit only where the tree's typing allows
// (models.AllowedUnder), on create, replace, patch and import; an hr token creates only
// departments below its own organisation; placements made before the typing existed are
// left alone until a write moves or retypes them.
func TestSecurityTreeTyping(t *testing.T) {
	e := newEnv(t)
	hr, admin := e.buildScopeTree(), e.admin() // Y56 > QKK > ORGA > ORGA-1 > ORGA-1-1, ORGB under QKK; hr of ORGA

	// hr: departments only, whatever sector or name it gives.
	for _, kind := range []string{"trust", "practice", "other", "icb", "region"} {
		body := org{"code": "FAKE-" + kind, "name": "Fake", "type": kind, "parent": "ORGA", "sector": "acute"}
		if p := e.as(hr, "POST", "/api/v1/organisations", body).problem(403); !p.hasFieldError("type") {
			t.Errorf("hr creating a %s: %+v", kind, p)
		}
		if p := e.as(hr, "PUT", "/api/v1/organisations/FAKE-"+kind, body).problem(403); !p.hasFieldError("type") {
			t.Errorf("hr putting a %s: %+v", kind, p)
		}
		if p := e.as(hr, "PATCH", "/api/v1/organisations/ORGA-1-1", org{"type": kind}).problem(403); !p.hasFieldError("type") {
			t.Errorf("hr retyping a unit as %s: %+v", kind, p)
		}
	}
	e.mustCreateOrg(hr, org{"code": "ORGA-2", "name": "Unit 2", "type": "department", "parent": "ORGA-1-1"})

	// Admin: every write obeys the table.
	for _, c := range []struct {
		method, path string
		body         org
		field        string
	}{
		{"POST", "/api/v1/organisations", org{"code": "T9", "name": "x", "type": "trust", "parent": "ORGA"}, "parent"},
		{"POST", "/api/v1/organisations", org{"code": "D9", "name": "x", "type": "department"}, "parent"},
		{"POST", "/api/v1/organisations", org{"code": "GP9", "name": "x", "type": "practice", "parent": "Y56"}, "parent"},
		{"PUT", "/api/v1/organisations/R9", org{"name": "x", "type": "region", "parent": "QKK"}, "parent"},
		{"PATCH", "/api/v1/organisations/ORGB", org{"parent": "ORGA-1"}, "parent"},
		{"PATCH", "/api/v1/organisations/QKK", org{"type": "trust"}, "type"},      // its trusts cannot sit under a trust
		{"PATCH", "/api/v1/organisations/ORGA-1", org{"type": "trust"}, "parent"}, // a trust under a trust
	} {
		if p := e.as(admin, c.method, c.path, c.body).problem(400); !p.hasFieldError(c.field) {
			t.Errorf("%s %s %v: %+v", c.method, c.path, c.body, p)
		}
	}
	e.mustCreateOrg(admin, org{"code": "GP1", "name": "Practice", "type": "practice", "parent": "QKK"})
	e.as(admin, "PATCH", "/api/v1/organisations/ORGB", org{"parent": "Y56"}).expect(200) // a trust without an ICB

	// The import checks the tree as it will be, naming each line.
	file := "code,name,type,parent\nNEWT,New trust,trust,ORGA\nNEWD,New unit,department,NEWT\nQKK,ICB,trust,\n"
	p := e.importOrganisationsCSV("", file).problem(400)
	var lines []string
	for _, fe := range p.Errors {
		lines = append(lines, fe.Field+" "+strings.SplitN(fe.Message, ":", 2)[0])
	}
	if got := strings.Join(lines, "; "); got != "line 2 parent; line 4 type" {
		t.Errorf("import problems %q: %+v", got, p.Errors)
	}
	e.as(admin, "GET", "/api/v1/organisations/NEWT", nil).problem(404)

	// A "trust" placed inside a trust before the typing stays, and can be renamed, but
	// not moved somewhere the typing does not allow.
	if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id)
	                        SELECT 'OLD-FAKE', 'Fake trust', 'trust', id FROM organisations WHERE code = 'ORGA'`); err != nil {
		t.Fatal(err)
	}
	e.as(admin, "PATCH", "/api/v1/organisations/OLD-FAKE", org{"name": "Renamed"}).expect(200)
	e.as(hr, "PATCH", "/api/v1/organisations/OLD-FAKE", org{"name": "Renamed by hr"}).expect(200)
	if p := e.as(hr, "PATCH", "/api/v1/organisations/OLD-FAKE", org{"parent": "ORGA-1"}).problem(400); !p.hasFieldError("parent") {
		t.Errorf("moving the old fake trust: %+v", p)
	}
	e.as(hr, "PATCH", "/api/v1/organisations/OLD-FAKE", org{"type": "department"}).expect(200) // making it what it is
}

// TestSecurityNestedUnitsCountedOnce: national and regional statistics count every
// person once whatever the tree: a department inside a department, and a "trust" that
// was created inside a trust before the tree was typed, used to count their staff in
// their own subtree and again in the one above (and the fake trust as one more trust).
func TestSecurityNestedUnitsCountedOnce(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	e.as(admin, "PUT", "/api/v1/roles/eng", map[string]any{"title": "Engineer",
		"requirements": []map[string]any{{"skill": "firewall-config", "level": 3, "criticality": "essential"}}}).expect(201)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// R1 > I1 > T1 > D1 > D2, T1 > FAKE (a trust, placed before the typing), R1 > T2;
	// R2 > T3 > D3. Staff: T1 2, D1 3, D2 4, FAKE 5, T2 1, T3 6, D3 7.
	people := map[string]int{}
	unit := func(code, typ, parent string, staff int) {
		exec(`INSERT INTO organisations (code, name, type, sector, parent_id)
		      VALUES ($1, $1, $2, 'acute', (SELECT id FROM organisations WHERE code = $3))`, code, typ, parent)
		exec(`INSERT INTO staff (organisation_id, external_id, role_id)
		      SELECT o.id, o.code || '-' || g, (SELECT id FROM job_roles WHERE code = 'eng')
		        FROM organisations o, generate_series(1, $2) g WHERE o.code = $1`, code, staff)
		people[code] = staff
	}
	unit("R1", "region", "", 0)
	unit("R2", "region", "", 0)
	unit("I1", "icb", "R1", 0)
	unit("T1", "trust", "I1", 2)
	unit("D1", "department", "T1", 3)
	unit("D2", "department", "D1", 4)
	unit("FAKE", "trust", "T1", 5)
	unit("T2", "trust", "R1", 1)
	unit("T3", "trust", "R2", 6)
	unit("D3", "department", "T3", 7)
	sum := func(codes ...string) int {
		n := 0
		for _, c := range codes {
			n += people[c]
		}
		return n
	}

	demand := func(query string) map[string]string {
		t.Helper()
		var b disclosure.BreakdownStatistics
		e.as(admin, "GET", "/api/v1/statistics/gaps?disclosure=none&"+query, nil).expect(200).decode(&b)
		out := map[string]string{"total": show(b.Total.Demand) + " in " + show(b.Total.Organisations)}
		for _, g := range b.Groups {
			for _, k := range g.Group {
				out[k] = show(g.Demand) + " in " + show(g.Organisations)
			}
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  map[string]string // group -> "demand in organisations"
	}{
		{"group_by=region", map[string]string{ // trusts: T1 (with D1, D2 and FAKE), T2, T3 (with D3)
			"R1": fmt.Sprintf("%d in 2", sum("T1", "D1", "D2", "FAKE", "T2")), "R2": fmt.Sprintf("%d in 1", sum("T3", "D3")),
			"total": fmt.Sprintf("%d in 3", sum("T1", "D1", "D2", "FAKE", "T2", "T3", "D3"))}},
		{"group_by=skill&region=R1", map[string]string{
			"firewall-config": fmt.Sprintf("%d in 2", sum("T1", "D1", "D2", "FAKE", "T2")), "total": fmt.Sprintf("%d in 2", sum("T1", "D1", "D2", "FAKE", "T2"))}},
		{"group_by=region&type=department", map[string]string{ // departments: D1 (with D2), D3
			"R1": fmt.Sprintf("%d in 1", sum("D1", "D2")), "R2": fmt.Sprintf("%d in 1", sum("D3")),
			"total": fmt.Sprintf("%d in 2", sum("D1", "D2", "D3"))}},
	} {
		got := demand(c.query)
		for k, want := range c.want {
			if got[k] != want {
				t.Errorf("%s: %s has demand %s, want %s (all: %v)", c.query, k, got[k], want, got)
			}
		}
	}
	var h disclosure.HeadlineStatistics
	e.as(admin, "GET", "/api/v1/statistics/headline?disclosure=none", nil).expect(200).decode(&h)
	if show(h.Organisations) != "3" {
		t.Errorf("the headline counts %s trusts, want 3", show(h.Organisations))
	}
}

// TestSecurityCrossTableDisclosure attacks the published statistics as an analyst would:
// it fetches everything an analyst token can (the organisation register, every headline,
// every breakdown under every filter the API accepts, every trend), then solves for each
// withheld figure from the rest (sums of parts equal totals, shortfall = demand - supply,
// published zeros, counts being whole and never negative, with_gap never above the
// organisations, a gap in a skill being a gap in its tier). No withheld figure may follow
// from the published ones by addition and subtraction, nor be pinned to one value.
//
// The fixture holds the three situations of issue 16: region R1 and ICB I1 are the same
// trusts, as are sector mental_health and ICB I2; staff figures are tied by shortfall =
// demand - supply; and several tiers and levels are 0 nationally while groups of fewer
// than five trusts inside them are withheld.
func TestSecurityCrossTableDisclosure(t *testing.T) {
	e := newEnv(t)
	disclosureFixture(t, e)
	e.as(e.admin(), "POST", "/api/v1/statistics/snapshots?type=trust", nil).expect(201)

	analyst := e.mint(models.RoleAnalyst, "", "")
	a := newAttacker(t, registerOf(e, analyst), skillsOf(e, analyst))
	// Statistics of regions and ICBs (three and four here, fewer than five) are withheld
	// whole, and their size bands come from their staff, which the register does not show.
	fetchEverything(e, analyst, a, "trust")
	report := a.solve()
	t.Logf("%d figures fetched: %d distinct, %d of them withheld", a.observations, len(a.cells), report.withheld)
	if len(report.linear) > 0 {
		t.Errorf("%d withheld figures follow from published ones by addition and subtraction:\n%s",
			len(report.linear), strings.Join(report.linear, "\n"))
	}
	if len(report.pinned) > 0 {
		t.Errorf("%d withheld figures are pinned to one value:\n%s", len(report.pinned), strings.Join(report.pinned, "\n"))
	}
	if report.withheld == 0 {
		t.Fatal("nothing withheld: the fixture no longer exercises disclosure control")
	}
}
