package models

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseDate checks the date parser the organisation and staff files use: an accepted
// date is midnight UTC, is the date written (in either of its two forms), and survives
// JSON, SQL and a second parse unchanged; JSON refuses what it cannot read with an error
// the API's binder can describe.
func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2026-01-31", "20260131", " 1993-04-01 ", "2027-02-29", "2028-02-29", "0000-01-01",
		"9999-12-31", "2026-1-31", "26-01-31", "2026-01-31T00:00:00Z", "", "-2026-01-31", "2026\u00a0-01-31"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if again, errAgain := ParseDate(s); again != d || (err == nil) != (errAgain == nil) {
			t.Fatalf("two parses of %q differ", s)
		}
		checkDateJSON(t, s)
		if err != nil {
			if d != (Date{}) {
				t.Fatalf("a refused date %q set %v", s, d)
			}
			return
		}
		tm := d.Time()
		if tm.Location() != time.UTC || tm.Hour() != 0 || tm.Minute() != 0 || tm.Second() != 0 || tm.Nanosecond() != 0 {
			t.Fatalf("%q parsed to %v, not midnight UTC", s, tm)
		}
		written := strings.TrimSpace(s)
		if d.String() != written && tm.Format("20060102") != written {
			t.Fatalf("%q parsed to %s, another date", s, d)
		}
		if back, err := ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("%s parses back as %v (%v)", d, back, err)
		}
		b, err := json.Marshal(d)
		var fromJSON Date
		if err != nil || json.Unmarshal(b, &fromJSON) != nil || fromJSON != d {
			t.Fatalf("%s through JSON %s is %v", d, b, fromJSON)
		}
		v, err := d.Value()
		var scanned Date
		if err != nil || scanned.Scan(v) != nil || scanned != d || scanned.Scan(tm) != nil || scanned != d {
			t.Fatalf("%s through SQL (%v) is %v", d, v, scanned)
		}
	})
}

// checkDateJSON decodes s as a JSON value: a date is read in its dashed form only, and a
// refusal is a type error naming Date, which the binder words as "must be a date".
func checkDateJSON(t *testing.T, s string) {
	t.Helper()
	var d Date
	err := json.Unmarshal([]byte(s), &d)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil:
		if b, _ := json.Marshal(d); len(b) != len(`"2006-01-02"`) {
			t.Fatalf("JSON %s read as %s", s, b)
		}
	case errors.As(err, &typeErr):
		if typeErr.Type != dateType {
			t.Fatalf("JSON %s: type error about %v", s, typeErr.Type)
		}
	case !errors.As(err, &syntaxErr):
		t.Fatalf("JSON %s: %v (%T)", s, err, err)
	}
}
