package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/xapi"
)

// A trainer token is also LRS credentials: its id the key, the token the secret, minted
// by the tokens API (and the CLI, main_test). Bearer tokens keep working; anything else
// is one 401, with the xAPI headers and both challenges.
func TestXAPICredentials(t *testing.T) {
	e, _ := xapiEnv(t)
	var created models.CreatedToken
	e.as(e.admin(), "POST", "/api/v1/tokens", map[string]any{"name": "Moodle", "role": "trainer", "provider": "acme-training"}).expect(201).decode(&created)
	if created.LRS == nil || created.LRS.Key != models.LRSKey(created.ID) || created.LRS.Secret != created.Secret {
		t.Fatalf("created %+v", created)
	}
	statement := specExample(t, "simple")
	for _, auth := range []string{basicAuth(created.LRS.Key, created.LRS.Secret), "Bearer " + created.Secret} {
		e.request("POST", "/xapi/statements", statement, "Authorization", auth, XAPIVersionHeader, "1.0.3").expect(200)
	}
	for _, auth := range []string{"", basicAuth("999", created.Secret), basicAuth(created.LRS.Key, "csk_wrong"),
		basicAuth(created.LRS.Key, ""), "Basic !!", "Bearer csk_wrong"} {
		r := e.request("GET", "/xapi/statements", nil, "Authorization", auth, XAPIVersionHeader, "1.0.3")
		r.problem(401)
		challenges := strings.Join(r.Header().Values("WWW-Authenticate"), ", ")
		if !strings.HasPrefix(challenges, "Basic ") || !strings.Contains(challenges, "Bearer ") ||
			r.Header().Get(XAPIVersionHeader) != "1.0.3" || r.Header().Get(xapiConsistentHeader) == "" {
			t.Errorf("%q: headers %v", auth, r.Header())
		}
	}
	// Other tokens' LRS credentials: hr and analyst may not use the LRS, an admin reads.
	for role, status := range map[models.Role]int{models.RoleHR: 403, models.RoleAnalyst: 403, models.RoleAdmin: 200} {
		org := ""
		if role == models.RoleHR {
			org = "ORGA"
		}
		tok, secret := e.createToken(models.NewToken{Name: "x", Role: role, OrgCode: org})
		e.request("GET", "/xapi/statements", nil, "Authorization", basicAuth(models.LRSKey(tok.ID), secret), XAPIVersionHeader, "2.0.0").expect(status)
		if role == models.RoleAdmin {
			e.request("POST", "/xapi/statements", statement, "Authorization", basicAuth(models.LRSKey(tok.ID), secret), XAPIVersionHeader, "2.0.0").problem(403)
		}
	}
}

// Every answer of the xAPI surface states the version (the latest patch of the one asked
// for; 2.0.0 when none) and how far the store is consistent: successes and errors alike.
func TestXAPIHeadersOnEveryAnswer(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	cases := []struct {
		name, method, path, version string
		status                      int
		answered                    string
	}{
		{"a 1.0 read", "GET", "/xapi/statements", "1.0", 200, "1.0.3"},
		{"a 1.0.1 read", "GET", "/xapi/statements", "1.0.1", 200, "1.0.3"},
		{"a 2.0 read", "GET", "/xapi/statements", "2.0.0", 200, "2.0.0"},
		{"no version", "GET", "/xapi/statements", "", 400, "2.0.0"},
		{"a version before 1.0", "GET", "/xapi/statements", "0.95", 400, "2.0.0"},
		{"1.1", "GET", "/xapi/statements", "1.1.0", 400, "2.0.0"},
		{"an unknown parameter", "GET", "/xapi/statements?colour=blue", "1.0.3", 400, "1.0.3"},
		{"a parameter in another case", "GET", "/xapi/statements?StatementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "1.0.3", 400, "1.0.3"},
		{"no such statement", "GET", "/xapi/statements?statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "1.0.3", 404, "1.0.3"},
		{"no such route", "GET", "/xapi/colours", "1.0.3", 404, "1.0.3"},
		{"a method the route has not", "DELETE", "/xapi/statements", "1.0.3", 405, "1.0.3"},
		{"a document resource", "GET", "/xapi/activities/state", "1.0.3", 501, "1.0.3"},
		{"a document resource without a version", "PUT", "/xapi/agents/profile", "", 400, "2.0.0"},
		{"the About resource, whatever the version", "GET", "/xapi/about", "0.9", 200, "2.0.0"},
	}
	for _, c := range cases {
		r := acme.do(c.method, c.path, nil, XAPIVersionHeader, c.version)
		if r.Code != c.status || r.Header().Get(XAPIVersionHeader) != c.answered || r.Header().Get(xapiConsistentHeader) != clockNow(e).Format("2006-01-02T15:04:05Z") {
			t.Errorf("%s: %d, headers %v", c.name, r.Code, r.Header())
		}
	}
	// About needs no credentials and lists both versions.
	var about XAPIAbout
	e.request("GET", "/xapi/about", nil).expect(200).decode(&about)
	if strings.Join(about.Version, ",") != "1.0.3,2.0.0" {
		t.Fatalf("about %+v", about)
	}
	e.request("GET", "/xapi/about?x=1", nil).problem(400)
}

// GET statements: the specification's filters, each provider seeing only its own
// statements, voided ones left out, statements targeting a match matching too, paging by
// more links, and parameters checked as statement values are.
func TestXAPIStatementQueries(t *testing.T) {
	e, _ := xapiEnv(t)
	acme, rival := newLMS(e, "acme-training"), newLMS(e, "rival-training")
	const reg = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
	stmt := func(id, actor, verb, object, extra string) string {
		return `{"id":"` + id + `","actor":` + actor + `,"verb":{"id":"` + verb + `"},"object":` + object + extra + `}`
	}
	ann := `{"mbox":"mailto:ann@example.com","name":"Ann"}`
	bob := `{"account":{"homePage":"https://lms.example","name":"bob"}}`
	course := `{"id":"https://acme.example/course"}`
	team := `{"objectType":"Group","name":"team","member":[` + ann + `,{"mbox":"mailto:cy@example.com"}]}`
	ids := []string{
		"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003",
		"00000000-0000-4000-8000-000000000004", "00000000-0000-4000-8000-000000000005", "00000000-0000-4000-8000-000000000006",
	}
	acme.post("["+strings.Join([]string{
		stmt(ids[0], ann, xapi.VerbCompleted, course, `,"context":{"registration":"`+reg+`"}`),
		stmt(ids[1], bob, xapi.VerbPassed, `{"id":"https://acme.example/quiz"}`,
			`,"context":{"instructor":`+ann+`,"contextActivities":{"parent":`+course+`}}`),
		stmt(ids[2], team, "http://adlnet.gov/expapi/verbs/attended", course, ""),
		// Bob confirms Ann's completion: it targets a statement the filters match.
		stmt(ids[3], bob, "http://example.com/verbs/confirmed", `{"objectType":"StatementRef","id":"`+ids[0]+`"}`, ""),
		stmt(ids[4], bob, xapi.VerbCompleted, `{"objectType":"SubStatement","actor":`+ann+`,"verb":{"id":"http://example.com/verbs/will-attend"},"object":`+course+`}`, ""),
		stmt(ids[5], ann, xapi.VerbVoided, `{"objectType":"StatementRef","id":"`+ids[1]+`"}`, ""),
	}, ",")+"]", 200)
	rival.post(stmt("00000000-0000-4000-8000-000000000007", ann, xapi.VerbCompleted, course, ""), 200)

	list := func(l lms, query string) []string {
		t.Helper()
		var res struct {
			Statements []struct {
				ID string `json:"id"`
			} `json:"statements"`
			More string `json:"more"`
		}
		l.do("GET", "/xapi/statements?"+query, nil).expect(200).decode(&res)
		var out []string
		for _, s := range res.Statements {
			out = append(out, s.ID[len(s.ID)-1:])
		}
		if res.More != "" {
			out = append(out, "more")
		}
		return out
	}
	agent := func(a string) string { return url.QueryEscape(a) }
	cases := []struct{ query, want string }{
		// Newest stored first (one instant: the last stored first), voided 2 left out,
		// the rival's statement not there.
		{"", "6 5 4 3 1"},
		{"ascending=true", "1 3 4 5 6"},
		// Ann acts in 1 and 6, is a member of the Group acting in 3, and 4 targets 1.
		{"agent=" + agent(ann), "6 4 3 1"},
		{"agent=" + agent(`{"mbox":"mailto:cy@example.com"}`), "3"},
		// Widened: the SubStatement's actor in 5 (and the instructor of voided 2).
		{"agent=" + agent(ann) + "&related_agents=true", "6 5 4 3 1"},
		{"agent=" + agent(`{"account":{"homePage":"https://cyberskills.dev/providers","name":"acme-training"}}`) + "&related_agents=true", "6 5 4 3 1"},
		{"verb=" + url.QueryEscape(xapi.VerbCompleted), "5 4 1"},
		{"activity=" + url.QueryEscape("https://acme.example/course"), "4 3 1"},
		// Widened: the SubStatement's object in 5, and 6 targets 2, whose parent it is.
		{"activity=" + url.QueryEscape("https://acme.example/course") + "&related_activities=true", "6 5 4 3 1"},
		{"registration=" + reg, "4 1"},
		{"limit=2", "6 5 more"},
		{"since=" + url.QueryEscape(clockNow(e).Format("2006-01-02T15:04:05.000Z")), ""},
		{"until=" + url.QueryEscape(clockNow(e).Format("2006-01-02T15:04:05.000Z")), "6 5 4 3 1"},
	}
	for _, c := range cases {
		if got := strings.Join(list(acme, c.query), " "); got != c.want {
			t.Errorf("%s: %q, want %q", c.query, got, c.want)
		}
	}
	// A page's more link reads the next page, with the filters kept.
	var page struct {
		Statements []map[string]any `json:"statements"`
		More       string           `json:"more"`
	}
	acme.do("GET", "/xapi/statements?limit=2&verb="+url.QueryEscape(xapi.VerbCompleted), nil).expect(200).decode(&page)
	acme.do("GET", page.More, nil).expect(200).decode(&page)
	if len(page.Statements) != 1 || page.Statements[0]["id"] != ids[0] || page.More != "" {
		t.Fatalf("second page %+v", page)
	}
	// One statement: voided ones only by voidedStatementId; another provider's not at all.
	acme.do("GET", "/xapi/statements?statementId="+ids[1], nil).problem(404)
	if got := acme.get(ids[0]); got["id"] != ids[0] {
		t.Fatalf("got %v", got)
	}
	r := acme.do("GET", "/xapi/statements?voidedStatementId="+ids[1], nil).expect(200)
	if r.Header().Get("Last-Modified") == "" {
		t.Fatal("no Last-Modified")
	}
	acme.do("GET", "/xapi/statements?voidedStatementId="+ids[0], nil).problem(404)
	rival.do("GET", "/xapi/statements?statementId="+ids[0], nil).problem(404)
	acme.do("HEAD", "/xapi/statements?statementId="+ids[0], nil).expect(200)
	// An administrator reads every provider's.
	admin := e.request("GET", "/xapi/statements", nil, "Authorization", "Bearer "+e.admin(), XAPIVersionHeader, "2.0.0")
	if n := strings.Count(admin.expect(200).Body.String(), `"stored"`); n != 6 {
		t.Fatalf("admin reads %d statements", n)
	}
	// Parameters are checked as statement values are.
	for _, q := range []string{"statementId=" + ids[0] + "&verb=" + url.QueryEscape(xapi.VerbCompleted),
		"statementId=" + ids[0] + "&voidedStatementId=" + ids[1], "agent=" + agent(`{"name":"no identifier"}`),
		"verb=completed", "since=yesterday", "limit=-1", "format=json", "format=csv", "ascending=yes", "registration=x", "cursor=x"} {
		acme.do("GET", "/xapi/statements?"+q, nil).problem(400)
	}
}

// Formats: exact as received (context activities as lists), ids, canonical (the merged
// definitions, one language per map by Accept-Language).
func TestXAPIStatementFormats(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	const id = "00000000-0000-4000-8000-0000000000f1"
	acme.post(`[{"actor":{"mbox":"mailto:ann@example.com","name":"Ann","objectType":"Agent"},
		"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted","display":{"en-US":"attempted","en-GB":"attempted","fr":"a tenté"}},
		"object":{"id":"https://acme.example/course","definition":{"name":{"en-US":"Course"}}}},
		{"id":"`+id+`","actor":{"mbox":"mailto:ann@example.com","name":"Ann"},
		"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed","fr":"a terminé"}},
		"object":{"id":"https://acme.example/course","definition":{"name":{"fr":"Cours"}}},
		"context":{"contextActivities":{"parent":{"id":"https://acme.example/programme"}}}}]`, 200)
	exact := acme.get(id)
	if jsonOf(exact["context"]) != `{"contextActivities":{"parent":[{"id":"https://acme.example/programme"}]}}` ||
		jsonOf(exact["object"]) != `{"definition":{"name":{"fr":"Cours"}},"id":"https://acme.example/course"}` {
		t.Fatalf("exact %v", exact)
	}
	var ids map[string]any
	acme.do("GET", "/xapi/statements?format=ids&statementId="+id, nil).expect(200).decode(&ids)
	if jsonOf(ids["actor"]) != `{"mbox":"mailto:ann@example.com"}` || jsonOf(ids["verb"]) != `{"id":"http://adlnet.gov/expapi/verbs/completed"}` ||
		jsonOf(ids["object"]) != `{"id":"https://acme.example/course"}` || jsonOf(ids["authority"]) != `{"account":{"homePage":"https://cyberskills.dev/providers","name":"acme-training"},"objectType":"Agent"}` {
		t.Fatalf("ids %v", ids)
	}
	var canonical map[string]any
	acme.do("GET", "/xapi/statements?format=canonical&statementId="+id, nil, "Accept-Language", "fr;q=0.5, en-GB").expect(200).decode(&canonical)
	if jsonOf(canonical["verb"]) != `{"display":{"fr":"a terminé"},"id":"http://adlnet.gov/expapi/verbs/completed"}` ||
		jsonOf(canonical["object"]) != `{"definition":{"name":{"fr":"Cours"}},"id":"https://acme.example/course"}` {
		t.Fatalf("canonical %v", canonical)
	}
	acme.do("GET", "/xapi/statements?format=canonical&statementId="+id, nil, "Accept-Language", "en").expect(200).decode(&canonical)
	if jsonOf(canonical["object"]) != `{"definition":{"name":{"en-US":"Course"}},"id":"https://acme.example/course"}` {
		t.Fatalf("canonical in English %v", canonical)
	}
	// The Activities resource has the definition merged from both statements.
	var activity map[string]any
	acme.do("GET", "/xapi/activities?activityId="+url.QueryEscape("https://acme.example/course"), nil).expect(200).decode(&activity)
	if jsonOf(activity) != `{"definition":{"name":{"en-US":"Course","fr":"Cours"}},"id":"https://acme.example/course","objectType":"Activity"}` {
		t.Fatalf("activity %v", activity)
	}
	acme.do("GET", "/xapi/activities", nil).problem(400)
	// The Agents resource: the Person the agent is, as given.
	var person map[string]any
	acme.do("GET", "/xapi/agents?agent="+url.QueryEscape(`{"mbox":"mailto:ann@example.com","name":"Ann"}`), nil).expect(200).decode(&person)
	if jsonOf(person) != `{"mbox":["mailto:ann@example.com"],"name":["Ann"],"objectType":"Person"}` {
		t.Fatalf("person %v", person)
	}
	for _, q := range []string{"", "?agent=x", "?agent=" + url.QueryEscape(`{"name":"Ann"}`), "?agent=" + url.QueryEscape(`{"mbox":"mailto:a@example.com"}`) + "&x=1"} {
		acme.do("GET", "/xapi/agents"+q, nil).problem(400)
	}
}

// The alternate request syntax of xAPI 1.0 (a form POST standing for another request,
// headers and all); xAPI 2.0 dropped it.
func TestXAPIAlternateSyntax(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	const id = "00000000-0000-4000-8000-0000000000a1"
	form := url.Values{"statementId": {id}, "content": {`{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"}}`},
		"Authorization": {acme.authorised}, XAPIVersionHeader: {"1.0.3"}, "Content-Type": {"application/json"}}
	e.request("POST", "/xapi/statements?method=PUT", rawBody{"application/x-www-form-urlencoded", form.Encode()}).expect(204)
	acme.get(id)
	var res struct {
		Statements []map[string]any `json:"statements"`
	}
	read := url.Values{"limit": {"1"}, "Authorization": {acme.authorised}, XAPIVersionHeader: {"1.0.3"}}
	e.request("POST", "/xapi/statements?method=GET", rawBody{"application/x-www-form-urlencoded", read.Encode()}).expect(200).decode(&res)
	if len(res.Statements) != 1 || res.Statements[0]["id"] != id {
		t.Fatalf("read %+v", res)
	}
	for name, c := range map[string]struct{ query, version string }{
		"another parameter in the query": {"?method=GET&limit=1", "1.0.3"},
		"an unknown method":              {"?method=PATCH", "1.0.3"},
		"xAPI 2.0":                       {"?method=GET", "2.0.0"},
	} {
		f := url.Values{"Authorization": {acme.authorised}, XAPIVersionHeader: {c.version}}
		if r := e.request("POST", "/xapi/statements"+c.query, rawBody{"application/x-www-form-urlencoded", f.Encode()}); r.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, r.Code, r.Body.String())
		}
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// multipartStatements is a multipart/mixed body (Communication 1.5.2): the statements,
// then each attachment's data with its digest; and its Content-Type.
func multipartStatements(statements string, attachments ...string) (string, string) {
	const boundary = "abcABC0123'()+_,-./:=?"
	body := "--" + boundary + "\r\nContent-Type: application/json\r\n\r\n" + statements + "\r\n"
	for _, a := range attachments {
		body += "--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " +
			sha256Hex(a) + "\r\n\r\n" + a + "\r\n"
	}
	return body + "--" + boundary + "--\r\n", `multipart/mixed; boundary="` + boundary + `"`
}

// Attachments: by fileUrl in application/json; their data in multipart/mixed, each part
// named by its digest, and returned with attachments=true; anything else is 400.
func TestXAPIAttachments(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	const note = "Completed with distinction"
	attachment := func(extra string) string {
		return `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/verbs/reflected"},"object":{"id":"http://example.com/o"},
			"attachments":[{"usageType":"http://example.com/attachment-usage/note","display":{"en-GB":"note"},"contentType":"text/plain",
			"length":` + itoa(int64(len(note))) + `,"sha2":"` + sha256Hex(note) + `"` + extra + `}]}`
	}
	acme.post(attachment(`,"fileUrl":"https://lms.example/notes/1"`), 200)
	if p := acme.do("POST", "/xapi/statements", attachment("")).problem(400); !p.hasFieldError("attachments") {
		t.Fatalf("problem %+v", p)
	}
	body, contentType := multipartStatements(attachment(""), note)
	var ids []string
	acme.do("POST", "/xapi/statements", rawBody{contentType, body}).expect(200).decode(&ids)
	r := acme.do("GET", "/xapi/statements?attachments=true&statementId="+ids[0], nil).expect(200)
	if !strings.HasPrefix(r.Header().Get("Content-Type"), "multipart/mixed; boundary=") || !strings.Contains(r.Body.String(), "\r\n\r\n"+note+"\r\n") ||
		!strings.Contains(r.Body.String(), "X-Experience-API-Hash: "+sha256Hex(note)) {
		t.Fatalf("answer %s: %s", r.Header().Get("Content-Type"), r.Body.String())
	}
	if r := acme.do("GET", "/xapi/statements?attachments=false&statementId="+ids[0], nil).expect(200); !strings.HasPrefix(r.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("attachments=false answered %s", r.Header().Get("Content-Type"))
	}
	refused := map[string]rawBody{
		"the wrong digest":       {contentType, strings.Replace(body, sha256Hex(note)+"\r\n\r\n", sha256Hex("other")+"\r\n\r\n", 1)},
		"no digest":              {contentType, strings.Replace(body, "X-Experience-API-Hash: "+sha256Hex(note)+"\r\n", "", 1)},
		"not binary":             {contentType, strings.Replace(body, "binary", "base64", 1)},
		"data nobody declared":   {contentType, strings.Replace(body, note+"\r\n", note+"\r\n--abcABC0123'()+_,-./:=?\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: "+sha256Hex("x")+"\r\n\r\nx\r\n", 1)},
		"no boundary":            {"multipart/mixed", body},
		"statements not first":   {contentType, strings.Replace(body, "application/json", "text/plain", 1)},
		"a form":                 {"multipart/form-data; boundary=x", body},
		"text":                   {"text/plain", attachment(`,"fileUrl":"https://lms.example/notes/1"`)},
		"json that is multipart": {"application/json", body},
	}
	for name, b := range refused {
		if r := acme.do("POST", "/xapi/statements", b); r.Code != 400 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body.String())
		}
	}
}

// Every malformed statement is 400 naming what is wrong; what the specification allows
// is accepted, future timestamps included.
func TestXAPIValidation(t *testing.T) {
	e, _ := xapiEnv(t)
	acme := newLMS(e, "acme-training")
	const ok = `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"}`
	with := func(extra string) string { return ok + "," + extra + "}" }
	refused := map[string]string{
		"an actor without an identifier":             `{"actor":{"name":"A"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"}}`,
		"an objectType that is not a string":         `{"actor":{"objectType":1,"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"}}`,
		"a language tag":                             with(`"context":{"language":"english please"}`),
		"a language map key":                         `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v","display":{"not a tag":"x"}},"object":{"id":"http://example.com/o"}}`,
		"a duration":                                 with(`"result":{"duration":"1 hour"}`),
		"raw above max":                              with(`"result":{"score":{"raw":11,"max":10}}`),
		"an interaction type":                        `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o","definition":{"interactionType":"essay"}}}`,
		"components the type does not take":          `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o","definition":{"interactionType":"true-false","choices":[{"id":"a"}]}}}`,
		"platform when the object is an Agent":       `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"objectType":"Agent","mbox":"mailto:b@example.com"},"context":{"platform":"x"}}`,
		"an authority group with an identifier":      with(`"authority":{"objectType":"Group","mbox":"mailto:g@example.com","member":[{"mbox":"mailto:a@example.com"},{"mbox":"mailto:b@example.com"}]}`),
		"a voiding statement without a StatementRef": `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"id":"http://example.com/o"}}`,
		"a team that is not a Group":                 with(`"context":{"team":{"mbox":"mailto:t@example.com"}}`),
		"a timestamp with an unknown offset":         with(`"timestamp":"2026-03-01T10:00:00-00:00"`),
		"an extension key that is not an IRI":        with(`"result":{"extensions":{"score":1}}`),
		"a context agent without its type":           with(`"context":{"contextAgents":[{"agent":{"mbox":"mailto:t@example.com"}}]}`),
		"an attachment without a length":             with(`"attachments":[{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain","sha2":"` + sha256Hex("x") + `","fileUrl":"http://example.com/x"}]`),
	}
	for name, body := range refused {
		if r := acme.do("POST", "/xapi/statements", body); r.Code != 400 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body.String())
		}
	}
	accepted := []string{
		with(`"timestamp":"` + clockNow(e).AddDate(1, 0, 0).Format("2006-01-02T15:04:05Z") + `"`),
		with(`"timestamp":"2023-05-04T12:00-05:00"`),
		with(`"timestamp":"2008-09-15 15:53:00.601+00:00"`),
		with(`"version":"1.0"`),
		with(`"context":{"contextActivities":{"parent":{"id":"http://example.com/p"}},"language":"en-GB","contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:t@example.com"},"relevantTypes":["http://example.com/teacher"]}]}`),
		`{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o","definition":{"interactionType":"matching",
			"source":[{"id":"a","description":{"en-GB":"A"}}],"target":[{"id":"1"}],"correctResponsesPattern":["a[.]1"]}}}`,
		with(`"result":{"score":{"scaled":-1,"raw":0,"min":0,"max":1},"duration":"PT1H0M0.5S","extensions":{"http://example.com/e":null}}`),
	}
	for _, body := range accepted {
		acme.post(body, 200)
	}
}
