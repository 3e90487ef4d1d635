package xapi

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseQuery checks the parameters of GET statements: whatever the query string, they
// are read into a query the store can rely on, or refused as EINVALID naming parameters.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fcompleted&limit=10&ascending=true",
		"agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.com%22%7D&related_agents=true",
		"statementId=fd41c918-b88b-4b20-a0a5-a4c32391aaa0&format=ids&attachments=false",
		"since=2026-01-01T00%3A00%3A00Z&until=2026-02-01T00%3A00%3A00%2B01%3A00&cursor=eyJzIjoiMjAyNi0wMS0wMVQwMDowMDowMFoiLCJuIjoxfQ",
		"activity=http%3A%2F%2Fexample.com%2Fo&related_activities=true&registration=ec531277-b57b-4c15-8d91-d292c5b2b8f7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		params, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(params)
		if err != nil {
			fuzzcheck.RequireInvalid(t, err)
			return
		}
		switch {
		case q.Limit < 1 || q.Limit > MaxPage:
			t.Fatalf("limit %d", q.Limit)
		case q.Format != FormatExact && q.Format != FormatIDs && q.Format != FormatCanonical:
			t.Fatalf("format %q", q.Format)
		case q.One() && (q.Agent != nil || q.Verb != "" || q.Activity != "" || q.Registration != "" || q.Since != nil || q.After != nil):
			t.Fatalf("filters beside a statement id: %+v", q)
		case q.Agent != nil && !json.Valid(q.Agent):
			t.Fatalf("agent %q", q.Agent)
		case q.Verb != "" && !models.ValidIRI(q.Verb), q.Activity != "" && !models.ValidIRI(q.Activity):
			t.Fatalf("verb %q or activity %q", q.Verb, q.Activity)
		case q.Registration != "" && !ValidUUID(q.Registration):
			t.Fatalf("registration %q", q.Registration)
		}
	})
}

// FuzzReadMapping checks a person mappings file's rows: a row is refused with its
// problems named, or read into one kind of identifier in the form it is stored and
// matched in (a home page in normal form, a mailbox and digest in lower case).
func FuzzReadMapping(f *testing.F) {
	f.Add("https://Moodle.example/", "1042", "", "", "RJ1", "E1")
	f.Add("", "", "mailto:A.Patel@nhs.net", "", "RJ1", "E2")
	f.Add("", "", "", "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "RJ1", "E3")
	f.Fuzz(func(t *testing.T, homePage, name, mbox, sha1sum, organisation, externalID string) {
		row := ReadMapping(1, homePage, name, mbox, sha1sum, organisation, externalID)
		if len(row.Problems) > 0 {
			fuzzcheck.CheckFieldErrors(t, row.Problems)
			return
		}
		k := row.Key
		switch k.Kind {
		case MappingAccount:
			if normal, err := models.NormalHomePage(k.HomePage); err != nil || normal != k.HomePage || k.Identifier == "" {
				t.Fatalf("account %+v", k)
			}
		case MappingMbox:
			if strings.ToLower(k.Identifier) != k.Identifier || !validMbox("mailto:"+k.Identifier) || !sha1Hex.MatchString(k.SHA1) {
				t.Fatalf("mbox %+v", k)
			}
		case MappingSHA1:
			if strings.ToLower(k.Identifier) != k.Identifier || !sha1Hex.MatchString(k.Identifier) {
				t.Fatalf("digest %+v", k)
			}
		default:
			t.Fatalf("kind %q", k.Kind)
		}
		if row.Organisation == "" || row.ExternalID == "" {
			t.Fatalf("a person without organisation or id: %+v", row)
		}
	})
}
