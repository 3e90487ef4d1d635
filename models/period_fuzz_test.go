package models_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParsePeriod checks the establishment's periods: an accepted period is the first
// day of a month, or of a quarter, at midnight UTC, and its label is the period written;
// the error of a refused one repeats at most an excerpt of it.
func FuzzParsePeriod(f *testing.F) {
	for _, seed := range []string{"2027-01", "2027-Q1", "2027-Q4", "2027-12", "0999-Q2", "0001-01", "9999-Q4", "2027-13",
		"2027-Q5", "2027-q1", "27-01", "2027-1", "2027-01\n", "２０２７-01", strings.Repeat("2027-\x00", 1000)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, kind, err := models.ParsePeriod(s)
		if err != nil {
			fuzzcheck.CheckBounded(t, "period error", err.Error(), fuzzcheck.MaxMessage)
			if kind != "" || !start.IsZero() {
				t.Fatalf("a refused period %q gave %v %q", s, start, kind)
			}
			return
		}
		if start.Location() != time.UTC || start.Day() != 1 || start.Hour() != 0 || start.Minute() != 0 || start.Second() != 0 || start.Nanosecond() != 0 {
			t.Fatalf("%q starts at %v, not the first of a month", s, start)
		}
		if kind != "month" && (kind != "quarter" || (start.Month()-1)%3 != 0) {
			t.Fatalf("%q is a %s starting %v", s, kind, start)
		}
		if label := models.PeriodLabel(start, kind); label != s {
			t.Fatalf("%q is labelled %q", s, label)
		}
		entry := []models.EstablishmentEntry{{Role: "r", Period: s, FundedPosts: 1}}
		if err := models.ValidateEstablishment(entry); err != nil {
			t.Fatalf("a period that parses is refused: %v", err)
		}
		if err := models.ValidateEstablishment(append(entry, entry[0])); err == nil {
			t.Fatalf("period %q listed twice is accepted", s)
		}
	})
}

// FuzzParseLifetime checks token lifetimes and report windows ("90d", "12h", "never"):
// an accepted lifetime is positive (no expiry only for "" and "never"); a refused one is
// EINVALID naming expires_in.
func FuzzParseLifetime(f *testing.F) {
	for _, seed := range []string{"90d", "12h", "30m", "never", "", " 7d ", "0d", "-1d", "1.5h", "106751d", "106752d",
		"2562047h", "9223372036854775807ns", "9223372036854775808ns", "d", "1e3d", "+5d"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := models.ParseLifetime(s)
		if err != nil {
			if e := fuzzcheck.RequireInvalid(t, err); len(e.Fields) != 1 || e.Fields[0].Field != "expires_in" {
				t.Fatalf("lifetime error %+v does not name expires_in", e)
			}
			return
		}
		switch {
		case d < 0:
			t.Fatalf("%q is a negative lifetime, %v", s, d)
		case d == 0 && !isNoExpiry(s):
			t.Fatalf("%q is a lifetime of zero", s)
		case d > 0 && isNoExpiry(s):
			t.Fatalf("%q means no expiry, not %v", s, d)
		}
		if again, _ := models.ParseLifetime(s); again != d {
			t.Fatalf("%q is %v then %v", s, d, again)
		}
		if days, ok := wholeDays(s); ok && d != time.Duration(days)*24*time.Hour {
			t.Fatalf("%q is %v, not %d days", s, d, days)
		}
	})
}

func isNoExpiry(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "never"
}

// wholeDays reads "Nd" the way a person would, without overflow.
func wholeDays(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[len(s)-1] != 'd' {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	return n, err == nil && n > 0 && n <= int64(time.Duration(1<<63-1)/(24*time.Hour))
}
