package xapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cyberskills/models"
)

// specExample reads one of the xAPI specification's example statements.
func specExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "xapi-spec", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func mustParseOne(t *testing.T, body string) Statement {
	t.Helper()
	stmts, _, err := ParseStatements([]byte(body))
	if err != nil {
		t.Fatalf("parsing %s: %v (%+v)", body, err, err.(*models.Error).Fields)
	}
	return stmts[0]
}

func TestStatementComparison(t *testing.T) {
	t.Parallel()
	specSimple, specTeam := specExample(t, "simple"), specExample(t, "long")
	replace := func(s string, pairs ...string) string { return strings.NewReplacer(pairs...).Replace(s) }
	cases := []struct {
		name    string
		a, b    string
		matches bool
	}{
		{"identical", specSimple, specSimple, true},
		{"property order and white space", specSimple, `{"object":{"id":"http://example.com/xapi/activity/simplestatement"},
			"verb":{"id":"http://example.com/xapi/verbs#sent-a-statement"},"actor":{"mbox":"mailto:user@example.com","name":"Project Tin Can API","objectType":"Agent"},
			"timestamp":"2015-11-18T12:17:00+00:00","id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}`, true},
		{"properties the LRS sets", specSimple, replace(specSimple, `"timestamp"`, `"stored": "2020-01-01T00:00:00Z", "version": "1.0.3",
			"authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.com"}, "attachments": [], "timestamp"`), true},
		{"another id", specSimple, replace(specSimple, "fd41c918", "aaaaaaaa"), true},
		{"timestamp in another zone", specSimple, replace(specSimple, "2015-11-18T12:17:00+00:00", "2015-11-18T13:17:00+01:00"), true},
		{"timestamp as Z with milliseconds", specSimple, replace(specSimple, "2015-11-18T12:17:00+00:00", "2015-11-18T12:17:00.000Z"), true},
		{"timestamp beyond milliseconds", replace(specSimple, "12:17:00+00:00", "12:17:00.1234Z"), replace(specSimple, "12:17:00+00:00", "12:17:00.1239Z"), true},
		{"timestamp set by the LRS on one side", specSimple, replace(specSimple, `"timestamp": "2015-11-18T12:17:00+00:00",`, ""), true},
		{"another timestamp", specSimple, replace(specSimple, "12:17:00", "12:18:00"), false},
		{"verb display", specSimple, replace(specSimple, `"en-US":"sent"`, `"en-GB":"sent", "fr-FR":"envoyé"`), true},
		{"activity definition", specSimple, replace(specSimple, `"en-US":"simple statement"`, `"en-US":"another name"`), true},
		{"objectType stated or default", specSimple, replace(specSimple, `"object":{`, `"object":{"objectType":"Activity",`, `"objectType": "Agent",`, ""), true},
		{"mailbox domain case", specSimple, replace(specSimple, "user@example.com", "user@EXAMPLE.com"), true},
		{"mailbox local part case", specSimple, replace(specSimple, "user@example.com", "USER@example.com"), false},
		{"another actor", specSimple, replace(specSimple, "user@example.com", "other@example.com"), false},
		{"another verb", specSimple, replace(specSimple, "sent-a-statement", "read-a-statement"), false},
		{"another activity", specSimple, replace(specSimple, "activity/simplestatement", "activity/other"), false},
		{"added result", specSimple, replace(specSimple, `"timestamp"`, `"result": {"success": true}, "timestamp"`), false},
		{"group members in another order", specTeam, replace(specTeam, `{"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},`, "",
			`{"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"}`,
			`{"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"}, {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"}`), true},
		{"group member removed", specTeam, replace(specTeam, `{"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},`, ""), false},
		{"registration case", specTeam, replace(specTeam, "ec531277-b57b-4c15-8d91-d292c5b2b8f7", "EC531277-B57B-4C15-8D91-D292C5B2B8F7"), true},
		{"context activity definition", specTeam, replace(specTeam, `"en": "team meeting"`, `"en": "stand-up"`), true},
		{"single context activity, as 1.0.0 allowed", replace(specTeam, `"parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}]`, `"parent": {"id": "http://www.example.com/meetings/series/267"}`), specTeam, true},
		{"result duration beyond centiseconds", replace(specTeam, "PT1H0M0S", "PT1H0M0.123S"), replace(specTeam, "PT1H0M0S", "PT1H0M0.12S"), true},
		{"result duration in other units", specTeam, replace(specTeam, "PT1H0M0S", "PT3600S"), false},
		{"result extension", specTeam, replace(specTeam, "examplemeeting.one", "examplemeeting.two"), false},
		{"language tag case", specTeam, replace(specTeam, `"language": "tlh"`, `"language": "TLH"`), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if (c.a == c.b) != (c.name == "identical") {
				t.Fatal("the case does not change the statement")
			}
			a, b := mustParseOne(t, c.a), mustParseOne(t, c.b)
			if got := a.Content.Matches(b.Content); got != c.matches {
				t.Fatalf("Matches = %v, want %v", got, c.matches)
			}
			if got := b.Content.Matches(a.Content); got != c.matches {
				t.Fatalf("Matches is not symmetric")
			}
		})
	}
}

func TestCanonicalStatementNumbersKeepTheirSerialisation(t *testing.T) {
	t.Parallel()
	// A different serialisation of a property the exceptions do not cover must not be
	// ignored: 0.9 and 0.90 are compared as sent.
	a := mustParseOne(t, `{"actor":{"mbox":"mailto:a@b.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://x.example/c"},"result":{"score":{"scaled":0.9}}}`)
	b := mustParseOne(t, `{"actor":{"mbox":"mailto:a@b.example"},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"},"object":{"id":"http://x.example/c"},"result":{"score":{"scaled":0.90}}}`)
	if a.Content.Matches(b.Content) {
		t.Fatal("0.9 and 0.90 compared equal")
	}
	want := `{"actor":{"mbox":"mailto:a@b.example"},"object":{"id":"http://x.example/c"},"result":{"score":{"scaled":0.9}},"verb":{"id":"http://adlnet.gov/expapi/verbs/passed"}}`
	var m map[string]any
	if err := decodeNumbers(a.Raw, &m); err != nil {
		t.Fatal(err)
	}
	if got := string(CanonicalStatement(m)); got != want {
		t.Fatalf("canonical form\n got %s\nwant %s", got, want)
	}
}
