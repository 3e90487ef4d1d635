package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The inputs below are what the fuzz targets found, kept as named cases where the
// corpus file alone (testdata/fuzz/FuzzXxx) would not say what went wrong.

// A single statement or completion is one JSON value: what follows it was ignored, so
// that a body with trailing bytes was accepted and kept "as received", invalid JSON.
func TestParsersRefuseTrailingData(t *testing.T) {
	t.Parallel()
	const completion = `{"completion_id":"C1","organisation":"RJ1","staff_external_id":"E1","course":"FW-201","completed_at":"2026-03-01T16:30:00Z","passed":true}`
	if _, err := ParseCompletions([]byte(completion+" {}"), "academy", true, fuzzNow); strings.Join(fieldsOf(t, err), ",") != "body" {
		t.Fatalf("completion with trailing bytes: %v", err)
	}
}

// A property without a name is named "" rather than not at all.
func TestEmptyPropertyNamesAreNamed(t *testing.T) {
	t.Parallel()
	if _, err := ParseCompletions([]byte(`[{"":true}]`), "academy", true, fuzzNow); strings.Join(fieldsOf(t, err), ",") != `items[0].""` {
		t.Fatalf("completion: %v", err)
	}
}

// A date written as a number was a type error about string, which the API's binder
// worded as "must be a string"; it is about Date, "must be a date (YYYY-MM-DD)".
func TestDateFromJSONNumberIsADateError(t *testing.T) {
	t.Parallel()
	var body struct {
		OpenDate *Date `json:"open_date"`
	}
	err := json.Unmarshal([]byte(`{"open_date": 20260131}`), &body)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Type != dateType || typeErr.Field != "open_date" {
		t.Fatalf("error %v (%+v)", err, typeErr)
	}
}

// A number of days beyond what a time.Duration holds overflowed into a negative
// lifetime, and a token with a negative lifetime is minted without an expiry.
func TestLifetimeBeyondADurationIsRefused(t *testing.T) {
	t.Parallel()
	if d, err := ParseLifetime("106751d"); err != nil || d <= 0 {
		t.Fatalf("the longest lifetime: %v, %v", d, err)
	}
	for _, s := range []string{"106752d", "213504d", "9223372036854775807d"} {
		if d, err := ParseLifetime(s); err == nil {
			t.Errorf("%s accepted as %v", s, d)
		}
	}
}

// A quarter before the year 1000 was labelled 999-Q2, which ParsePeriod refuses. Such
// periods are now outside the range of every date (models.TimeRange) and refused, but
// the label keeps its four digits for any year.
func TestPeriodLabelsKeepFourDigitYears(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0999-Q2", "0042-11"} {
		start, kind, err := parsePeriod(s)
		if err != nil || PeriodLabel(start, kind) != s {
			t.Errorf("%s is labelled %s (%v)", s, PeriodLabel(start, kind), err)
		}
		if _, _, err := ParsePeriod(s); err == nil {
			t.Errorf("%s, before 1900, is accepted", s)
		}
	}
}

// An organisation file's bad values were quoted whole in the rejection (codes, header
// labels, dates, ODS geography), and each row of a cycle named every organisation in it:
// a file of a few long cells or one long cycle made an answer many times its size.
func TestOrganisationImportErrorsQuoteExcerpts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Z", 5000)
	csvFile := "code,name,type,open_date," + long + "\n" + long + ",Long,trust," + long + ",x\n" + long + ",Short row\n"
	odsFile := `"` + long + `","NAME","` + long + `","` + long + `","","","","","","","",""` + "\n"
	var cycle strings.Builder
	cycle.WriteString("code,name,type,parent\n")
	for i := range 50 {
		fmt.Fprintf(&cycle, "UNIT-%02d,Unit,department,UNIT-%02d\n", i, (i+1)%50)
	}
	for _, file := range []string{csvFile, odsFile, cycle.String()} {
		imp, err := ParseOrganisations(strings.NewReader(file), "", DateOf(fuzzNow))
		if err != nil || len(imp.Errors) == 0 {
			t.Fatalf("%v, %d errors", err, len(imp.Errors))
		}
		for _, e := range imp.Errors {
			if len(e.Code) > MaxEcho+len("…") || len(e.Field) > MaxEcho+len("…") || len(e.Message) > 300 {
				t.Fatalf("row error of %d+%d+%d bytes: %.100s", len(e.Code), len(e.Field), len(e.Message), e)
			}
		}
	}
	imp, _ := ParseOrganisations(strings.NewReader(cycle.String()), "", DateOf(fuzzNow))
	if msg := imp.Errors[0].Message; msg != "forms a cycle of 50 organisations: UNIT-00 under UNIT-01 under UNIT-02 under UNIT-03 under UNIT-04 under …" {
		t.Fatalf("cycle message %q", msg)
	}
}

// A framework file's unknown columns and malformed references were quoted whole.
func TestFrameworkCSVErrorsQuoteExcerpts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("q", 5000)
	base := csvBase(sampleFramework())
	for _, file := range []string{"code,name," + long + ",level_" + strings.Repeat("0", 5000) + "1\n",
		"code,name,references\nx,Long,NICE" + long + "|a|b|c\n"} {
		_, err := ParseFrameworkCSV(strings.NewReader(file), base, TierBasic)
		var e *Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			t.Fatalf("error %v", err)
		}
		for _, f := range e.Fields {
			if len(f.Message) > 300 {
				t.Fatalf("message of %d bytes: %.100s", len(f.Message), f.Message)
			}
		}
	}
}

// A framework without a publisher is exported with its title as the CASE creator, which
// the import took for a publisher: the package did not import back as the framework.
func TestCASERoundTripWithoutPublisher(t *testing.T) {
	t.Parallel()
	f := sampleFramework()
	f.Publisher = ""
	f.Validate()
	got, err := ParseCASEPackage(jsonRoundTrip(t, CASEPackage(f, fuzzNow)), Framework{Code: "sample", Scale: DefaultScale()}, "")
	if err != nil || !SameContent(got, f) {
		t.Fatalf("round trip (%v): publisher %q, want none", err, got.Publisher)
	}
}
