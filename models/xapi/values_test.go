package xapi

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"cyberskills/models/fuzzcheck"
)

func TestValidLanguageTag(t *testing.T) {
	t.Parallel()
	for tag, want := range map[string]bool{
		"en": true, "en-GB": true, "tlh": true, "zh-Hant-TW": true, "sr-Latn-RS": true, "de-CH-1901": true, "es-419": true,
		"x-private": true, "en-GB-oed": true, "i-klingon": true, "en-a-bbb-x-a-ccc": true, "zh-cmn-Hans-CN": true,
		"": false, "en GB": false, "english-": false, "en_GB": false, "e": false, "en-": false, "toolongtag": false, "en-GB-": false, "1en": false,
	} {
		if got := ValidLanguageTag(tag); got != want {
			t.Errorf("%q: %v, want %v", tag, got, want)
		}
	}
}

func TestValidDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[string]bool{
		"PT1H": true, "P1Y2M3DT4H5M6S": true, "PT1234S": true, "PT0.5S": true, "P3W": true, "P1D": true, "PT1H0M0S": true,
		"": false, "P": false, "PT": false, "1H": false, "PT1H1": false, "P1W2D": false, "PTS": false, "P-1D": false,
	} {
		if got := ValidDuration(d); got != want {
			t.Errorf("%q: %v, want %v", d, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]string{
		"2015-11-18T12:17:00+00:00":     "2015-11-18T12:17:00Z",
		"2015-11-18T12:17:00.123Z":      "2015-11-18T12:17:00.123Z",
		"2015-11-18T13:17:00+0100":      "2015-11-18T12:17:00Z",
		"2015-11-18 12:17:00Z":          "2015-11-18T12:17:00Z",
		"2023-05-04T12:00-05:00":        "2023-05-04T17:00:00Z",
		"2008-09-15T15:53:00.601-00:00": "",
		"2008-09-15T15:53:00.601-0000":  "",
		"2008-09-15T15:53:00.601-00":    "",
		"2015-11-18T12:17:00":           "",
		"18/11/2015":                    "",
	} {
		got, err := ParseTime(s)
		if (err == nil) != (want != "") || (err == nil && got.UTC().Format(time.RFC3339Nano) != want) {
			t.Errorf("%q: %v %v, want %q", s, got, err, want)
		}
	}
}

func TestVersions(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]string{"1.0": "1.0.3", "1.0.1": "1.0.3", "2.0.0": "2.0.0", "2.0": "2.0.0", "": "2.0.0", "0.95": "2.0.0", "1.1.0": "2.0.0"} {
		if got := AnswerVersion(v); got != want {
			t.Errorf("answer to %q: %q, want %q", v, got, want)
		}
	}
	for _, c := range [][3]string{{"", "1.0.3", "1.0.0"}, {"", "2.0.0", "2.0.0"}, {"1.0.1", "2.0.0", "1.0.1"}} {
		if got := StoredVersion(c[0], c[1]); got != c[2] {
			t.Errorf("stored version of %q by %q: %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestParseQuery(t *testing.T) {
	t.Parallel()
	q, err := ParseQuery(url.Values{"agent": {`{"mbox":"mailto:a@example.com"}`}, "verb": {VerbCompleted}, "limit": {"0"},
		"since": {"2026-03-01T10:00:00Z"}, "related_agents": {"true"}, "format": {"ids"}, "ascending": {"true"}})
	if err != nil || string(q.Agent) != `{"mbox":"mailto:a@example.com"}` || q.Verb != VerbCompleted || q.Limit != MaxPage ||
		q.Since == nil || !q.RelatedAgents || q.Format != FormatIDs || !q.Ascending || q.One() {
		t.Fatalf("%+v, %v", q, err)
	}
	if q, err := ParseQuery(url.Values{"statementId": {"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}, "format": {"canonical"}, "attachments": {"true"}}); err != nil ||
		!q.One() || q.Format != FormatCanonical || !q.Attachments {
		t.Fatalf("one statement: %+v, %v", q, err)
	}
	for name, c := range map[string]struct {
		params url.Values
		field  string
	}{
		"unknown":                      {url.Values{"colour": {"blue"}}, "colour"},
		"another case":                 {url.Values{"Verb": {VerbCompleted}}, "Verb"},
		"twice":                        {url.Values{"verb": {VerbCompleted, VerbPassed}}, "verb"},
		"both ids":                     {url.Values{"statementId": {"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}, "voidedStatementId": {"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}}, "voidedStatementId"},
		"a filter beside an id":        {url.Values{"statementId": {"fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}, "limit": {"1"}}, "limit"},
		"an anonymous group as agent":  {url.Values{"agent": {`{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}`}}, "agent"},
		"an agent that is not JSON":    {url.Values{"agent": {"a@example.com"}}, "agent"},
		"a negative limit":             {url.Values{"limit": {"-1"}}, "limit"},
		"a boolean in words":           {url.Values{"ascending": {"yes"}}, "ascending"},
		"a cursor no more link made":   {url.Values{"cursor": {"!!"}}, "cursor"},
		"a registration that is no id": {url.Values{"registration": {"x"}}, "registration"},
	} {
		_, err := ParseQuery(c.params)
		if fields := fuzzcheck.FieldsOf(t, err); len(fields) == 0 || fields[0] != c.field {
			t.Errorf("%s: %v, want %s", name, fields, c.field)
		}
	}
}

func TestAcceptLanguages(t *testing.T) {
	t.Parallel()
	if got := strings.Join(AcceptLanguages("fr;q=0.5, en-GB, de;q=0, *;q=0.1"), " "); got != "en-GB fr *" {
		t.Fatalf("%q", got)
	}
	m := map[string]any{"name": map[string]any{"en-US": "a", "fr": "b", "en-GB": "c"}}
	oneLanguage(m, "name", []string{"en"})
	if jsonText(m) != `{"name":{"en-GB":"c"}}` {
		t.Fatalf("en picks %s", jsonText(m))
	}
	m = map[string]any{"name": map[string]any{"de": "a", "fr": "b"}}
	oneLanguage(m, "name", []string{"es"})
	if jsonText(m) != `{"name":{"de":"a"}}` {
		t.Fatalf("no match picks %s", jsonText(m))
	}
}

func TestReadMapping(t *testing.T) {
	t.Parallel()
	row := ReadMapping(2, "HTTPS://Moodle.Example.nhs.uk:443/", "1042", "", "", "RJ1", "E1")
	if len(row.Problems) != 0 || row.Key != (MappingKey{Kind: MappingAccount, HomePage: "https://moodle.example.nhs.uk", Identifier: "1042"}) {
		t.Fatalf("account %+v", row)
	}
	row = ReadMapping(3, "", "", "mailto:A.Patel@NHS.net", "", "RJ1", "E1")
	if len(row.Problems) != 0 || row.Key.Identifier != "a.patel@nhs.net" || row.Key.SHA1 != sha1Of("mailto:A.Patel@NHS.net") {
		t.Fatalf("mbox %+v", row)
	}
	for name, c := range map[string][6]string{
		"none":              {"", "", "", "", "RJ1", "E1"},
		"two":               {"https://lms.example", "1", "a@nhs.net", "", "RJ1", "E1"},
		"a home page alone": {"https://lms.example", "", "", "", "RJ1", "E1"},
		"not a web address": {"ftp://lms.example", "1", "", "", "RJ1", "E1"},
		"not an address":    {"", "", "nobody", "", "RJ1", "E1"},
		"not a digest":      {"", "", "", "abc", "RJ1", "E1"},
		"no organisation":   {"", "", "a@nhs.net", "", "", "E1"},
		"no external id":    {"", "", "a@nhs.net", "", "RJ1", " "},
	} {
		if row := ReadMapping(1, c[0], c[1], c[2], c[3], c[4], c[5]); len(row.Problems) == 0 {
			t.Errorf("%s: accepted %+v", name, row)
		}
	}
}

func TestAttachmentDigests(t *testing.T) {
	t.Parallel()
	data := []byte("here is a simple attachment")
	if !DigestMatches("495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a", data) ||
		!DigestMatches("495395E777CD98DA653DF9615D09C0FD6BB2F8D4788394CD53C56A3BFDCD848A", data) ||
		DigestMatches("495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848b", data) || DigestMatches("abc", data) {
		t.Fatal("digests")
	}
	s := mustParseOne(t, `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"},
		"attachments":[{"usageType":"http://example.com/u","display":{"en":"x"},"contentType":"text/plain","length":27,
		"sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"}]}`)
	sent := map[string]AttachmentData{"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a": {Data: data}}
	if err := CheckAttachmentsSent([]Statement{s}, sent); err != nil {
		t.Fatal(err)
	}
	if err := CheckAttachmentsSent([]Statement{s}, nil); len(fuzzcheck.FieldsOf(t, err)) != 1 {
		t.Fatal("an attachment without its data was accepted")
	}
	sent["0000"] = AttachmentData{}
	if fields := fuzzcheck.FieldsOf(t, CheckAttachmentsSent([]Statement{s}, sent)); len(fields) != 1 || fields[0] != "X-Experience-API-Hash" {
		t.Fatalf("unclaimed data: %v", fields)
	}
}

func sha1Of(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
