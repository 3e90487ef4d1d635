package exchange

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// csvBase is what an import supplies besides the file: metadata and scale.
func csvBase(f models.Framework) models.Framework {
	return models.Framework{Code: f.Code, Name: f.Name, Publisher: f.Publisher, Licence: f.Licence,
		Description: f.Description, Scale: f.Scale, Areas: f.Areas}
}

// exportCSV is f's CSV export; it fails the test (or fuzz target) when writing fails.
func exportCSV(tb testing.TB, f models.Framework) *bytes.Buffer {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteFrameworkCSV(&buf, f); err != nil {
		tb.Fatal(err)
	}
	return &buf
}

// expectReimportedAsNew parses an export of f as a new framework, where nothing but
// metadata and scale come from outside the file, and fails the test unless it is f again.
func expectReimportedAsNew(t *testing.T, export io.Reader, f models.Framework) {
	t.Helper()
	base := csvBase(f)
	base.Areas = nil
	got, err := ParseFrameworkCSV(export, base, "")
	if err != nil {
		t.Fatalf("parsing the export: %v", err)
	}
	if !models.SameContent(got, f) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, f)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	buf := exportCSV(t, f)
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "area,code,name,tier,description,level_1,level_2,level_3,level_4,status,superseded_by,references,record" {
		t.Fatalf("header %q", lines[0])
	}
	if lines[1] != ",top,Top area,,The root.,,,,,,,,area" {
		t.Fatalf("first area row %q", lines[1])
	}
	if !strings.Contains(buf.String(), "leaf,b,Skill B,basic,,Knows B,,,Teaches B,active,,NICE|PD-WRL-003|Incident Response; CyBOK|Forensics,skill") {
		t.Fatalf("skill b row missing from:\n%s", buf.String())
	}
	expectReimportedAsNew(t, buf, f)
}

// TestCSVRoundTripOfAFrameworkWithoutTiers: a framework of statements under several
// areas, with no tiers, round-trips through the two optional columns.
func TestCSVRoundTripOfAFrameworkWithoutTiers(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	for i := range f.Skills {
		f.Skills[i].Tier = ""
	}
	f.Areas = append(f.Areas, models.SkillArea{Code: "side", Name: "Side area", OtherParents: []string{"top"}})
	f.Skills[1].OtherAreas = []string{"top", "side"}
	f.Skills[2].StatementType = models.StatementTask
	if err := f.Validate(); err != nil || f.Tiers != nil {
		t.Fatal(err, f.Tiers)
	}
	buf := exportCSV(t, f)
	if header, _, _ := strings.Cut(buf.String(), "\n"); !strings.HasSuffix(header, ",record,other_areas,statement_type") {
		t.Fatalf("header %q", header)
	}
	expectReimportedAsNew(t, buf, f)
}

func TestCSVWithoutAreaRowsKeepsCurrentAreas(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Validate()
	file := "code,name,tier,area,level_2\r\nb,Skill B,basic,leaf,Does B with help\r\n\r\n,,,,\r\n"
	got, err := ParseFrameworkCSV(strings.NewReader("\ufeff"+file), csvBase(f), "")
	if err != nil {
		t.Fatal(err)
	}
	wantAreas := []models.SkillArea{f.Areas[1], f.Areas[0]} // the named area, then its parent
	if !reflect.DeepEqual(got.Areas, wantAreas) {
		t.Fatalf("areas %+v, want %+v", got.Areas, wantAreas)
	}
	if len(got.Skills) != 1 || got.Skills[0].Levels["2"] != "Does B with help" || got.Skills[0].Status != models.SkillActive {
		t.Fatalf("skills %+v", got.Skills)
	}
}

func TestCSVReportsEveryBadRow(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Validate()
	file := strings.Join([]string{
		"area,code,name,tier,description,level_1,references,record",
		",grp,Group,,,,,area",                     // row 2: fine
		"grp,x1,Good skill,basic,,,,",             // row 3: fine
		"grp,x2,Bad tier,expert,,,,",              // row 4: tier
		"nowhere,x3,Unknown area,basic,,,,",       // row 5: area
		"grp,x1,Repeated code,basic,,,,",          // row 6: code
		"grp,x4,Bad reference,basic,,,NICE,",      // row 7: references
		"grp,x5,Too few cells",                    // row 8: cell count
		",grp2,Area with tier,basic,,,,area",      // row 9: tier on an area
		"grp,x6,Wrong record,basic,,,,competency", // row 10: record
		"grp,,No code,basic,,,,",                  // row 11: code
	}, "\n")
	_, err := ParseFrameworkCSV(strings.NewReader(file), csvBase(f), "")
	got := fuzzcheck.FieldsOf(t, err)
	want := []string{"rows[4].tier", "rows[5].area", "rows[6].code", "rows[7].references", "rows[8]",
		"rows[9].tier", "rows[10].record", "rows[11].code"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors on\n%v\nwant\n%v", got, want)
	}
	if msg := err.Error(); !strings.Contains(msg, "8 problems; nothing was imported") {
		t.Fatalf("message %q", msg)
	}
}

func TestCSVHeaderProblems(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	cases := []struct{ name, header, message string }{
		{"empty file", "", "empty"},
		{"unknown column", "code,name,colour", `unknown column "colour"`},
		{"repeated column", "code,name,name", "appears twice"},
		{"no code", "name,tier", `"code" column is required`},
		{"level outside scale", "code,name,level_9", "level_9 is not a level"},
		{"level 0", "code,name,level_0", "level_0 is not a level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFrameworkCSV(strings.NewReader(tc.header), csvBase(f), "")
			var e *models.Error
			if !errors.As(err, &e) || !slices.ContainsFunc(e.Fields, func(fe models.FieldError) bool {
				return fe.Field == "header" && strings.Contains(fe.Message, tc.message)
			}) {
				t.Fatalf("error %v (%+v), want a header error with %q", err, e, tc.message)
			}
		})
	}
}

func TestCSVMalformedQuotingStopsWithTheRow(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	file := "code,name,tier\nok,Fine,basic\nbad,\"unterminated,basic\n"
	_, err := ParseFrameworkCSV(strings.NewReader(file), csvBase(f), "")
	if got := fuzzcheck.FieldsOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], "rows[") {
		t.Fatalf("errors %v", got)
	}
}

func TestReferencesFormat(t *testing.T) {
	refs := []models.SkillReference{{Scheme: "NICE", ID: "PD-WRL-001", Label: "Defensive Cybersecurity"}, {Scheme: "CyBOK", ID: "Forensics"}}
	s := FormatReferences(refs)
	if s != "NICE|PD-WRL-001|Defensive Cybersecurity; CyBOK|Forensics" {
		t.Fatalf("formatted %q", s)
	}
	back, err := ParseReferences(" " + s + " ; ")
	if err != nil || !reflect.DeepEqual(back, refs) {
		t.Fatalf("parsed %+v, %v", back, err)
	}
	if _, err := ParseReferences("NICE"); err == nil {
		t.Fatal("a reference without an id parsed")
	}
	if _, err := ParseReferences("a|b|c|d"); err == nil {
		t.Fatal("a reference with four parts parsed")
	}
}

// TestCSVReadmeExample parses the example the README shows.
func TestCSVReadmeExample(t *testing.T) {
	file, err := os.Open("testdata/clinical-framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	f, err := ParseFrameworkCSV(file, models.Framework{Code: "clinical", Name: "Clinical IT skills", Scale: models.DefaultScale()}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Areas) != 1 || len(f.Skills) != 2 || f.Skills[0].Tier != models.TierAdvanced || len(f.Skills[0].Levels) != 4 ||
		f.Skills[1].Levels["2"] != "Grants access from approved requests" || f.Skills[0].References[0].ID != "PD-WRL-004" {
		t.Fatalf("parsed %+v", f)
	}
}
