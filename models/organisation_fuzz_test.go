package models

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"testing"
)

// FuzzParseOrganisations reads every input as our CSV, as an ODS extract and with the
// format detected. The import is deterministic; every row it keeps is a valid,
// normalised organisation, once, with its parents ordered before it; every bad row is
// reported with its line and a bounded message; and the rejection built from the bad
// rows is EINVALID and bounded too.
func FuzzParseOrganisations(f *testing.F) {
	addSeedFiles(f, "../testdata/organisations/*.csv", "../testdata/ods/etr.csv", "../testdata/fuzz-seeds/organisations/*.csv")
	etr, err := os.ReadFile("../testdata/ods/etr.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Join(bytes.SplitAfterN(etr, []byte("\n"), 9)[:8], nil)) // a few trusts, quicker to mutate
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []ImportFormat{"", FormatCSV, FormatODS} {
			imp, err := ParseOrganisations(bytes.NewReader(data), format, DateOf(fuzzNow))
			again, errAgain := ParseOrganisations(bytes.NewReader(data), format, DateOf(fuzzNow))
			if !reflect.DeepEqual(imp, again) || (err == nil) != (errAgain == nil) {
				t.Fatalf("two parses as %q differ", format)
			}
			if err != nil {
				requireInvalid(t, err)
				continue
			}
			unread := imp.Format == "" && len(imp.Rows) == 0 && len(imp.Errors) > 0 // the first row is not CSV
			if !unread && imp.Format != format && (format != "" || (imp.Format != FormatCSV && imp.Format != FormatODS)) {
				t.Fatalf("read as %q when asked for %q", imp.Format, format)
			}
			checkOrganisationRows(t, imp)
			checkOrganisationErrors(t, imp)
		}
	})
}

func checkOrganisationRows(t *testing.T, imp *OrganisationImport) {
	t.Helper()
	level := map[string]int{}
	var csvFields OrgFields
	for _, c := range csvColumns {
		csvFields |= c.fields
	}
	for i, r := range imp.Rows {
		o := r.Org
		if err := o.Validate(DateOf(fuzzNow)); err != nil {
			t.Fatalf("row %+v is kept but invalid: %v", r, err)
		}
		n := o
		n.Normalize()
		if !reflect.DeepEqual(n, o) {
			t.Fatalf("row %+v is not normalised", r)
		}
		if o.Active != !o.ClosedOn(DateOf(fuzzNow)) {
			t.Fatalf("%s is active %v with close date %v", o.Code, o.Active, o.CloseDate)
		}
		if _, dup := level[o.Code]; dup {
			t.Fatalf("%s is kept twice", o.Code)
		}
		level[o.Code] = r.Level
		if r.Line < 1 || !slices.Contains(imp.Codes, o.Code) || (i > 0 && r.Level < imp.Rows[i-1].Level) {
			t.Fatalf("row %d %+v: line, codes %v or order", i, r, imp.Codes)
		}
		switch {
		case imp.Format == FormatCSV && r.Fields&^csvFields != 0:
			t.Fatalf("a CSV row writes fields %b", r.Fields)
		case imp.Format == FormatODS && o.Type == OrgTrust && r.Fields != odsFields:
			t.Fatalf("an ODS trust writes fields %b", r.Fields)
		case imp.Format == FormatODS && o.Type != OrgTrust && o.Type != OrgICB && o.Type != OrgRegion:
			t.Fatalf("an ODS extract implies a %s", o.Type)
		}
	}
	if len(imp.Errors) > 0 {
		return // levels are only meaningful without cycles
	}
	for _, r := range imp.Rows {
		parentLevel, inFile := level[r.Org.Parent]
		if r.Fields&SetParent == 0 || !inFile {
			parentLevel = -1
		}
		if r.Level != parentLevel+1 {
			t.Fatalf("%s is at level %d under %s at %d", r.Org.Code, r.Level, r.Org.Parent, parentLevel)
		}
	}
}

func checkOrganisationErrors(t *testing.T, imp *OrganisationImport) {
	t.Helper()
	for _, e := range imp.Errors {
		if e.Line < 1 || e.Message == "" {
			t.Fatalf("row error %+v", e)
		}
		checkBounded(t, "row error code", e.Code, MaxEcho+len("…"))
		checkBounded(t, "row error field", e.Field, maxFuzzField)
		checkBounded(t, "row error message", e.Message, maxFuzzMessage)
	}
	if len(imp.Errors) == 0 {
		return
	}
	e := requireInvalid(t, ImportError(imp.Errors))
	var details ImportErrorDetails
	if d, ok := e.Details.(ImportErrorDetails); ok {
		details = d
	}
	if details.Total != len(imp.Errors) || len(details.Rows) > MaxReportedRowErrors || len(e.Fields) != len(details.Rows) {
		t.Fatalf("rejection of %d rows lists %d (total %d)", len(imp.Errors), len(details.Rows), details.Total)
	}
}
