package models_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// The inputs below are what the fuzz targets found, kept as named cases where the
// corpus file alone (testdata/fuzz/FuzzXxx) would not say what went wrong.

// A single statement or completion is one JSON value: what follows it was ignored, so
// that a body with trailing bytes was accepted and kept "as received", invalid JSON.
func TestParsersRefuseTrailingData(t *testing.T) {
	t.Parallel()
	const completion = `{"completion_id":"C1","organisation":"RJ1","staff_external_id":"E1","course":"FW-201","completed_at":"2026-03-01T16:30:00Z","passed":true}`
	if _, err := models.ParseCompletions([]byte(completion+" {}"), "academy", true, fuzzcheck.Now); strings.Join(fuzzcheck.FieldsOf(t, err), ",") != "body" {
		t.Fatalf("completion with trailing bytes: %v", err)
	}
}

// A property without a name is named "" rather than not at all.
func TestEmptyPropertyNamesAreNamed(t *testing.T) {
	t.Parallel()
	if _, err := models.ParseCompletions([]byte(`[{"":true}]`), "academy", true, fuzzcheck.Now); strings.Join(fuzzcheck.FieldsOf(t, err), ",") != `items[0].""` {
		t.Fatalf("completion: %v", err)
	}
}

// A date written as a number was a type error about string, which the API's binder
// worded as "must be a string"; it is about Date, "must be a date (YYYY-MM-DD)".
func TestDateFromJSONNumberIsADateError(t *testing.T) {
	t.Parallel()
	var body struct {
		OpenDate *models.Date `json:"open_date"`
	}
	err := json.Unmarshal([]byte(`{"open_date": 20260131}`), &body)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Type != models.DateType || typeErr.Field != "open_date" {
		t.Fatalf("error %v (%+v)", err, typeErr)
	}
}

// A number of days beyond what a time.Duration holds overflowed into a negative
// lifetime, and a token with a negative lifetime is minted without an expiry.
func TestLifetimeBeyondADurationIsRefused(t *testing.T) {
	t.Parallel()
	if d, err := models.ParseLifetime("106751d"); err != nil || d <= 0 {
		t.Fatalf("the longest lifetime: %v, %v", d, err)
	}
	for _, s := range []string{"106752d", "213504d", "9223372036854775807d"} {
		if d, err := models.ParseLifetime(s); err == nil {
			t.Errorf("%s accepted as %v", s, d)
		}
	}
}

// A quarter before the year 1000 was labelled 999-Q2, which ParsePeriod refuses. Such
// periods are now outside the range of every date (models.TimeRange) and refused, but
// the label keeps its four digits for any year.
func TestPeriodLabelsKeepFourDigitYears(t *testing.T) {
	t.Parallel()
	for s, start := range map[string]time.Time{
		"0999-Q2": time.Date(999, time.April, 1, 0, 0, 0, 0, time.UTC),
		"0042-11": time.Date(42, time.November, 1, 0, 0, 0, 0, time.UTC),
	} {
		kind := "month"
		if strings.Contains(s, "Q") {
			kind = "quarter"
		}
		if got := models.PeriodLabel(start, kind); got != s {
			t.Errorf("%s is labelled %s", s, got)
		}
		if _, _, err := models.ParsePeriod(s); err == nil {
			t.Errorf("%s, before 1900, is accepted", s)
		}
	}
}
