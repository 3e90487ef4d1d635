package api

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/xapi"
)

// A national Moodle (one homePage for every organisation) and a cmi5 player send through
// one LRS credential; the provider maps Moodle's user ids and a hashed mailbox to people.
const (
	moodle       = "https://moodle.example.nhs.uk"
	moodleCourse = moodle + "/course/view.php?id=42"
	moodleQuiz   = moodle + "/mod/quiz/view.php?id=7"
	cmi5Course   = "https://academy.example.nhs.uk/cmi5/courses/network-security"
	cmi5AU       = cmi5Course + "/au/1"
	cmi5Reg      = "b1f5cfd3-6c76-4b8b-9c4f-5a0f2a9d2e11"
	e3Mailbox    = "mailto:example.learner@adlnet.gov"
)

// sha1Hex is the mbox_sha1sum of a mailto IRI.
func sha1Hex(mbox string) string {
	sum := sha1.Sum([]byte(mbox))
	return hex.EncodeToString(sum[:])
}

// moodleStatement is shaped as Moodle's logstore_xapi writes it: the actor a Moodle
// account (homePage the site, name the user id), the site (and course) in
// contextActivities.grouping, the source in category.
func moodleStatement(user, verb, object, parent, grouping, result string) string {
	s := `{"actor":{"name":"Learner ` + user + `","account":{"homePage":"` + moodle + `","name":"` + user + `"}},
		"verb":{"id":"` + verb + `","display":{"en":"` + verb[strings.LastIndex(verb, "/")+1:] + `"}},
		"object":{"id":"` + object + `","objectType":"Activity","definition":{"name":{"en":"x"},"type":"http://id.tincanapi.com/activitytype/lms/course"}},
		"timestamp":"` + clocktest.Days(-3).Format(time.RFC3339) + `",
		"context":{"platform":"Moodle","language":"en","contextActivities":{`
	if parent != "" {
		s += `"parent":[{"id":"` + parent + `","objectType":"Activity"}],`
	}
	s += `"grouping":[{"id":"` + moodle + `","objectType":"Activity"}` + grouping + `],
		"category":[{"id":"http://moodle.org","objectType":"Activity","definition":{"type":"http://id.tincanapi.com/activitytype/source"}}]}}`
	if result != "" {
		s += `,"result":` + result
	}
	return s + "}"
}

// cmi5Statement is shaped as a cmi5 AU (or, for satisfied, the LMS) writes it: the actor by
// hashed mailbox, the registration, the cmi5 category and the AU's id in grouping.
func cmi5Statement(id, verb, object, result string) string {
	s := `{"id":"` + id + `","actor":{"objectType":"Agent","mbox_sha1sum":"` + sha1Hex(e3Mailbox) + `"},
		"verb":{"id":"` + verb + `"},"object":{"id":"` + object + `"},
		"timestamp":"` + clocktest.Days(-2).Format(time.RFC3339) + `",
		"context":{"registration":"` + cmi5Reg + `","contextActivities":{
			"category":[{"id":"https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
			"grouping":[{"id":"` + cmi5AU + `"}]},
			"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"s1"}}`
	if result != "" {
		s += `,"result":` + result
	}
	return s + "}"
}

// moodleEnv is the xAPI fixture with the Moodle and cmi5 courses of provider acme-training
// and its person mappings.
func moodleEnv(t *testing.T) (*testEnv, lms, string) {
	t.Helper()
	e, _ := xapiEnv(t)
	acme := newBearer(e, "acme-training")
	courses := map[string]map[string]any{
		// Moodle's course completion: the course itself, as the statement's object.
		"MOODLE-42": {"title": "Firewalls (Moodle)", "activity_iri": moodleCourse, "completion_rule": "completed",
			"skills": []map[string]any{{"skill": "firewall-config", "level": 2}}},
		// A quiz passed earns its own course: the quiz stands for it wherever it appears.
		"MOODLE-QUIZ-7": {"title": "Firewall quiz", "activity_iris": []string{moodleQuiz}, "completion_rule": "passed",
			"skills": []map[string]any{{"skill": "secure-configuration", "level": 1}}},
		// cmi5: the LMS's satisfied on the course; the AUs under its prefix.
		"CMI5-NETSEC": {"title": "Network security (cmi5)", "activity_iri": cmi5Course, "activity_iri_prefixes": []string{cmi5Course + "/au/"},
			"completion_rule": "satisfied", "validity_months": 12, "skills": []map[string]any{{"skill": "malware-protection", "level": 3}}},
	}
	for code, c := range courses {
		e.as(acme, "PUT", "/api/v1/courses/"+code, c).expect(201)
	}
	var report models.ImportReport
	e.as(acme, "POST", "/api/v1/xapi/people/import", ndjson(`{"home_page":"`+moodle+`/","account_name":"1042","organisation":"ORGA","external_id":"E1"}
{"home_page":"`+moodle+`","account_name":"1043","organisation":"ORGA","external_id":"E2"}
{"mbox_sha1sum":"`+sha1Hex(e3Mailbox)+`","organisation":"ORGA","external_id":"E3"}`)).expect(200).decode(&report)
	if !report.Applied || report.Inserted != 3 {
		t.Fatalf("mappings %+v", report)
	}
	return e, newLMS(e, "acme-training"), acme
}

// Item 7 of issue 18: statements as Moodle's logstore_xapi and a cmi5 player send them,
// noise included, in one batch through HTTP Basic: 200, each statement's outcome visible
// to the provider, evidence where a course's rule is met; voiding retracts evidence and
// the history keeps both.
func TestXAPIMoodleAndCmi5InOneBatch(t *testing.T) {
	e, lms, bearer := moodleEnv(t)
	const quizAttempt = moodle + "/mod/quiz/attempt.php?attempt=5&cmid=7"
	batch := []string{
		moodleStatement("1042", "http://id.tincanapi.com/verb/viewed", moodleCourse, "", "", ""),
		moodleStatement("1042", xapi.VerbCompleted, moodleCourse, "", "", ""),
		// A quiz attempt: the attempt the object, the quiz only in parent, the course in grouping.
		moodleStatement("1043", xapi.VerbCompleted, quizAttempt, moodleQuiz, `,{"id":"`+moodleCourse+`"}`, `{"success":true,"score":{"scaled":0.9}}`),
		// Today's logstore_xapi: the quiz the object, the course in grouping; a failed attempt.
		moodleStatement("1042", xapi.VerbCompleted, moodleQuiz, "", `,{"id":"`+moodleCourse+`"}`, `{"success":false,"completion":true}`),
		moodleStatement("9999", xapi.VerbCompleted, moodleCourse, "", "", ""),
		moodleStatement("1042", xapi.VerbCompleted, moodle+"/mod/page/view.php?id=3", "", `,{"id":"`+moodleCourse+`"}`, ""),
		// A statement voided in the batch that brings it: it earns nothing.
		strings.Replace(moodleStatement("1043", xapi.VerbCompleted, moodleCourse, "", "", ""), "{", `{"id":"00000000-0000-4000-8000-00000000d001",`, 1),
		cmi5Statement("00000000-0000-4000-8000-00000000c001", "http://adlnet.gov/expapi/verbs/launched", cmi5AU, ""),
		cmi5Statement("00000000-0000-4000-8000-00000000c002", xapi.VerbCompleted, cmi5AU, `{"completion":true,"duration":"PT20M"}`),
		cmi5Statement("00000000-0000-4000-8000-00000000c003", xapi.VerbPassed, cmi5AU, `{"success":true,"score":{"scaled":0.8}}`),
		cmi5Statement("00000000-0000-4000-8000-00000000c004", xapi.VerbSatisfied, cmi5Course, ""),
		`{"id":"00000000-0000-4000-8000-00000000d002","actor":{"account":{"homePage":"` + moodle + `","name":"admin"}},
			"verb":{"id":"` + xapi.VerbVoided + `"},"object":{"objectType":"StatementRef","id":"00000000-0000-4000-8000-00000000d001"}}`,
	}
	ids := lms.post("["+strings.Join(batch, ",")+"]", 200)
	want := []string{
		"ignored: its verb earns no evidence",
		"conferred",
		"conferred",
		"matched: failed: confers nothing",
		"unmatched: actor: names no staff member known here (no person mapping of yours, no organisation with this account homePage, no staff e-mail for this mbox)",
		"unmatched: activity: no course of yours has the object, a parent or a grouping activity",
		"voided: voided by statement 00000000-0000-4000-8000-00000000d002",
		"ignored: its verb earns no evidence",
		"matched: does not meet the course's completion rule (satisfied)",
		"matched: does not meet the course's completion rule (satisfied)",
		"conferred",
		"ignored: voids statement 00000000-0000-4000-8000-00000000d001",
	}
	expectOutcomes(t, e, ids, want)
	// The provider reads the same, a page at a time.
	page := getJSON[Page[xapi.Outcome]](e, bearer, "/api/v1/xapi/outcomes?limit=3")
	if len(page.Items) != 3 || page.Items[1].StatementID != ids[10] || page.Items[1].Course != "CMI5-NETSEC" || page.NextCursor == "" {
		t.Fatalf("outcomes %+v", page)
	}
	held := func(staff string) []string {
		var out []string
		for _, ev := range trainingEvidence(t, e, staff) {
			out = append(out, ev.Skill)
		}
		return out
	}
	expectLines(t, "E1", held("E1"), []string{"firewall-config"})
	expectLines(t, "E2", held("E2"), []string{"secure-configuration"})
	expectLines(t, "E3", held("E3"), []string{"malware-protection"})
	cmi5 := trainingEvidence(t, e, "E3")[0]
	if !cmi5.AssessedAt.Equal(clocktest.Days(-2).Truncate(time.Second)) || cmi5.ExpiresAt == nil || !cmi5.ExpiresAt.Equal(cmi5.AssessedAt.AddDate(1, 0, 0)) {
		t.Fatalf("cmi5 evidence %+v", cmi5)
	}

	// The LMS voids the quiz attempt: E2's evidence is retracted as of now; the history
	// keeps the record and its retraction, and a report as of before still counts it.
	void := `{"actor":{"account":{"homePage":"` + moodle + `","name":"admin"}},"verb":{"id":"` + xapi.VerbVoided + `"},
		"object":{"objectType":"StatementRef","id":"` + ids[2] + `"}}`
	voiding := lms.post(void, 200)[0]
	if got := outcomeOf(t, e, ids[2]); got != "voided: voided by statement "+voiding {
		t.Fatalf("quiz attempt %q", got)
	}
	lms.do("GET", "/xapi/statements?statementId="+ids[2], nil).problem(404)
	lms.do("GET", "/xapi/statements?voidedStatementId="+ids[2], nil).expect(200)
	history := getJSON[Page[models.Evidence]](e, e.admin(), "/api/v1/organisations/ORGA/staff/E2/evidence?skill=secure-configuration")
	if len(history.Items) != 2 || history.Items[0].Retracts == nil || *history.Items[0].Retracts != history.Items[1].ID ||
		history.Items[1].RetractedBy == nil {
		t.Fatalf("history %+v", history.Items)
	}
	if c := competencyOf(t, e, e.admin(), "/api/v1/organisations/ORGA/staff/E2/competencies", "secure-configuration"); c.VerifiedLevel != 0 {
		t.Fatalf("after voiding %+v", c)
	}
	before := clocktest.Days(-1).Format("2006-01-02")
	if c := competencyOf(t, e, e.admin(), "/api/v1/organisations/ORGA/staff/E2/competencies?at="+before, "secure-configuration"); c.VerifiedLevel != 1 {
		t.Fatalf("as of %s %+v", before, c)
	}
	// Voiding is the provider's own business: another provider's voiding of E1's
	// completion voids nothing.
	rival := newLMS(e, "rival-training")
	rival.post(strings.Replace(void, ids[2], ids[1], 1), 200)
	if got := outcomeOf(t, e, ids[1]); got != "conferred" {
		t.Fatalf("E1's completion after a rival's voiding: %q", got)
	}
}

// coursePerRule creates a course of each completion rule, with activity https://rules.example/RULE.
func coursePerRule(e *testEnv, bearer string) {
	e.t.Helper()
	for i, rule := range []string{"completed", "passed", "completed_and_passed", "completed_or_passed", "satisfied"} {
		skills := []string{"firewall-config", "secure-configuration", "malware-protection", "backup-recovery", "access-control"}
		e.as(bearer, "PUT", "/api/v1/courses/RULE-"+itoa(int64(i)), map[string]any{"title": rule, "activity_iri": "https://rules.example/" + rule,
			"completion_rule": rule, "skills": []map[string]any{{"skill": skills[i], "level": 1}}}).expect(201)
	}
}

// A course's completion_rule says what earns its evidence; a failure never does, nor a
// completion that says it is not one.
func TestXAPICompletionRules(t *testing.T) {
	e, _ := xapiEnv(t)
	bearer := newBearer(e, "acme-training")
	coursePerRule(e, bearer)
	lms := newLMS(e, "acme-training")
	statement := func(rule, verb, result, reg string, days int) string {
		s := `{"actor":{"mbox":"mailto:user@example.com"},"verb":{"id":"` + verb + `"},"object":{"id":"https://rules.example/` + rule + `"},
			"timestamp":"` + clocktest.Days(days).Format(time.RFC3339) + `"`
		if result != "" {
			s += `,"result":` + result
		}
		if reg != "" {
			s += `,"context":{"registration":"` + reg + `"}`
		}
		return s + "}"
	}
	const r1, r2 = "00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2"
	cases := []struct {
		rule       string
		statements []string
		want       string // the outcome of each statement, c conferred, m matched
	}{
		{"completed", []string{statement("completed", xapi.VerbCompleted, "", "", -9)}, "c"},
		// A completion that says it is none earns nothing and is not even matched.
		{"completed", []string{statement("completed", xapi.VerbPassed, "", "", -9), statement("completed", xapi.VerbCompleted, `{"completion":false}`, "", -8),
			statement("completed", xapi.VerbCompleted, `{"success":false}`, "", -7), statement("completed", xapi.VerbFailed, "", "", -6)}, "mimm"},
		{"passed", []string{statement("passed", xapi.VerbCompleted, "", "", -9), statement("passed", xapi.VerbCompleted, `{"success":true}`, "", -8),
			statement("passed", xapi.VerbPassed, "", "", -7)}, "mcc"},
		{"completed_or_passed", []string{statement("completed_or_passed", xapi.VerbCompleted, "", "", -9), statement("completed_or_passed", xapi.VerbPassed, "", "", -8),
			statement("completed_or_passed", xapi.VerbPassed, `{"success":false}`, "", -7), statement("completed_or_passed", xapi.VerbSatisfied, "", "", -6)}, "ccmm"},
		// Both in one statement; or a pair within one registration (the later by time
		// confers, whatever the order of arrival); never a pair across registrations.
		{"completed_and_passed", []string{statement("completed_and_passed", xapi.VerbCompleted, `{"success":true}`, "", -9),
			statement("completed_and_passed", xapi.VerbPassed, "", r1, -5), statement("completed_and_passed", xapi.VerbCompleted, "", r1, -6),
			statement("completed_and_passed", xapi.VerbCompleted, "", "", -4), statement("completed_and_passed", xapi.VerbPassed, "", r2, -3)}, "ccmmm"},
		{"satisfied", []string{statement("satisfied", xapi.VerbCompleted, `{"success":true}`, "", -9), statement("satisfied", xapi.VerbSatisfied, "", "", -8)}, "mc"},
	}
	for _, c := range cases {
		var ids []string
		for _, s := range c.statements {
			ids = append(ids, lms.post(s, 200)[0])
		}
		var got string
		for _, id := range ids {
			got += outcomeOf(t, e, id)[:1]
		}
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.rule, got, c.want)
		}
	}
	// One evidence record per conferral.
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM evidence e JOIN staff s ON s.id = e.staff_id WHERE s.external_id = 'E2' AND e.source = 'training'`); err != nil || n != 8 {
		t.Fatalf("%d training records (%v)", n, err)
	}
}

// Stored statements that named nobody or nothing known are matched again by the sweeper
// once the person, a person mapping or the course appears: the LMS sends nothing again.
func TestXAPIUnmatchedStatementsMatchLater(t *testing.T) {
	e, lms, bearer := moodleEnv(t)
	newcomer := strings.Replace(passedStatement, `"account": {"homePage": "https://lms.acme.example/orgs/ORGA", "name": "E1"}`, `"mbox": "mailto:Newcomer@ORGA.example"`, 1)
	ids := lms.post("["+strings.Join([]string{
		newcomer,
		moodleStatement("2000", xapi.VerbCompleted, moodleCourse, "", "", ""),
		moodleStatement("1042", xapi.VerbCompleted, "https://moodle.example.nhs.uk/course/view.php?id=99", "", "", ""),
	}, ",")+"]", 200)
	sweep := func() {
		t.Helper()
		if _, err := e.db.Sweep(context.Background(), clocktest.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if got := outcomeOf(t, e, id); !strings.HasPrefix(got, "unmatched") {
			t.Fatalf("%s: %q", id, got)
		}
	}
	sweep()
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGA/staff/N1", map[string]any{"role": "orga-role", "email": "newcomer@orga.example"}).expect(201)
	e.as(bearer, "POST", "/api/v1/xapi/people/import", ndjson(`{"home_page":"`+moodle+`","account_name":"2000","organisation":"ORGB","external_id":"B1"}`)).expect(200)
	e.as(bearer, "PUT", "/api/v1/courses/MOODLE-99", map[string]any{"title": "Later", "activity_iri": "https://moodle.example.nhs.uk/course/view.php?id=99",
		"skills": []map[string]any{{"skill": "incident-detection", "level": 2}}}).expect(201)
	sweep()
	want := []string{"conferred", "unmatched: actor: your person mapping names no staff member known here", "conferred"}
	expectOutcomes(t, e, ids, want)
	// ORGB's B1 arrives: the mapping now names someone.
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGB/staff/B1", map[string]any{}).expect(201)
	sweep()
	if got := outcomeOf(t, e, ids[1]); got != "conferred" {
		t.Fatalf("after B1 arrived: %q", got)
	}
	if len(trainingEvidence(t, e, "N1")) != 1 {
		t.Fatal("N1 has no evidence")
	}
	var left int
	if err := e.db.Get(&left, `SELECT (SELECT count(*) FROM xapi_rematch_requests) + (SELECT count(*) FROM xapi_rematch_scan)`); err != nil || left != 0 {
		t.Fatalf("%d rematch rows left (%v)", left, err)
	}
}

// A provider's person mappings are its own: they decide who its statements are about and
// nobody else's; it lists and removes only its own; a bad file is refused whole.
func TestXAPIPersonMappingsAreTheProvidersOwn(t *testing.T) {
	e, lms, bearer := moodleEnv(t)
	rivalBearer := newBearer(e, "rival-training")
	e.as(rivalBearer, "PUT", "/api/v1/courses/RIVAL-42", map[string]any{"title": "Rival", "activity_iri": moodleCourse,
		"skills": []map[string]any{{"skill": "backup-recovery", "level": 1}}}).expect(201)
	// The rival maps Moodle's 1042 to ORGB's B1: that changes nothing for acme's statements.
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGB/staff/B1", map[string]any{}).expect(201)
	e.as(rivalBearer, "POST", "/api/v1/xapi/people/import", csvBody("home_page,account_name,organisation,external_id\n"+moodle+",1042,ORGB,B1\n")).expect(200)
	mine := lms.post(moodleStatement("1042", xapi.VerbCompleted, moodleCourse, "", "", ""), 200)[0]
	theirs := newLMS(e, "rival-training").post(moodleStatement("1042", xapi.VerbCompleted, moodleCourse, "", "", ""), 200)[0]
	var owners []string
	if err := e.db.Select(&owners, `SELECT s.external_id FROM xapi_statements x JOIN staff s ON s.id = x.staff_id WHERE x.id IN ($1, $2) ORDER BY x.provider`, mine, theirs); err != nil {
		t.Fatal(err)
	}
	expectLines(t, "owners (acme, rival)", owners, []string{"E1", "B1"})

	// Each lists its own; an admin every provider's, or one's.
	list := func(token, query string) []string {
		var out []string
		for _, m := range getJSON[Page[xapi.PersonMapping]](e, token, "/api/v1/xapi/people"+query).Items {
			out = append(out, m.Provider+" "+m.Organisation+"/"+m.ExternalID)
		}
		return out
	}
	expectLines(t, "rival's", list(rivalBearer, ""), []string{"rival-training ORGB/B1"})
	expectLines(t, "acme's of ORGA", list(bearer, "?organisation=ORGA&limit=2"), []string{"acme-training ORGA/E3", "acme-training ORGA/E2"})
	if n := len(list(e.admin(), "")); n != 4 {
		t.Fatalf("admin lists %d", n)
	}
	expectLines(t, "admin's filter", list(e.admin(), "?provider=rival-training"), []string{"rival-training ORGB/B1"})
	acmeFirst := getJSON[Page[xapi.PersonMapping]](e, bearer, "/api/v1/xapi/people").Items[0]
	if acmeFirst.MboxSHA1Sum != sha1Hex(e3Mailbox) {
		t.Fatalf("mapping %+v", acmeFirst)
	}
	e.as(rivalBearer, "DELETE", "/api/v1/xapi/people/"+itoa(acmeFirst.ID), nil).problem(404)
	e.as(bearer, "DELETE", "/api/v1/xapi/people/"+itoa(acmeFirst.ID), nil).expect(204)

	// A bad file is refused whole, each bad row named; partial loads the good rows.
	file := "home_page,account_name,mbox,mbox_sha1sum,organisation,external_id\n" +
		",,a.patel@nhs.net,,ORGA,E5\n" + // good: a mailbox, without mailto:
		",,mailto:a.patel@nhs.net,,ORGB,B2\n" + // the same identifier again
		moodle + ",3000,x@nhs.net,,ORGA,E6\n" + // two identifiers
		",,,,ORGA,E7\n" + // none
		",,,not-a-digest,ORGA,E8\n" +
		"ftp://moodle.example,3001,,,ORGA,E9\n" +
		",,b.bloggs@nhs.net,,NOPE,E10\n"
	p := e.as(bearer, "POST", "/api/v1/xapi/people/import", csvBody(file)).problem(400)
	got := rejectedFields(importReportOf(t, p))
	want := map[int]string{3: "identifier", 4: "identifier", 5: "identifier", 6: "mbox_sha1sum", 7: "home_page", 8: "organisation"}
	for line, field := range want {
		if got[line] != field {
			t.Errorf("line %d: %q, want %q (%v)", line, got[line], field, got)
		}
	}
	var report models.ImportReport
	e.as(bearer, "POST", "/api/v1/xapi/people/import?mode=partial", csvBody("mbox,organisation,external_id\nmailto:A.Patel@nhs.net,ORGA,E5\nx,ORGA,E6\n")).expect(200).decode(&report)
	if report.Inserted != 1 || len(report.Rejected) != 1 {
		t.Fatalf("partial %+v", report)
	}
	// An admin names the provider a file is for.
	e.as(e.admin(), "POST", "/api/v1/xapi/people/import", ndjson(`{"mbox":"c@nhs.net","organisation":"ORGA","external_id":"E1"}`)).problem(400)
}

// A course's activities: its own activity_iri (the statement's object), activity_iris and
// prefixes (object, parent or grouping); exact beats a prefix, a longer prefix a shorter,
// the object a parent, a parent a grouping; an IRI is one course's per provider.
func TestXAPICourseActivities(t *testing.T) {
	e, _ := xapiEnv(t)
	bearer := newBearer(e, "acme-training")
	put := func(code string, c map[string]any) *response {
		c["title"], c["skills"] = code, []map[string]any{{"skill": "firewall-config", "level": 1}}
		return e.as(bearer, "PUT", "/api/v1/courses/"+code, c)
	}
	var course models.Course
	put("WIDE", map[string]any{"activity_iri_prefixes": []string{"https://p.example/"}}).expect(201)
	put("NARROW", map[string]any{"activity_iri_prefixes": []string{"https://p.example/deep/"}, "activity_iris": []string{"https://p.example/deep/x", "https://p.example/a"}}).expect(201).decode(&course)
	if strings.Join(course.ActivityIRIs, " ") != "https://p.example/a https://p.example/deep/x" || course.CompletionRule != models.RuleCompletedOrPassed {
		t.Fatalf("course %+v", course)
	}
	put("OWN", map[string]any{"activity_iri": "https://own.example/course"}).expect(201)
	put("OTHER", map[string]any{"activity_iris": []string{"https://p.example/other"}}).expect(201)
	// An IRI or prefix is one course's per provider; another provider may name it too.
	if p := put("TAKEN", map[string]any{"activity_iris": []string{"https://p.example/a"}}).problem(409); !p.hasFieldError("activity_iris") ||
		!strings.Contains(p.Errors[0].Message, "NARROW") {
		t.Fatalf("problem %+v", p)
	}
	put("TAKEN", map[string]any{"activity_iri_prefixes": []string{"https://p.example/deep/"}}).problem(409)
	put("TAKEN", map[string]any{"activity_iri": "https://p.example/a"}).problem(409)
	e.as(newBearer(e, "rival-training"), "PUT", "/api/v1/courses/RIVAL-A", map[string]any{"title": "A", "activity_iris": []string{"https://p.example/a"},
		"skills": []map[string]any{{"skill": "firewall-config", "level": 1}}}).expect(201)
	for _, body := range []map[string]any{
		{"activity_iris": []string{"nope"}}, {"activity_iris": []string{"https://x.example", "https://x.example"}},
		{"activity_iri": "https://x.example", "activity_iris": []string{"https://x.example"}}, {"completion_rule": "attended"},
	} {
		put("BAD", body).problem(400)
	}

	lms := newLMS(e, "acme-training")
	match := func(object, parent, grouping string) string {
		t.Helper()
		s := `{"actor":{"mbox":"mailto:user@example.com"},"verb":{"id":"` + xapi.VerbCompleted + `"},"object":{"id":"` + object + `"},"context":{"contextActivities":{`
		var kinds []string
		if parent != "" {
			kinds = append(kinds, `"parent":[`+parent+`]`)
		}
		if grouping != "" {
			kinds = append(kinds, `"grouping":[`+grouping+`]`)
		}
		id := lms.post(s+strings.Join(kinds, ",")+"}}}", 200)[0]
		var code *string
		if err := e.db.Get(&code, `SELECT c.code FROM xapi_statements x LEFT JOIN courses c ON c.id = x.course_id WHERE x.id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if code == nil {
			return outcomeOf(t, e, id)
		}
		return *code
	}
	act := func(iri string) string { return `{"id":"` + iri + `"}` }
	cases := []struct{ object, parent, grouping, want string }{
		{"https://p.example/zzz", "", "", "WIDE"},
		{"https://p.example/deep/zzz", "", "", "NARROW"},
		{"https://p.example/deep/x", "", "", "NARROW"},
		{"https://own.example/course", "", "", "OWN"},
		// A course's own activity matches only as the object; a part anywhere.
		{"https://q.example/attempt", act("https://own.example/course"), "", "unmatched: activity: no course of yours has the object, a parent or a grouping activity"},
		{"https://q.example/attempt", act("https://p.example/other"), act("https://p.example/a"), "OTHER"},
		{"https://q.example/attempt", "", act("https://p.example/other"), "OTHER"},
		{"https://p.example/other", act("https://p.example/a"), "", "OTHER"},
		{"https://q.example/attempt", act("https://p.example/other") + "," + act("https://p.example/a"), "",
			"unmatched: activity: belongs to several of your courses: NARROW, OTHER"},
	}
	for _, c := range cases {
		if got := match(c.object, c.parent, c.grouping); got != c.want {
			t.Errorf("%s %s %s: %q, want %q", c.object, c.parent, c.grouping, got, c.want)
		}
	}
}
