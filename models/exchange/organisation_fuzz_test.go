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

// FuzzParseOrganisations reads every input as our CSV, as an ODS extract, as each ODS
// extract and with the format detected. The import is deterministic; every row it keeps
// is a valid, normalised organisation, once, of a type its extract makes, with its
// parents ordered before it; every row it skips is counted; every bad row is reported
// with its line and a bounded message; and the rejection built from the bad rows is
// EINVALID and bounded too.
func FuzzParseOrganisations(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../../testdata/organisations/*.csv", "../../testdata/ods/*.csv", "../../testdata/fuzz-seeds/organisations/*.csv")
	for _, name := range []string{"etr.csv", "epraccur-slice.csv"} {
		file, err := os.ReadFile("../../testdata/ods/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Join(bytes.SplitAfterN(file, []byte("\n"), 9)[:8], nil)) // a few rows, quicker to mutate
	}
	options := []models.OrganisationImportOptions{{}, {Format: models.FormatCSV}, {Format: models.FormatODS}}
	for _, x := range models.ODSExtracts {
		options = append(options, models.OrganisationImportOptions{Extract: x})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range options {
			imp, err := ParseOrganisations(bytes.NewReader(data), opts, models.DateOf(fuzzcheck.Now))
			again, errAgain := ParseOrganisations(bytes.NewReader(data), opts, models.DateOf(fuzzcheck.Now))
			if !reflect.DeepEqual(imp, again) || (err == nil) != (errAgain == nil) {
				t.Fatalf("two parses as %+v differ", opts)
			}
			if err != nil {
				fuzzcheck.RequireInvalid(t, err)
				continue
			}
			format := opts.Format
			if opts.Extract != "" {
				format = models.FormatODS
			}
			unread := imp.Format == "" && len(imp.Rows) == 0 && len(imp.Errors) > 0 // the first row is not CSV
			if !unread && imp.Format != format && (format != "" || (imp.Format != models.FormatCSV && imp.Format != models.FormatODS)) {
				t.Fatalf("read as %q when asked for %q", imp.Format, format)
			}
			if imp.Format == models.FormatODS && (!imp.Extract.Valid() || (opts.Extract != "" && imp.Extract != opts.Extract)) {
				t.Fatalf("read as the %q extract when asked for %q", imp.Extract, opts.Extract)
			}
			checkOrganisationRows(t, imp)
			checkOrganisationSkips(t, imp)
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
		closed := o.ClosedOn(models.DateOf(fuzzcheck.Now))
		if (imp.Format == models.FormatCSV && o.Active == closed) || (o.Active && closed) {
			t.Fatalf("%s is active %v with close date %v", o.Code, o.Active, o.CloseDate)
		}
		if _, dup := level[o.Code]; dup {
			t.Fatalf("%s is kept twice", o.Code)
		}
		level[o.Code] = r.Level
		if r.Line < 1 || !slices.Contains(imp.Codes, o.Code) || (i > 0 && r.Level < imp.Rows[i-1].Level) {
			t.Fatalf("row %d %+v: line, codes %v or order", i, r, imp.Codes)
		}
		if imp.Format == models.FormatCSV && (r.Fields&^csvFields != 0 || r.ParentChoices != nil) {
			t.Fatalf("a CSV row writes fields %b, parent choices %v", r.Fields, r.ParentChoices)
		}
		if imp.Format == models.FormatODS {
			checkODSRow(t, imp.Extract, r)
		}
	}
	if len(imp.Errors) > 0 {
		return // levels are only meaningful without cycles
	}
	historic := map[string]bool{}
	for _, r := range imp.Rows {
		historic[r.Org.Code] = r.ParentChoices != nil
	}
	for _, r := range imp.Rows {
		parentLevel, inFile := level[r.Org.Parent]
		if r.Fields&models.SetParent == 0 || !inFile {
			parentLevel = -1
		}
		for _, c := range r.ParentChoices { // a closed row comes after every place it may go
			if l, ok := level[c]; ok && !historic[c] {
				parentLevel = max(parentLevel, l)
			}
		}
		if r.Level != parentLevel+1 {
			t.Fatalf("%s is at level %d under %s at %d", r.Org.Code, r.Level, r.Org.Parent, parentLevel)
		}
	}
}

// checkODSRow: a row of an extract is of the extract's kind and writes what the
// extract knows, less its place when it is closed (its place is then one of its
// choices, decided when applied); every other row is a region, ICB or sub-ICB location
// that the rows name, which writes only its type, sector and place.
func checkODSRow(t *testing.T, x models.ODSExtract, r models.ImportRow) {
	t.Helper()
	o := r.Org
	switch {
	case o.Type == x.Kind() && r.ParentChoices != nil:
		if r.Fields != odsExtracts[x].fields&^models.SetParent || o.Parent != "" {
			t.Fatalf("closed %s of %s writes fields %b, parent %q", o.Code, x, r.Fields, o.Parent)
		}
	case o.Type == x.Kind():
		if r.Fields != odsExtracts[x].fields {
			t.Fatalf("%s of %s writes fields %b", o.Code, x, r.Fields)
		}
	case o.Type == models.OrgRegion || o.Type == models.OrgICB || o.Type == models.OrgSubICB:
		implied := models.SetType | models.SetSector
		if o.Parent != "" {
			implied |= models.SetParent
		}
		if r.Fields != implied || r.ParentChoices != nil || !o.Active {
			t.Fatalf("the %s %s that %s names writes fields %b", o.Type, o.Code, x, r.Fields)
		}
	default:
		t.Fatalf("the %s extract yields a %s", x, o.Type)
	}
}

// checkOrganisationSkips: only the GP practice extract skips rows (its other
// prescribing settings), each counted once under a bounded reason.
func checkOrganisationSkips(t *testing.T, imp *models.OrganisationImport) {
	t.Helper()
	total := 0
	for reason, n := range imp.Skipped {
		fuzzcheck.CheckBounded(t, "skip reason", reason, 40)
		total += n
	}
	if total != len(imp.SkippedCodes) || (total > 0 && imp.Extract != models.ExtractPractices) {
		t.Fatalf("%s skips %v, codes %d", imp.Extract, imp.Skipped, len(imp.SkippedCodes))
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
