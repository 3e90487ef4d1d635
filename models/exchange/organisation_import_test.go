package exchange

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
)

// testToday is the day the files are read on.
var testToday = models.NewDate(2026, time.January, 15)

func parse(t *testing.T, format models.ImportFormat, text string) *models.OrganisationImport {
	t.Helper()
	imp, err := ParseOrganisations(strings.NewReader(text), models.OrganisationImportOptions{Format: format}, testToday)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return imp
}

func rowsByCode(imp *models.OrganisationImport) map[string]models.ImportRow {
	m := map[string]models.ImportRow{}
	for _, r := range imp.Rows {
		m[r.Org.Code] = r
	}
	return m
}

func errorList(errs []models.RowError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, fmt.Sprintf("%d %s %s", e.Line, e.Code, e.Field))
	}
	slices.Sort(out)
	return out
}

func TestParseOurCSV(t *testing.T) {
	t.Parallel()
	// Columns in any order; children before their parents; quoted commas; a BOM.
	imp := parse(t, "", "\ufeffname,code,type,parent,sector,headcount,close_date,xapi_home_page\n"+
		"Cyber team,RJ1-CY,department,RJ1,,40,,\n"+
		`"GUY'S AND ST THOMAS', LONDON",RJ1,trust,QKK,acute,22000,,https://esr.example.nhs.uk/RJ1`+"\n"+
		"South East London,QKK,ICB,,commissioning,,,\n"+
		"Old unit,RJ1-OLD,department,RJ1,,,20250331,\n")
	if imp.Format != models.FormatCSV || len(imp.Errors) != 0 {
		t.Fatalf("format %s, errors %+v", imp.Format, imp.Errors)
	}
	var order []string
	for _, r := range imp.Rows {
		order = append(order, fmt.Sprintf("%s@%d", r.Org.Code, r.Level))
	}
	if want := []string{"QKK@0", "RJ1@1", "RJ1-CY@2", "RJ1-OLD@2"}; !slices.Equal(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	rows := rowsByCode(imp)
	rj1 := rows["RJ1"]
	if rj1.Line != 3 || rj1.Org.Name != "GUY'S AND ST THOMAS', LONDON" || rj1.Org.Parent != "QKK" || *rj1.Org.Headcount != 22000 ||
		rj1.Org.Sector != models.SectorAcute || rj1.Org.XAPIHomePage != "https://esr.example.nhs.uk/RJ1" || !rj1.Org.Active {
		t.Fatalf("RJ1: %+v", rj1)
	}
	if rows["QKK"].Org.Type != models.OrgICB || rows["RJ1-OLD"].Org.Active {
		t.Fatalf("QKK %+v, RJ1-OLD %+v", rows["QKK"], rows["RJ1-OLD"])
	}
	want := models.SetName | models.SetType | models.SetParent | models.SetSector | models.SetHeadcount | models.SetCloseDate | models.SetActive | models.SetXAPIHomePage
	if rj1.Fields != want {
		t.Fatalf("fields %b, want %b: only the file's columns are written", rj1.Fields, want)
	}
	if !slices.Equal(imp.Codes, []string{"RJ1-CY", "RJ1", "QKK", "RJ1-OLD"}) {
		t.Fatalf("codes %v", imp.Codes)
	}
}

func TestParseOurCSVErrors(t *testing.T) {
	t.Parallel()
	imp := parse(t, "", "code,name,type,parent,open_date,close_date,headcount\n"+
		"A,Alpha,trust,,,,\n"+
		"B,,trust,A,,,\n"+ // 3: no name
		"C,Gamma,hospital,A,,,\n"+ // 4: unknown type
		"D,Delta,department,A,2024-13-01,,ten\n"+ // 5: bad date and headcount
		"A,Again,trust,,,,\n"+ // 6: duplicate
		"E,Epsilon,department,F,,,\n"+ // 7, 8: a cycle
		"F,Phi,department,E,,,\n"+
		"G,Gee,department,G,,,\n"+ // 9: its own parent
		"H,Aitch,department\n"+ // 10: short row
		"I,Eye,department,A,2024-01-01,2023-01-01,\n") // 11: closes before it opens
	got := errorList(imp.Errors)
	want := []string{"10 H ", "11 I close_date", "3 B name", "4 C type", "5 D headcount", "5 D open_date",
		"6 A code", "7 E parent", "8 F parent", "9 G parent"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
	for _, e := range imp.Errors {
		if e.Line == 7 && e.Message != "forms a cycle: E under F under E" {
			t.Errorf("cycle message %q", e.Message)
		}
		if e.Line == 6 && e.Message != "is also on line 2" {
			t.Errorf("duplicate message %q", e.Message)
		}
	}
}

func TestParseOurCSVHeader(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"code,name,type,colour\n":           {"1  colour"},
		"code,name,type,name\n":             {"1  name"},
		"code,name,parent\nA,B,\n":          {"1  type"},
		"code,name,,type\n":                 {"1  column 3"},
		"Code, Name ,TYPE\nA,Alpha,trust\n": nil,
	}
	for text, want := range cases {
		imp := parse(t, models.FormatCSV, text)
		if got := errorList(imp.Errors); !slices.Equal(got, want) {
			t.Errorf("%q: errors %v, want %v", text, got, want)
		}
	}
}

const odsSample = `"RJ1","GUY'S AND ST THOMAS' NHS FOUNDATION TRUST","Y56","QKK","GUY'S HOSPITAL","GREAT MAZE POND","","LONDON","","SE1 9RT","19930401","","","","","","","020 7188 7188","","","","1","","H","","",""
"RRU","LONDON AMBULANCE SERVICE NHS TRUST","Y56","QKK","220 WATERLOO ROAD","","","LONDON","","SE1 8SD","19960401","","","","","","","","","","","1","","H","","",""
"RGZ","QUEEN MARY'S SIDCUP NHS TRUST","Y56","QKK","FROGNAL AVENUE","","","SIDCUP","","DA14 6LT","19930401","20090331","","","","","","","","","","1","","H","","",""
"RCX","THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST","Y61","T6Y0W","GAYTON ROAD","","","KING'S LYNN","","PE30 4ET","19920401","20260331","","","","","","","","","","1","","G","","",""
"RT4","WELSH AMBULANCE SERVICES NHS TRUST","","","VANTAGE POINT HOUSE","","","CWMBRAN","","NP44 3FA","19980401","","","","","","","","","","","1","","W","","",""
`

func TestParseODS(t *testing.T) {
	t.Parallel()
	imp := parse(t, "", odsSample)
	if imp.Format != models.FormatODS || len(imp.Errors) != 0 {
		t.Fatalf("format %s, errors %+v", imp.Format, imp.Errors)
	}
	var order []string
	for _, r := range imp.Rows {
		order = append(order, fmt.Sprintf("%s:%s@%d", r.Org.Code, r.Org.Type, r.Level))
	}
	want := []string{"Y56:region@0", "Y61:region@0", "RT4:trust@0", "QKK:icb@1", "T6Y0W:icb@1",
		"RJ1:trust@2", "RRU:trust@2", "RGZ:trust@2", "RCX:trust@2"}
	if !slices.Equal(order, want) {
		t.Fatalf("rows\n got %v\nwant %v", order, want)
	}
	rows := rowsByCode(imp)
	rj1 := rows["RJ1"].Org
	if rj1.Parent != "QKK" || rj1.Address != "GUY'S HOSPITAL, GREAT MAZE POND, LONDON" || rj1.Postcode != "SE1 9RT" ||
		rj1.OpenDate.String() != "1993-04-01" || rj1.CloseDate != nil || !rj1.Active || rj1.Sector != "" {
		t.Fatalf("RJ1: %+v", rj1)
	}
	if rows["RJ1"].Fields != odsExtracts[models.ExtractTrusts].fields || rows["RJ1"].Line != 1 {
		t.Fatalf("RJ1 row: %+v", rows["RJ1"])
	}
	if o := rows["RRU"].Org; o.Sector != models.SectorAmbulance || !o.Active {
		t.Fatalf("RRU: %+v", o)
	}
	if o := rows["RGZ"].Org; o.Active || o.CloseDate.String() != "2009-03-31" {
		t.Fatalf("RGZ is closed: %+v", o)
	}
	// Closes 2026-03-31, after "today" in this test: still active.
	if o := rows["RCX"].Org; !o.Active || o.Name != "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST" || o.Parent != "T6Y0W" {
		t.Fatalf("RCX: %+v", o)
	}
	if o := rows["RT4"].Org; o.Parent != "" || o.Sector != models.SectorAmbulance {
		t.Fatalf("RT4 has no region: %+v", o)
	}
	if r := rows["Y56"]; r.Org.Name != "London" || r.Fields != models.SetType|models.SetSector || r.Org.Sector != models.SectorCommissioning || r.Line != 1 {
		t.Fatalf("Y56: %+v", r)
	}
	if r := rows["QKK"]; r.Org.Name != "Integrated Care Board QKK" || r.Org.Parent != "Y56" || r.Fields != models.SetType|models.SetParent|models.SetSector {
		t.Fatalf("QKK: %+v", r)
	}
}

func TestParseODSErrors(t *testing.T) {
	t.Parallel()
	row := func(code, name, region, icb, open, close string) string {
		return fmt.Sprintf(`"%s","%s","%s","%s","","","","","","","%s","%s","",""`+"\n", code, name, region, icb, open, close)
	}
	text := row("RA1", "ONE", "Y56", "QKK", "19930401", "") +
		row("RA2", "TWO", "Y58", "QKK", "19930401", "") + // 2: QKK is in Y56
		row("RA3", "THREE", "Y56", "QKK", "1993-04-01x", "") + // 3: bad open date
		row("RA4", "", "Y56", "QKK", "", "") + // 4: no name
		row("RA1", "ONE AGAIN", "Y56", "QKK", "", "") + // 5: duplicate
		row("Y56", "A TRUST NAMED LIKE A REGION", "Y61", "", "", "") + // 6: clashes with the region of line 1
		`"RA7","SEVEN","Y56"` + "\n" + // 7: too few columns
		row("RA8", "EIGHT", "Y 56", "", "", "") // 8: bad region code
	imp := parse(t, models.FormatODS, text)
	got := errorList(imp.Errors)
	want := []string{"2 RA2 icb", "3 RA3 open_date", "4 RA4 name", "5 RA1 code", "6 Y56 code", "7 RA7 ", "8 RA8 region"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
	// A header row in a file said to be ODS is a mistake, not a trust called "name".
	imp = parse(t, models.FormatODS, "code,name,type\nA,B,trust\n")
	if got := errorList(imp.Errors); !slices.Equal(got, []string{"1  "}) {
		t.Fatalf("header in ODS: %v", got)
	}
}

func TestParseUnreadableFiles(t *testing.T) {
	t.Parallel()
	if _, err := ParseOrganisations(strings.NewReader(""), models.OrganisationImportOptions{}, testToday); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("empty file: %v", err)
	}
	if _, err := ParseOrganisations(strings.NewReader("a,b"), models.OrganisationImportOptions{Format: "xml"}, testToday); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("unknown format: %v", err)
	}
	imp := parse(t, models.FormatCSV, "code,name,type\nA,\"Alpha,trust\nB,Beta,trust\n")
	if got := errorList(imp.Errors); !slices.Equal(got, []string{"2  "}) || len(imp.Rows) != 0 {
		t.Fatalf("bad quoting: %v, rows %d", imp.Errors, len(imp.Rows))
	}
	broken := errors.New("connection reset")
	if _, err := ParseOrganisations(failingReader{broken}, models.OrganisationImportOptions{}, testToday); !errors.Is(err, broken) {
		t.Fatalf("read error: %v", err)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestImportResult(t *testing.T) {
	t.Parallel()
	imp := parse(t, "", odsSample) // 2 regions, 2 ICBs, 5 trusts
	res := imp.Result(models.ImportEffects{Inserted: map[models.OrgType]int{models.OrgTrust: 2, models.OrgICB: 1}, Updated: map[models.OrgType]int{models.OrgTrust: 1}})
	want := map[models.OrgType]models.ImportCounts{
		models.OrgRegion: {Inserted: 0, Updated: 0, Unchanged: 2},
		models.OrgICB:    {Inserted: 1, Updated: 0, Unchanged: 1},
		models.OrgTrust:  {Inserted: 2, Updated: 1, Unchanged: 2},
	}
	if res.ImportCounts != (models.ImportCounts{Inserted: 3, Updated: 1, Unchanged: 5}) || len(res.ByType) != 3 || res.Format != models.FormatODS {
		t.Fatalf("%+v", res)
	}
	for typ, c := range want {
		if res.ByType[typ] != c {
			t.Errorf("%s: %+v, want %+v", typ, res.ByType[typ], c)
		}
	}
}
