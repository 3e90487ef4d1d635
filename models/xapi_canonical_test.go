package models

import (
	"strings"
	"testing"
	"time"
)

// specSimple is the xAPI specification's "simple Statement" (Data, Appendix A), with the
// description on one line.
const specSimple = `{
	"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
	"timestamp": "2015-11-18T12:17:00+00:00",
	"actor":{
		"objectType": "Agent",
		"name":"Project Tin Can API",
		"mbox":"mailto:user@example.com"
	},
	"verb":{
		"id":"http://example.com/xapi/verbs#sent-a-statement",
		"display":{ "en-US":"sent" }
	},
	"object":{
		"id":"http://example.com/xapi/activity/simplestatement",
		"definition":{
			"name":{ "en-US":"simple statement" },
			"description":{ "en-US":"A simple Experience API statement. Note that the LRS does not need to have any prior information about the Actor (learner), the verb, or the Activity/object." }
		}
	}
}`

// specTeam is the specification's long example (Data, Appendix A), as returned by an LRS
// with authority, stored and version set.
const specTeam = `{
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB",
        "mbox": "mailto:teampb@example.com",
        "member": [
            {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"}, "objectType": "Agent"},
            {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
            {"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"}
        ],
        "objectType": "Group"
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "result": {
        "extensions": {"http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes\\examplemeeting.one"},
        "success": true, "completion": true, "response": "We agreed on some example actions.", "duration": "PT1H0M0S"
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
            "category": [{"id": "http://www.example.com/meetings/categories/teammeeting", "objectType": "Activity",
                "definition": {"name": {"en": "team meeting"}, "description": {"en": "A category of meeting used for regular team meetings."}, "type": "http://example.com/expapi/activities/meetingcategory"}}],
            "other": [{"id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity"},
                      {"id": "http://www.example.com/meetings/occurances/3425567", "objectType": "Activity"}]
        },
        "instructor" :
        {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
            "objectType": "Agent"
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {"account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}, "objectType": "Agent"},
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "extensions": {"http://example.com/profiles/meetings/activitydefinitionextensions/room": {"name": "Kilby", "id" : "http://example.com/rooms/342"}},
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "An example meeting that happened on a specific occasion with certain people present.", "en-US": "An example meeting that happened on a specific occasion with certain people present."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256"
        },
        "objectType": "Activity"
    }
}`

func mustParseOne(t *testing.T, body string) Statement {
	t.Helper()
	stmts, _, err := ParseStatements([]byte(body), time.Now())
	if err != nil {
		t.Fatalf("parsing %s: %v (%+v)", body, err, err.(*Error).Fields)
	}
	return stmts[0]
}

func TestStatementComparison(t *testing.T) {
	t.Parallel()
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
		{"language tag case", specTeam, replace(specTeam, `"language" : "tlh"`, `"language" : "TLH"`), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
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
