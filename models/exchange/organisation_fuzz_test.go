package exchange

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseOrganisations reads every input as our CSV, as an ODS extract and with the
// format detected. The import is deterministic; every row it keeps is a valid,
// normalised organisation, once, with its parents ordered before it; every bad row is
// reported with its line and a bounded message; and the rejection built from the bad
// rows is EINVALID and bounded too.
func FuzzParseOrganisations(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../../testdata/organisations/*.csv", "../../testdata/ods/etr.csv", "../../testdata/fuzz-seeds/organisations/*.csv")
	etr, err := os.ReadFile("../../testdata/ods/etr.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Join(bytes.SplitAfterN(etr, []byte("\n"), 9)[:8], nil)) // a few trusts, quicker to mutate
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []models.ImportFormat{"", models.FormatCSV, models.FormatODS} {
			imp, err := ParseOrganisations(bytes.NewReader(data), format, models.DateOf(fuzzcheck.Now))
			again, errAgain := ParseOrganisations(bytes.NewReader(data), format, models.DateOf(fuzzcheck.Now))
			if !reflect.DeepEqual(imp, again) || (err == nil) != (errAgain == nil) {
				t.Fatalf("two parses as %q differ", format)
			}
			if err != nil {
				fuzzcheck.RequireInvalid(t, err)
				continue
			}
			unread := imp.Format == "" && len(imp.Rows) == 0 && len(imp.Errors) > 0 // the first row is not CSV
			if !unread && imp.Format != format && (format != "" || (imp.Format != models.FormatCSV && imp.Format != models.FormatODS)) {
				t.Fatalf("read as %q when asked for %q", imp.Format, format)
			}
			checkOrganisationRows(t, imp)
			checkOrganisationErrors(t, imp)
		}
	})
}

func checkOrganisationRows(t *testing.T, imp *models.OrganisationImport) {
	t.Helper()
	level := map[string]int{}
	var csvFields models.OrgFields
	for _, c := range orgColumns {
		csvFields |= c.fields
	}
	for i, r := range imp.Rows {
		o := r.Org
		if err := o.Validate(models.DateOf(fuzzcheck.Now)); err != nil {
			t.Fatalf("row %+v is kept but invalid: %v", r, err)
		}
		n := o
		n.Normalize()
		if !reflect.DeepEqual(n, o) {
			t.Fatalf("row %+v is not normalised", r)
		}
		if o.Active != !o.ClosedOn(models.DateOf(fuzzcheck.Now)) {
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
		case imp.Format == models.FormatCSV && r.Fields&^csvFields != 0:
			t.Fatalf("a CSV row writes fields %b", r.Fields)
		case imp.Format == models.FormatODS && o.Type == models.OrgTrust && r.Fields != odsFields:
			t.Fatalf("an ODS trust writes fields %b", r.Fields)
		case imp.Format == models.FormatODS && o.Type != models.OrgTrust && o.Type != models.OrgICB && o.Type != models.OrgRegion:
			t.Fatalf("an ODS extract implies a %s", o.Type)
		}
	}
	if len(imp.Errors) > 0 {
		return // levels are only meaningful without cycles
	}
	for _, r := range imp.Rows {
		parentLevel, inFile := level[r.Org.Parent]
		if r.Fields&models.SetParent == 0 || !inFile {
			parentLevel = -1
		}
		if r.Level != parentLevel+1 {
			t.Fatalf("%s is at level %d under %s at %d", r.Org.Code, r.Level, r.Org.Parent, parentLevel)
		}
	}
}

func checkOrganisationErrors(t *testing.T, imp *models.OrganisationImport) {
	t.Helper()
	for _, e := range imp.Errors {
		if e.Line < 1 || e.Message == "" {
			t.Fatalf("row error %+v", e)
		}
		fuzzcheck.CheckBounded(t, "row error code", e.Code, models.MaxEcho+len("…"))
		fuzzcheck.CheckBounded(t, "row error field", e.Field, fuzzcheck.MaxField)
		fuzzcheck.CheckBounded(t, "row error message", e.Message, fuzzcheck.MaxMessage)
	}
	if len(imp.Errors) == 0 {
		return
	}
	e := fuzzcheck.RequireInvalid(t, models.ImportError(imp.Errors))
	var details models.ImportErrorDetails
	if d, ok := e.Details.(models.ImportErrorDetails); ok {
		details = d
	}
	if details.Total != len(imp.Errors) || len(details.Rows) > models.MaxReportedRowErrors || len(e.Fields) != len(details.Rows) {
		t.Fatalf("rejection of %d rows lists %d (total %d)", len(imp.Errors), len(details.Rows), details.Total)
	}
}
