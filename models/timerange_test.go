package models

import (
	"errors"
	"testing"
	"time"
)

func TestInTimeRange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		at   string
		want bool
	}{
		{"1900-01-01T00:00:00Z", true},                // the first instant
		{"9999-12-31T23:59:59.999999999Z", true},      // the last
		{"2027-01-31T23:30:00Z", true},                // an ordinary time
		{"1899-12-31T23:59:59.999999999Z", false},     // just before
		{"0000-01-01T00:00:00Z", false},               // year 0, 1 BC to PostgreSQL
		{"0001-01-01T00:00:00Z", false},               // Go's zero time
		{"1000-01-01T00:00:00Z", false},               // four digits, still too early
		{"1900-01-01T00:30:00+01:00", false},          // 1899-12-31 in UTC
		{"1899-12-31T23:00:00-01:00", true},           // 1900-01-01 in UTC
		{"9999-12-31T23:00:00-05:00", false},          // the year 10000 in UTC, which JSON cannot write
		{"9999-12-31T23:59:59.999999999+00:01", true}, // earlier in UTC
	} {
		at, err := time.Parse(time.RFC3339Nano, c.at)
		if err != nil {
			t.Fatalf("%s: %v", c.at, err)
		}
		if got := InTimeRange(at); got != c.want {
			t.Errorf("InTimeRange(%s) = %v, want %v", c.at, got, c.want)
		}
	}
}

func TestParseTimeOrDate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		want    string // RFC 3339 in UTC, or "" when refused
		inRange bool   // a refusal says so when the value parses but lies outside
	}{
		{"2026-01-31", "2026-01-31T00:00:00Z", true},
		{"2026-01-31T10:00:00+01:00", "2026-01-31T09:00:00Z", true},
		{"1900-01-01", "1900-01-01T00:00:00Z", true},
		{"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", true},
		{"0000-01-01", "", false},
		{"0000-01-01T00:00:00Z", "", false},
		{"1899-12-31", "", false},
		{"9999-12-31T23:00:00-05:00", "", false},
		{"31/01/2026", "", true},
		{"", "", true},
	} {
		got, err := ParseTimeOrDate(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%q accepted as %v", c.in, got)
		case c.want == "" && errors.Is(err, ErrOutOfRange) == c.inRange:
			t.Errorf("%q: %v", c.in, err)
		case c.want != "" && (err != nil || got.UTC().Format(time.RFC3339Nano) != c.want):
			t.Errorf("%q: %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestDatesOutsideTheRange(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0000-01-01", "18991231", "1899-12-31"} {
		if d, err := ParseDate(s); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
		var d Date
		if err := d.UnmarshalJSON([]byte(`"` + s + `"`)); err == nil && s[4] == '-' {
			t.Errorf("JSON %q accepted", s)
		}
	}
	// What the database holds is read as it is, whatever its year.
	var d Date
	if err := d.Scan("1850-06-01"); err != nil || d.String() != "1850-06-01" {
		t.Errorf("scanning an old date: %v, %v", d, err)
	}
	for _, s := range []string{"0999-Q2", "1899-12", "1899-Q4"} {
		if _, _, err := ParsePeriod(s); err == nil {
			t.Errorf("period %s accepted", s)
		}
	}
	if _, _, err := ParsePeriod("1900-01"); err != nil {
		t.Errorf("period 1900-01: %v", err)
	}
}

func TestExternalIDsKeptInPaths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"E10234", true},
		{"a.b", true},
		{"...", true},
		{".hidden", true},
		{"x..", true},
		{"=1+2", true}, // a formula is only text here; CSV answers neutralise it
		{".", false},
		{"..", false},
		{"", false},
		{"a/b", false},
		{"a b", false},
		{"100%", false},
		{`a\b`, false},
	} {
		if got := ValidExternalID(c.id); got != c.want {
			t.Errorf("ValidExternalID(%q) = %v, want %v", c.id, got, c.want)
		}
	}
	// The other identifiers that name objects in paths start with a letter or digit by
	// their own patterns, so no path cleaning changes them either.
	for _, code := range []string{"RJ1", "RJ1-CY", "a.b", "x.."} {
		if !ValidOrgCode(code) || !KeptInPath(code) {
			t.Errorf("code %q", code)
		}
	}
	for _, code := range []string{".", "..", ".x"} {
		if ValidOrgCode(code) {
			t.Errorf("organisation code %q accepted", code)
		}
	}
}
