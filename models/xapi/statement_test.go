package xapi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/fuzzcheck"
)

func TestParseStatementsReadsWhatTheServiceUses(t *testing.T) {
	t.Parallel()
	specSimple, specTeam := specExample(t, "simple"), specExample(t, "long")
	s := mustParseOne(t, specSimple)
	if s.ID != "fd41c918-b88b-4b20-a0a5-a4c32391aaa0" || s.Verb != "http://example.com/xapi/verbs#sent-a-statement" ||
		s.Timestamp == nil || !s.Timestamp.Equal(time.Date(2015, 11, 18, 12, 17, 0, 0, time.UTC)) || s.Facts != (Facts{}) || s.Version != "" {
		t.Fatalf("simple statement read as %+v", s)
	}
	if string(s.Raw) != specSimple {
		t.Fatal("the statement is not kept as received")
	}
	// The team statement: a Group attended, successfully; attending earns nothing.
	if team := mustParseOne(t, specTeam); team.Facts != (Facts{}) || len(team.Attachments) != 0 {
		t.Fatalf("team statement read as %+v", team)
	}
	acc := mustParseOne(t, `{"actor":{"account":{"homePage":"https://lms.example.nhs.uk/orgs/RJ1","name":"E10234"}},
		"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"https://academy.example/fw-201"}, "version": "1.0.3",
		"attachments":[{"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en-GB":"signature"},
			"contentType":"application/octet-stream","length":3,"sha2":"`+strings.Repeat("AB", 32)+`"},
			{"usageType":"http://example.com/certificate","display":{"en-GB":"certificate"},"contentType":"application/pdf",
			"length":3,"sha2":"`+strings.Repeat("cd", 32)+`","fileUrl":"https://lms.example.nhs.uk/certificates/1.pdf"}]}`)
	if acc.ID != "" || acc.Timestamp != nil || acc.Facts != (Facts{Passed: true}) || acc.Version != "1.0.3" ||
		strings.Join(acc.Attachments, ",") != strings.Repeat("ab", 32)+","+strings.Repeat("cd", 32) ||
		strings.Join(acc.Unsent, ",") != strings.Repeat("ab", 32) || len(acc.Signatures) != 1 {
		t.Fatalf("account statement read as %+v", acc)
	}
}

// A statement's facts are read from its verb and result; a failure outweighs the verb.
func TestStatementFacts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		verb, result string
		want         Facts
	}{
		{VerbCompleted, ``, Facts{Completed: true}},
		{VerbCompleted, `{"completion": true}`, Facts{Completed: true}},
		{VerbCompleted, `{"completion": false}`, Facts{}},
		{VerbCompleted, `{"success": true}`, Facts{Completed: true, Passed: true}},
		{VerbCompleted, `{"success": false}`, Facts{Failed: true}},
		{VerbPassed, ``, Facts{Passed: true}},
		{VerbPassed, `{"completion": true, "success": true}`, Facts{Completed: true, Passed: true}},
		{VerbPassed, `{"success": false}`, Facts{Failed: true}},
		{VerbFailed, ``, Facts{Failed: true}},
		{VerbFailed, `{"success": true}`, Facts{Failed: true}},
		{VerbSatisfied, ``, Facts{Satisfied: true}},
		{"http://adlnet.gov/expapi/verbs/attempted", `{"success": true, "completion": true}`, Facts{}},
		{"https://w3id.org/xapi/adl/verbs/waived", ``, Facts{}},
		{"http://adlnet.gov/expapi/verbs/launched", ``, Facts{}},
	}
	for _, c := range cases {
		body := `{"actor":{"mbox":"mailto:a@nhs.example"},"verb":{"id":"` + c.verb + `"},"object":{"id":"https://academy.example/c1"}`
		if c.result != "" {
			body += `,"result":` + c.result
		}
		if got := mustParseOne(t, body+"}").Facts; got != c.want {
			t.Errorf("%s %s: %+v, want %+v", c.verb, c.result, got, c.want)
		}
	}
	if names := (Facts{Completed: true, Passed: true}).Names(); strings.Join(names, ",") != "completed,passed" {
		t.Fatalf("names %v", names)
	}
}

func TestParseStatementsRejectsMalformedStatements(t *testing.T) {
	t.Parallel()
	const ok = `{"actor":{"mbox":"mailto:a@nhs.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://academy.example/c1"}`
	future := clocktest.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	cases := []struct {
		name, body string
		field      string
	}{
		{"missing actor", `{"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://academy.example/c1"}}`, "actor"},
		{"verb id not an IRI", strings.Replace(ok, "http://adlnet.gov/expapi/verbs/completed", "completed", 1) + `}`, "verb.id"},
		{"object without id", strings.Replace(ok, `"object":{"id":"https://academy.example/c1"}`, `"object":{"definition":{}}`, 1) + `}`, "object.id"},
		{"id not a UUID", ok + `,"id":"not-a-uuid"}`, "id"},
		{"timestamp not ISO 8601", ok + `,"timestamp":"18/11/2015 12:17"}`, "timestamp"},
		{"mbox without mailto", strings.Replace(ok, "mailto:a@nhs.example", "a@nhs.example", 1) + `}`, "actor.mbox"},
		{"agent with two identifiers", strings.Replace(ok, `"mbox":"mailto:a@nhs.example"`, `"mbox":"mailto:a@nhs.example","openid":"http://a.example/"`, 1) + `}`, "actor"},
		{"account without name", strings.Replace(ok, `"mbox":"mailto:a@nhs.example"`, `"account":{"homePage":"https://lms.example/RJ1"}`, 1) + `}`, "actor.account.name"},
		{"null value", ok + `,"result":{"response":null}}`, "result.response"},
		{"unknown property", ok + `,"colour":"blue"}`, "colour"},
		{"scaled score out of range", ok + `,"result":{"score":{"scaled":2}}}`, "result.score.scaled"},
		{"success as a string", ok + `,"result":{"success":"true"}}`, "result.success"},
		{"registration not a UUID", ok + `,"context":{"registration":"x"}}`, "context.registration"},
		{"unknown object type", strings.Replace(ok, `"object":{`, `"object":{"objectType":"Course",`, 1) + `}`, "object.objectType"},
		{"not an object", `"a statement"`, "body"},
		{"duplicate ids in a batch", `[` + ok + `,"id":"12345678-1234-5678-1234-567812345678"},` + ok + `,"id":"12345678-1234-5678-1234-567812345678"}]`, "statements[1].id"},
		{"empty batch", `[]`, "statements"},
		{"fault inside a batch", `[` + ok + `},` + ok + `,"version":"3.0.0"}]`, "statements[1].version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := ParseStatements([]byte(c.body))
			fields := fuzzcheck.FieldsOf(t, err)
			if len(fields) == 0 || fields[0] != c.field {
				t.Fatalf("fields %v, want %s first", fields, c.field)
			}
		})
	}
	// Null is allowed inside extensions, the specification's SubStatement example is
	// valid, and a timestamp may lie in the future (the specification says so).
	for _, body := range []string{
		ok + `,"result":{"extensions":{"http://x.example/e":null}}}`,
		ok + `,"timestamp":"` + future + `"}`,
		`{"actor":{"mbox":"mailto:a@nhs.example"},"verb":{"id":"http://example.com/planned"},"object":{"objectType": "SubStatement",
			"actor" : {"objectType": "Agent", "mbox":"mailto:agent@example.com"},
			"verb" : {"id":"http://example.com/confirmed", "display":{"en":"confirmed"}},
			"object": {"objectType":"StatementRef", "id" :"9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}}}`,
	} {
		if _, _, err := ParseStatements([]byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestAssignStatementIDs(t *testing.T) {
	t.Parallel()
	stmts := []Statement{{ID: "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}, {}, {}}
	AssignStatementIDs(stmts)
	if stmts[0].ID != "fd41c918-b88b-4b20-a0a5-a4c32391aaa0" || !ValidUUID(stmts[1].ID) || stmts[1].ID == stmts[2].ID ||
		stmts[1].ID[14] != '4' || strings.ToLower(stmts[1].ID) != stmts[1].ID {
		t.Fatalf("ids %v", stmts)
	}
}

func TestXAPIVersionSupported(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"1.0.0": true, "1.0.3": true, "1.0": true, "2.0.0": true, "2.0": true,
		"": false, "0.95": false, "1.1.0": false, "3.0.0": false, "1.0.x": false} {
		if got := VersionSupported(v); got != want {
			t.Errorf("%q: %v, want %v", v, got, want)
		}
	}
}

// A batch holds from 1 to MaxBatch statements: the limit is exact.
func TestParseStatementsBatchLimit(t *testing.T) {
	t.Parallel()
	const ok = `{"actor":{"mbox":"mailto:a@nhs.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://academy.example/c1"}}`
	batch := func(n int) []byte {
		return []byte("[" + strings.TrimSuffix(strings.Repeat(ok+",", n), ",") + "]")
	}
	if got, _, err := ParseStatements(batch(MaxBatch)); err != nil || len(got) != MaxBatch {
		t.Fatalf("a full batch: %d, %v", len(got), err)
	}
	for _, n := range []int{0, MaxBatch + 1} {
		_, _, err := ParseStatements(batch(n))
		var e *models.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "statements" {
			t.Errorf("a batch of %d: %v, want an error on statements", n, err)
		}
	}
}
