package api

import (
	"maps"
	"os"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// readTestdata returns a file of testdata/ as a string.
func readTestdata(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// withoutLines drops the lines of an extract that start with the given codes.
func withoutLines(file string, codes ...string) string {
	var kept []string
	for _, line := range strings.SplitAfter(file, "\n") {
		drop := line == ""
		for _, c := range codes {
			drop = drop || strings.HasPrefix(line, `"`+c+`"`)
		}
		if !drop {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "")
}

// practiceSliceSkips are the rows of testdata/ods/epraccur-slice.csv that are other
// prescribing settings than a GP practice, by setting.
var practiceSliceSkips = map[string]int{
	"prescribing_setting_0": 6, "prescribing_setting_1": 1, "prescribing_setting_2": 1, "prescribing_setting_3": 1,
	"prescribing_setting_8": 1, "prescribing_setting_9": 1, "prescribing_setting_10": 1, "prescribing_setting_13": 1,
	"prescribing_setting_14": 1, "prescribing_setting_25": 2,
}

// TestOrganisationImportGPPracticeExtract imports the trust extract, then a slice of the
// real GP practice extract, detected from its columns: the practices sit under their
// sub-ICB locations in their ICBs, the other prescribing settings are counted and left
// out, the "no value" codes and Wales create nothing, statuses decide who is at work,
// and closed practices find the nearest place that still exists.
func TestOrganisationImportGPPracticeExtract(t *testing.T) {
	e := newEnv(t)
	e.mustImport("", readTestdata(t, "ods/etr.csv"))
	file := readTestdata(t, "ods/epraccur-slice.csv")

	res := e.mustImport("", file)
	if res.Format != models.FormatODS || res.Extract != models.ExtractPractices || res.Skipped != 16 ||
		!maps.Equal(res.SkippedByReason, practiceSliceSkips) || res.Retired != 0 {
		t.Fatalf("import: %+v", res)
	}
	// 19 practices; 7 sub-ICB locations; the ICBs QHM, QKK and QVV of the trusts, QMJ
	// and QRV new; the regions Y56, Y58 and Y63 of the trusts.
	if res.ByType[models.OrgPractice] != counts(19, 0, 0) || res.ByType[models.OrgSubICB] != counts(7, 0, 0) ||
		res.ByType[models.OrgICB] != counts(2, 0, 3) || res.ByType[models.OrgRegion] != counts(0, 0, 3) || len(res.ByType) != 4 {
		t.Fatalf("by type: %+v", res.ByType)
	}

	if o := e.getOrg("G83001"); o.Type != models.OrgPractice || o.Parent != "72Q" || o.ICB != "QKK" || o.Region != "Y56" ||
		o.Sector != models.SectorPrimaryCare || !o.Active || o.Name != "MANOR BROOK PMS" || o.Postcode != "SE3 0EN" ||
		o.Address != "MANOR BROOK MEDICAL CTR., 117 BROOK LANE, BLACKHEATH, LONDON" || o.SetByHand != nil {
		t.Errorf("G83001: %+v", o)
	}
	if o := e.getOrg("72Q"); o.Type != models.OrgSubICB || o.Parent != "QKK" || o.Name != "Sub-ICB location 72Q" ||
		o.Sector != models.SectorCommissioning || o.ICB != "QKK" || o.Region != "Y56" {
		t.Errorf("sub-ICB location 72Q: %+v", o)
	}
	if o := e.getOrg("QVV"); o.Type != models.OrgICB || o.Parent != "Y58" || o.Name != "Integrated Care Board QVV" {
		t.Errorf("ICB QVV: %+v", o)
	}
	if got := e.allOrganisations(e.admin(), "parent=72Q"); len(got) != 3 {
		t.Errorf("72Q holds %d practices, want 3", len(got))
	}
	// Welsh practices (W00, Q99) sit at the top, like the Welsh trusts; their commissioner
	// is a Welsh health board, not a sub-ICB location.
	if o := e.getOrg("W00005"); o.Parent != "" || o.Region != "" || o.ICB != "" || !o.Active {
		t.Errorf("Welsh W00005: %+v", o)
	}
	// Dormant is not at work; nor closed.
	if o := e.getOrg("A84032"); o.Active || o.CloseDate != nil || o.Parent != "00L" {
		t.Errorf("dormant A84032: %+v", o)
	}
	// Closed practices: under their sub-ICB location when an open row still names it;
	// under their ICB when only the trusts name it; at the top when their geography is
	// gone (Y54 and Q74, from before 2020).
	for code, parent := range map[string]string{"E83036": "93C", "A82034": "QE1", "A81003": "", "E81054": "", "W93038": ""} {
		if o := e.getOrg(code); o.Active || o.CloseDate == nil || o.Parent != parent {
			t.Errorf("closed %s: %+v, want it under %q", code, o, parent)
		}
	}
	// Nothing is made of the "no value" codes, of Wales, of old geography or of the
	// skipped rows.
	for _, code := range []string{"Q99", "Y99", "W00", "7A6", "Y54", "Q74", "00K", "A85621", "A91020", "Y07830"} {
		e.as(e.admin(), "GET", "/api/v1/organisations/"+code, nil).problem(404)
	}

	again := e.mustImport("?extract=epraccur", file)
	if again.ImportCounts != counts(0, 0, 19+7+5+3) || again.Skipped != 16 || again.KeptByHand != (models.HandKept{}) {
		t.Fatalf("re-import: %+v", again)
	}
}

// TestOrganisationImportKeepsWhatPeopleSet: a type, sector or size band set by hand
// survives re-imports of an extract, which reports where it differed, and a retyped
// organisation keeps its place; the person can hand a field back, and then the extract
// sets it again.
func TestOrganisationImportKeepsWhatPeopleSet(t *testing.T) {
	e := newEnv(t)
	file := readTestdata(t, "ods/epraccur-slice.csv")
	e.mustImport("", file)
	a := e.admin()
	var o models.Organisation
	e.as(a, "PATCH", "/api/v1/organisations/G83001", org{"type": "other", "sector": "private", "size_band": "small"}).expect(200).decode(&o)
	if len(o.SetByHand) != 2 || !o.ByHand(models.HandType) || !o.ByHand(models.HandSector) {
		t.Fatalf("after the patch: %+v", o)
	}
	e.as(a, "PATCH", "/api/v1/organisations/72Q", org{"name": "NHS South East London ICB - 72Q", "sector": "other_public"}).expect(200)
	// A practice that is in fact a trust's service: retyped, it moves to where a trust sits.
	e.as(a, "PATCH", "/api/v1/organisations/E83003", org{"type": "trust", "parent": "QMJ"}).expect(200)
	// Our CSV format is a person's too; a type it leaves as it was stays the extract's.
	if r := e.mustImport("", "code,name,type,sector\nG83002,THE WESTWOOD SURGERY,practice,voluntary\n"); r.Updated != 1 {
		t.Fatalf("CSV import: %+v", r)
	}
	if o := e.getOrg("G83002"); len(o.SetByHand) != 1 || o.SetByHand[0] != models.HandSector {
		t.Fatalf("G83002 after our CSV: %+v", o)
	}

	res := e.mustImport("", file)
	if res.KeptByHand != (models.HandKept{Type: 2, Sector: 3}) || res.Updated != 0 {
		t.Fatalf("re-import: %+v", res)
	}
	if o := e.getOrg("E83003"); o.Type != models.OrgTrust || o.Parent != "QMJ" {
		t.Errorf("E83003, retyped by hand, was moved back: %+v", o)
	}
	if o := e.getOrg("G83001"); o.Type != models.OrgOther || o.Sector != models.SectorPrivate || o.SizeBand != models.SizeSmall || o.Parent != "72Q" {
		t.Errorf("G83001 lost what was set by hand: %+v", o)
	}
	if o := e.getOrg("72Q"); o.Sector != models.SectorOtherPublic || o.Name != "NHS South East London ICB - 72Q" {
		t.Errorf("72Q lost its name or sector: %+v", o)
	}
	if o := e.getOrg("G83002"); o.Sector != models.SectorVoluntary {
		t.Errorf("G83002 lost its sector: %+v", o)
	}

	// Handed back, the extract's type and sector return; the size band, which no extract
	// carries, stays.
	var back models.Organisation
	e.as(a, "PATCH", "/api/v1/organisations/G83001", org{"set_by_hand": []string{}}).expect(200).decode(&back)
	if back.SetByHand != nil || back.Type != models.OrgOther {
		t.Fatalf("handed back: %+v", back)
	}
	if r := e.mustImport("", file); r.KeptByHand != (models.HandKept{Type: 1, Sector: 2}) || r.ByType[models.OrgPractice] != counts(0, 1, 18) {
		t.Fatalf("import after handing back: %+v", r)
	}
	if o := e.getOrg("G83001"); o.Type != models.OrgPractice || o.Sector != models.SectorPrimaryCare || o.SizeBand != models.SizeSmall {
		t.Errorf("G83001 after handing back: %+v", o)
	}
	e.as(a, "PATCH", "/api/v1/organisations/G83001", org{"set_by_hand": []string{"colour"}}).problem(400)

	// An hr token cannot take its own organisation's type from the extract.
	hr := e.mint(models.RoleHR, "G83004", "")
	if p := e.as(hr, "PATCH", "/api/v1/organisations/G83004", org{"set_by_hand": []string{"type"}}).problem(403); !p.hasFieldError("type") {
		t.Errorf("hr claiming its type: %+v", p)
	}
	e.as(hr, "PATCH", "/api/v1/organisations/G83004", org{"sector": "private"}).expect(200)
}

// TestOrganisationImportRetiresMissing: with retire=missing, a full extract closes
// (never deletes) the organisations of its kind that it no longer lists, and says
// which; without it, nothing is retired. Organisations a person typed are theirs.
func TestOrganisationImportRetiresMissing(t *testing.T) {
	e := newEnv(t)
	file := readTestdata(t, "ods/epraccur-slice.csv")
	e.mustImport("", file)
	e.mustCreateOrg(e.admin(), org{"code": "PX1", "name": "A practice an admin added", "type": "practice", "parent": "72Q"})
	shorter := withoutLines(file, "G83004", "W00005", "A81003")

	if r := e.mustImport("", shorter); r.Retired != 0 || r.RetiredCodes != nil {
		t.Fatalf("without retire: %+v", r)
	}
	if o := e.getOrg("G83004"); !o.Active {
		t.Fatalf("G83004 retired unasked: %+v", o)
	}
	res := e.mustImport("?retire=missing", shorter)
	if res.Retired != 2 || res.ByType[models.OrgPractice].Retired != 2 || strings.Join(res.RetiredCodes, " ") != "G83004 W00005" {
		t.Fatalf("retire: %+v", res) // A81003 closed in 2017 already; PX1 is a person's
	}
	today := models.TodayAt(clocktest.Now()).String()
	for _, code := range []string{"G83004", "W00005"} {
		if o := e.getOrg(code); o.Active || o.CloseDate.String() != today {
			t.Errorf("retired %s: %+v", code, o)
		}
	}
	if o := e.getOrg("A81003"); o.CloseDate.String() != "2017-10-31" {
		t.Errorf("A81003 closed again: %+v", o)
	}
	if o := e.getOrg("PX1"); !o.Active {
		t.Errorf("PX1 retired: %+v", o)
	}
	if r := e.mustImport("?retire=missing", shorter); r.Retired != 0 {
		t.Fatalf("retired twice: %+v", r)
	}
	// Listed again, they reopen.
	if r := e.mustImport("", file); r.ByType[models.OrgPractice].Updated != 2 {
		t.Fatalf("back in the extract: %+v", r)
	}
	if o := e.getOrg("G83004"); !o.Active || o.CloseDate != nil {
		t.Errorf("G83004 not reopened: %+v", o)
	}

	// Only a full extract may retire: not our CSV, not an extract that lists none of its kind.
	if p := e.importOrganisationsCSV("?retire=missing", "code,name,type\nPX2,B,other\n").problem(400); !p.hasFieldError("retire") {
		t.Errorf("retire with our CSV: %+v", p)
	}
	nonGP := strings.Join(strings.Split(file, "\n")[5:6], "") + "\n" // A83642, a recovery centre
	if p := e.importOrganisationsCSV("?retire=missing", nonGP).problem(400); !p.hasFieldError("retire") {
		t.Errorf("retire with no practice listed: %+v", p)
	}
	e.importOrganisationsCSV("?retire=all", file).problem(400)
	if o := e.getOrg("G83001"); !o.Active {
		t.Errorf("a refused retirement closed G83001: %+v", o)
	}
}

// TestOrganisationImportSubICBExtracts: the sub-ICB location extract names them and
// places them in their ICBs; the practices then go under them, and keep the names;
// the sites extract adds their sites as departments. A closed row finds a closed place
// the database knows; a closed site of a place gone is left out and counted.
func TestOrganisationImportSubICBExtracts(t *testing.T) {
	e := newEnv(t)
	res := e.mustImport("", readTestdata(t, "ods/eccg-synthetic.csv"))
	if res.Extract != models.ExtractSubICBs || res.ByType[models.OrgSubICB] != counts(8, 0, 0) ||
		res.ByType[models.OrgICB] != counts(5, 0, 0) || res.ByType[models.OrgRegion] != counts(3, 0, 0) {
		t.Fatalf("eccg: %+v", res)
	}
	if o := e.getOrg("72Q"); o.Name != "SYNTHETIC SOUTH EAST LONDON ICB - 72Q" || o.Parent != "QKK" || o.Region != "Y56" || !o.Active {
		t.Errorf("72Q: %+v", o)
	}
	if o := e.getOrg("00K"); o.Active || o.Parent != "" || o.CloseDate.String() != "2020-03-31" {
		t.Errorf("closed 00K, whose ICB is gone: %+v", o)
	}

	res = e.mustImport("", readTestdata(t, "ods/epraccur-slice.csv"))
	if res.ByType[models.OrgSubICB] != counts(0, 0, 7) || res.ByType[models.OrgPractice] != counts(19, 0, 0) {
		t.Fatalf("epraccur after eccg: %+v", res)
	}
	if o := e.getOrg("72Q"); o.Name != "SYNTHETIC SOUTH EAST LONDON ICB - 72Q" {
		t.Errorf("the practices renamed 72Q: %+v", o)
	}
	if o := e.getOrg("A81003"); o.Parent != "00K" || o.Active {
		t.Errorf("closed A81003 under the closed 00K: %+v", o)
	}

	res = e.mustImport("", readTestdata(t, "ods/eccgsite-synthetic.csv"))
	if res.Extract != models.ExtractSubICBSites || res.ByType[models.OrgDepartment] != counts(3, 0, 0) ||
		res.SkippedByReason[models.SkipUnplaced] != 1 || res.Skipped != 1 {
		t.Fatalf("eccgsite: %+v", res)
	}
	if o := e.getOrg("72QS1"); o.Type != models.OrgDepartment || o.Parent != "72Q" || o.ICB != "QKK" || o.Sector != "" {
		t.Errorf("site 72QS1: %+v", o)
	}
	if o := e.getOrg("00KS1"); o.Parent != "00K" || o.Active {
		t.Errorf("closed site 00KS1: %+v", o)
	}
	e.as(e.admin(), "GET", "/api/v1/organisations/05LS1", nil).problem(404)
	if r := e.mustImport("?extract=eccgsite&retire=missing", withoutLines(readTestdata(t, "ods/eccgsite-synthetic.csv"), "72QS2")); r.Retired != 1 ||
		strings.Join(r.RetiredCodes, " ") != "72QS2" {
		t.Fatalf("sites retired: %+v", r)
	}
}

// TestOrganisationImportExtractProblems: a bad status or prescribing setting rejects
// the whole file with a problem naming the line and the field; the "no value" codes
// and Wales in a trust extract create nothing.
func TestOrganisationImportExtractProblems(t *testing.T) {
	e := newEnv(t)
	lines := strings.Split(readTestdata(t, "ods/epraccur-slice.csv"), "\n")
	badSetting := strings.Replace(lines[0], `"","4",""`, `"","GP",""`, 1)         // A81001, a GP practice
	badStatus := strings.Replace(lines[2], `"20171031","C"`, `"20171031","X"`, 1) // A81003, closed
	file := badSetting + "\n" + lines[1] + "\n" + badStatus + "\n" + lines[3] + "\n"
	rows, p := importProblem(e, "", file)
	if strings.Join(rows, ",") != "1 A81001 prescribing_setting,3 A81003 status" || !p.hasFieldError("line 1") || !p.hasFieldError("line 3") {
		t.Fatalf("rows %v, problem %+v", rows, p)
	}
	if got := e.allOrganisations(e.admin(), ""); len(got) != 0 {
		t.Fatalf("a rejected extract created %d organisations", len(got))
	}
	rows, _ = importProblem(e, "?extract=epraccur", `"A81001","THE DENSHAM SURGERY","Y63","QHM"`+"\n")
	if strings.Join(rows, ",") != "1 A81001 " {
		t.Fatalf("short row: %v", rows)
	}
	e.importOrganisationsCSV("?extract=etr&format=csv", "code,name,type\n").problem(400)
	e.importOrganisationsCSV("?extract=ecsu", lines[0]+"\n").problem(400)

	// An older trust extract gave Welsh bodies W00 and Q99 (rows in etr's layout, made
	// for this test): no region, no ICB, at the top.
	welsh := `"RQF","VELINDRE NHS TRUST","W00","Q99","UNIT 2","CHARNWOOD COURT","HEOL BILLINGSLEY","NANTGARW","","CF15 7QZ","19940401","","","","","","","","","","","1","","W","","",""` + "\n" +
		`"RT4","WELSH AMBULANCE SERVICES NHS TRUST","Y99","Q99","VANTAGE POINT HOUSE","","","CWMBRAN","","NP44 3FA","19980401","","","","","","","","","","","1","","W","","",""` + "\n"
	if r := e.mustImport("", welsh); r.Extract != models.ExtractTrusts || r.ImportCounts != counts(2, 0, 0) || len(r.ByType) != 1 {
		t.Fatalf("Welsh trusts: %+v", r)
	}
	if o := e.getOrg("RQF"); o.Parent != "" || o.Region != "" || o.ICB != "" {
		t.Errorf("RQF: %+v", o)
	}
}
