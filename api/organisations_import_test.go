package api

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
)

func TestOrganisationImportOurCSV(t *testing.T) {
	e := newEnv(t)
	e.mustCreateOrg(e.admin(), org{"code": "Y56", "name": "London", "type": "region"})
	// The README's example: parents may come after their children, and one parent (Y56)
	// exists before the import.
	raw, err := os.ReadFile("../testdata/organisations/example.csv")
	if err != nil {
		t.Fatal(err)
	}
	ourCSV := string(raw)

	res := e.mustImport("", ourCSV)
	if res.Format != models.FormatCSV || res.ImportCounts != counts(4, 0, 0) || res.ByType[models.OrgDepartment] != counts(2, 0, 0) {
		t.Fatalf("import: %+v", res)
	}
	rj1 := e.getOrg("RJ1")
	if rj1.Name != "Guy's and St Thomas', London" || rj1.Parent != "QKK" || rj1.Region != "Y56" || *rj1.Headcount != 22000 ||
		rj1.SizeBand != models.SizeVeryLarge || rj1.Postcode != "SE1 7EH" || rj1.OpenDate.String() != "1993-04-01" ||
		rj1.XAPIHomePage != "https://esr.example.nhs.uk/RJ1" || !rj1.Active {
		t.Fatalf("RJ1: %+v", rj1)
	}
	if o := e.getOrg("RJ1-CY"); o.ICB != "QKK" || o.Region != "Y56" || o.Parent != "RJ1" {
		t.Fatalf("RJ1-CY: %+v", o)
	}
	if o := e.getOrg("RJ1-OLD"); o.Active {
		t.Fatalf("RJ1-OLD closed in 2019: %+v", o)
	}
	if empty := e.mustImport("", "code,name,type\n"); empty.ImportCounts != counts(0, 0, 0) || empty.Format != models.FormatCSV {
		t.Fatalf("a header alone: %+v", empty)
	}
	if again := e.mustImport("?format=csv", ourCSV); again.ImportCounts != counts(0, 0, 4) {
		t.Fatalf("second import: %+v", again)
	}

	// A file manages only its columns: this one renames and re-sectors, and leaves the
	// parents, headcounts and home pages alone. It also moves RJ1-CY under RJ1-OLD.
	partial := "code,name,type,sector\nRJ1,Guy's and St Thomas',trust,specialist\nQKK,NHS South East London ICB,icb,commissioning\n"
	if r := e.mustImport("", partial); r.ImportCounts != counts(0, 1, 1) {
		t.Fatalf("partial import: %+v", r)
	}
	if o := e.getOrg("RJ1"); o.Name != "Guy's and St Thomas'" || o.Sector != models.SectorSpecialist || o.Parent != "QKK" ||
		*o.Headcount != 22000 || o.XAPIHomePage == "" || o.OpenDate == nil {
		t.Fatalf("RJ1 after the partial import: %+v", o)
	}
	if r := e.mustImport("", "code,name,type,parent\nRJ1-CY,Cyber security team,department,RJ1-OLD\n"); r.ImportCounts != counts(0, 1, 0) {
		t.Fatalf("move: %+v", r)
	}
	if o := e.getOrg("RJ1-CY"); o.Parent != "RJ1-OLD" || o.Region != "Y56" || *o.Headcount != 8 {
		t.Fatalf("moved: %+v", o)
	}
}

// importProblem posts body and returns the rejected rows as "line code field".
func importProblem(e *testEnv, query, body string) ([]string, problemBody) {
	e.t.Helper()
	p := e.importOrganisationsCSV(query, body).problem(400)
	var d models.ImportErrorDetails
	if err := json.Unmarshal(p.Details, &d); err != nil {
		e.t.Fatalf("details %s: %v", p.Details, err)
	}
	var rows []string
	for _, r := range d.Rows {
		rows = append(rows, fmt.Sprintf("%d %s %s", r.Line, r.Code, r.Field))
	}
	if d.Total != len(d.Rows) || len(p.Errors) != len(d.Rows) {
		e.t.Fatalf("total %d, rows %d, errors %d", d.Total, len(d.Rows), len(p.Errors))
	}
	return rows, p
}

func TestOrganisationImportInvalidAppliesNothing(t *testing.T) {
	e := newEnv(t)
	e.buildTree() // Y56 > QKK > RJ1 > RJ1-IT, Y58 > QUY
	e.as(e.admin(), "PATCH", "/api/v1/organisations/QUY", org{"xapi_home_page": "https://lms.example/quy"}).expect(200)
	before := e.allOrganisations(e.admin(), "")

	file := strings.Join([]string{
		"code,name,type,parent,close_date,xapi_home_page",
		"NEW1,A good row,department,RJ1,,",                // 2: fine, but must not be applied
		"NEW2,Bad date,department,RJ1,2024-02-30,",        // 3
		"NEW3,Bad type,hospital,RJ1,,",                    // 4
		"NEW4,Orphan,department,NOWHERE,,",                // 5: parent in neither file nor database
		"Y56,London,region,RJ1-IT,,",                      // 6: a cycle through the database
		"NEW5,Taken page,other,,,https://lms.example/quy", // 7: QUY has it
		"NEW6,Child of a bad row,department,NEW3,,",       // 8: fine: NEW3's problem is reported once
		"RJ1,Renamed,trust,QKK,,",                         // 9: fine, must not be applied
	}, "\n") + "\n"
	rows, p := importProblem(e, "", file)
	want := []string{"3 NEW2 close_date", "4 NEW3 type", "5 NEW4 parent", "6 Y56 parent", "7 NEW5 xapi_home_page"}
	if !slices.Equal(rows, want) {
		t.Fatalf("rejected rows\n got %v\nwant %v", rows, want)
	}
	if p.Detail != "5 problems in the file; nothing was imported" || !p.hasFieldError("line 3") || !p.hasFieldError("line 7") {
		t.Fatalf("problem: %+v", p)
	}
	after := e.allOrganisations(e.admin(), "")
	if len(after) != len(before) || after["RJ1"].Name != before["RJ1"].Name || after["Y56"].Parent != "" {
		t.Fatalf("a rejected import changed something: %d -> %d organisations, RJ1 %q", len(before), len(after), after["RJ1"].Name)
	}

	// One bad row: the detail names it.
	_, p = importProblem(e, "", "code,name,type\nA1,Alpha,trust\nA2,,trust\n")
	if p.Detail != "line 3: name: is required (at most 300 characters); nothing was imported" {
		t.Fatalf("detail %q", p.Detail)
	}
	e.as(e.admin(), "GET", "/api/v1/organisations/A1", nil).problem(404)
}

func TestOrganisationImportFileProblems(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, query, body string
		rows              []string
	}{
		{"unknown column", "", "code,name,type,colour\nA,B,trust,red\n", []string{"1  colour"}},
		{"missing type column", "", "code,name\nA,B\n", []string{"1  type"}},
		{"ODS said to be ours", "?format=csv", `"RJ1","GUY'S","Y56","QKK","","","","","","","19930401",""` + "\n", []string{"1  "}},
		{"Colour", "", "Code,Name,Type,Colour\nA,B,trust,red\n", []string{"1  Colour"}},
		{"header said to be ODS", "?format=ods", "code,name,type\nA,B,trust\n", []string{"1  "}},
		{"broken quotes", "", "code,name,type\nA,\"B,trust\n", []string{"2  "}},
		{"short ODS row", "", `"RJ1","GUY'S","Y56"` + "\n", []string{"1 RJ1 "}},
		{"cycle in the file", "", "code,name,type,parent\nA,A,other,B\nB,B,other,A\n", []string{"2 A parent", "3 B parent"}},
	}
	for _, tc := range cases {
		rows, _ := importProblem(e, tc.query, tc.body)
		if !slices.Equal(rows, tc.rows) {
			t.Errorf("%s: rows %v, want %v", tc.name, rows, tc.rows)
		}
	}
	e.importOrganisationsCSV("", "").problem(400)
	e.importOrganisationsCSV("?format=xml", "code,name,type\n").problem(400)
	e.requestRaw("POST", "/api/v1/organisations/import", "code,name,type\n", "application/json", "Authorization", "Bearer "+e.admin()).problem(415)
	if got := e.allOrganisations(e.admin(), ""); len(got) != 0 {
		t.Fatalf("rejected files created %d organisations", len(got))
	}
}

func TestOrganisationImportBodyLimit(t *testing.T) {
	cfg := testConfig()
	cfg.ImportBodyLimit = 64
	e := newEnvWith(t, cfg)
	e.importOrganisationsCSV("", "code,name,type\n"+strings.Repeat("ABCDEFGH,Some name,department\n", 10)).problem(413)
}
