package exchange

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// The inputs below are what the fuzz targets found, kept as named cases where the
// corpus file alone (testdata/fuzz/FuzzXxx) would not say what went wrong.

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
		imp, err := ParseOrganisations(strings.NewReader(file), models.OrganisationImportOptions{}, models.DateOf(fuzzcheck.Now))
		if err != nil || len(imp.Errors) == 0 {
			t.Fatalf("%v, %d errors", err, len(imp.Errors))
		}
		for _, e := range imp.Errors {
			if len(e.Code) > models.MaxEcho+len("…") || len(e.Field) > models.MaxEcho+len("…") || len(e.Message) > 300 {
				t.Fatalf("row error of %d+%d+%d bytes: %.100s", len(e.Code), len(e.Field), len(e.Message), e)
			}
		}
	}
	imp, _ := ParseOrganisations(strings.NewReader(cycle.String()), models.OrganisationImportOptions{}, models.DateOf(fuzzcheck.Now))
	if msg := imp.Errors[0].Message; msg != "forms a cycle of 50 organisations: UNIT-00 under UNIT-01 under UNIT-02 under UNIT-03 under UNIT-04 under …" {
		t.Fatalf("cycle message %q", msg)
	}
}

// A framework file's unknown columns and malformed references were quoted whole.
func TestFrameworkCSVErrorsQuoteExcerpts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("q", 5000)
	base := csvBase(fuzzcheck.SampleFramework())
	for _, file := range []string{"code,name," + long + ",level_" + strings.Repeat("0", 5000) + "1\n",
		"code,name,references\nx,Long,NICE" + long + "|a|b|c\n"} {
		_, err := ParseFrameworkCSV(strings.NewReader(file), base, models.TierBasic)
		var e *models.Error
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
	f := fuzzcheck.SampleFramework()
	f.Publisher = ""
	f.Validate()
	got, err := ParseCASEPackage(jsonRoundTrip(t, CASEPackage(f, fuzzcheck.Now)), models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
	if err != nil || !models.SameContent(got, f) {
		t.Fatalf("round trip (%v): publisher %q, want none", err, got.Publisher)
	}
}

// An item sharing the document's identifier was imported; its export then placed it at the
// top of the tree with an association whose two ends had that one identifier, which the
// import read as an item under itself: the export of an import did not import.
func TestCASEItemCannotShareTheDocumentIdentifier(t *testing.T) {
	t.Parallel()
	p := foreignPackage()
	p.CFItems[2].Identifier = p.CFDocument.Identifier
	_, err := ParseCASEPackage(p, models.Framework{Code: "foreign", Scale: models.DefaultScale()}, "")
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0] != (models.FieldError{Field: "CFItems[2].identifier", Message: "repeats the CFDocument's identifier"}) {
		t.Fatalf("error %#v", err)
	}
}

// The problems of a framework file's header were listed without the import's bound: a
// header of thousands of unnamed columns gave an answer of thousands of problems.
func TestFrameworkCSVHeaderProblemsAreBounded(t *testing.T) {
	t.Parallel()
	_, err := ParseFrameworkCSV(strings.NewReader(strings.Repeat(",", 3000)+"\n"), csvBase(fuzzcheck.SampleFramework()), "")
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) != MaxImportProblems+1 || e.Fields[MaxImportProblems].Message != "and 2003 more problems not listed" {
		t.Fatalf("error %v with %d problems, last %v", err, len(e.Fields), e.Fields[len(e.Fields)-1])
	}
}
