package exchange

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
)

// practiceRow is a row of the GP practice extract's layout, with the columns the import
// reads.
func practiceRow(code, region, icb, status, sub, setting, closed string) string {
	r := make([]string, 27)
	r[odsCode], r[odsName], r[odsRegion], r[odsICB], r[odsPostcode], r[odsOpen] = code, "PRACTICE "+code, region, icb, "LS1 1AA", "19740401"
	r[odsClose], r[odsStatus], r[odsSubType], r[odsParent], r[odsPrescribingSetting] = closed, status, "B", sub, setting
	return `"` + strings.Join(r, `","`) + `"` + "\n"
}

func TestDetectExtract(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file string
		want models.ODSExtract
	}{
		{"ods/etr.csv", models.ExtractTrusts},
		{"ods/epraccur-slice.csv", models.ExtractPractices},
		{"ods/eccg-synthetic.csv", models.ExtractSubICBs},
		{"ods/eccgsite-synthetic.csv", models.ExtractSubICBSites},
	} {
		raw, err := os.ReadFile("../../testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		imp := parse(t, "", string(raw))
		if imp.Format != models.FormatODS || imp.Extract != c.want || len(imp.Errors) != 0 {
			t.Errorf("%s: read as %s %q, errors %v", c.file, imp.Format, imp.Extract, imp.Errors)
		}
	}
}

// TestParsePracticeExtract: GP practices only, under their sub-ICB locations, with the
// status deciding who is at work; closed rows place nothing and name their old places
// as choices; other prescribing settings are counted and their codes kept.
func TestParsePracticeExtract(t *testing.T) {
	t.Parallel()
	imp := parse(t, models.FormatODS, practiceRow("B1", "Y63", "QWO", "A", "36J", "4", "")+
		practiceRow("B2", "Y63", "QWO", "P", "36J", "4", "")+ // proposed: not at work yet
		practiceRow("B3", "Y63", "QWO", "D", "36J", "4", "")+ // dormant
		practiceRow("B4", "Y54", "Q72", "C", "02W", "4", "20150331")+
		practiceRow("B5", "W00", "Q99", "A", "7A1", "4", "")+ // Welsh: commissioned by a Welsh health board
		practiceRow("B6", "Y99", "Q99", "A", "13Q", "0", "")+ // an "other" prescribing setting
		practiceRow("B7", "Y63", "QWO", "A", "36J", "9", ""))
	if imp.Extract != models.ExtractPractices || len(imp.Errors) != 0 {
		t.Fatalf("extract %q, errors %v", imp.Extract, imp.Errors)
	}
	var got []string
	for _, r := range imp.Rows {
		got = append(got, fmt.Sprintf("%s:%s@%d<%s%v active=%v", r.Org.Code, r.Org.Type, r.Level, r.Org.Parent, r.ParentChoices, r.Org.Active))
	}
	want := []string{"Y63:region@0<[] active=true", "B4:practice@0<[02W Q72] active=false", "B5:practice@0<[] active=true",
		"QWO:icb@1<Y63[] active=true", "36J:sub_icb@2<QWO[] active=true", "B1:practice@3<36J[] active=true",
		"B2:practice@3<36J[] active=false", "B3:practice@3<36J[] active=false"}
	if !slices.Equal(got, want) {
		t.Fatalf("rows\n got %v\nwant %v", got, want)
	}
	rows := rowsByCode(imp)
	if r := rows["B4"]; r.Fields&models.SetParent != 0 || r.Org.CloseDate.String() != "2015-03-31" {
		t.Errorf("closed B4 moves what exists: %+v", r)
	}
	if r := rows["B1"]; r.Org.Sector != models.SectorPrimaryCare || r.Fields != odsExtracts[models.ExtractPractices].fields {
		t.Errorf("B1: %+v", r)
	}
	if len(imp.Skipped) != 2 || imp.Skipped["prescribing_setting_0"] != 1 || imp.Skipped["prescribing_setting_9"] != 1 ||
		!slices.Equal(imp.SkippedCodes, []string{"B6", "B7"}) {
		t.Errorf("skipped %v %v", imp.Skipped, imp.SkippedCodes)
	}
	if listed := imp.Listed(); !slices.Contains(listed, "B7") || !slices.Contains(listed, "B4") {
		t.Errorf("listed %v", listed)
	}
}

// TestSubICBLocationGoesWhereMostPracticesAre: a sub-ICB location's ICB is the one most
// of its open practices name; closed practices do not vote.
func TestSubICBLocationGoesWhereMostPracticesAre(t *testing.T) {
	t.Parallel()
	imp := parse(t, models.FormatODS, practiceRow("C1", "Y60", "QHL", "A", "D2P2L", "4", "")+
		practiceRow("C2", "Y60", "QUA", "A", "D2P2L", "4", "")+
		practiceRow("C3", "Y60", "QUA", "A", "D2P2L", "4", "")+
		practiceRow("C4", "Y60", "QHL", "C", "D2P2L", "4", "20200101")+
		practiceRow("C5", "Y60", "QHL", "C", "D2P2L", "4", "20200101"))
	rows := rowsByCode(imp)
	if r := rows["D2P2L"]; r.Org.Parent != "QUA" || r.Line != 1 {
		t.Fatalf("D2P2L: %+v", r)
	}
	if rows["C1"].Org.Parent != "D2P2L" || len(imp.Errors) != 0 {
		t.Fatalf("C1 %+v, errors %v", rows["C1"], imp.Errors)
	}
	// Among equals, the ICB named first.
	imp = parse(t, models.FormatODS, practiceRow("C1", "Y60", "QHL", "A", "D2P2L", "4", "")+
		practiceRow("C2", "Y60", "QUA", "A", "D2P2L", "4", ""))
	if r := rowsByCode(imp)["D2P2L"]; r.Org.Parent != "QHL" {
		t.Fatalf("D2P2L among equals: %+v", r)
	}
}

func TestParsePracticeExtractErrors(t *testing.T) {
	t.Parallel()
	imp := parse(t, models.FormatODS, practiceRow("E1", "Y63", "QWO", "A", "36J", "4", "")+
		practiceRow("E2", "Y63", "QWO", "Z", "36J", "4", "")+
		practiceRow("E3", "Y63", "QWO", "A", "36J", "", "")+
		practiceRow("E4", "Y63", "QWO", "A", "3 6J", "4", "")+
		practiceRow("E5", "Y62", "QWO", "A", "36J", "4", "")+ // QWO is in Y63 on line 1
		practiceRow("E6", "Y54", "QWO", "C", "36J", "4", "20150101")+ // closed: old geography is history
		`"E7","SHORT","Y63","QWO","","","","","","","","","A"`+"\n")
	got := errorList(imp.Errors)
	want := []string{"2 E2 status", "3 E3 prescribing_setting", "4 E4 sub_icb", "5 E5 icb", "7 E7 "}
	if !slices.Equal(got, want) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
}

// TestParseSubICBExtracts: the sub-ICB location extract's rows sit under their ICBs; a
// site needs its sub-ICB location, which an open site names into being.
func TestParseSubICBExtracts(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../testdata/ods/eccg-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	imp := parse(t, "", string(raw))
	rows := rowsByCode(imp)
	if r := rows["72Q"]; r.Org.Type != models.OrgSubICB || r.Org.Parent != "QKK" || r.Org.Sector != models.SectorCommissioning {
		t.Errorf("72Q: %+v", r)
	}
	if r := rows["00K"]; r.ParentChoices == nil || !slices.Equal(r.ParentChoices, []string{"Q74"}) || r.Org.Active {
		t.Errorf("closed 00K: %+v", r)
	}
	if _, ok := rows["Y54"]; ok {
		t.Errorf("a closed row named region Y54 into being")
	}
	site := func(code, parent, closed string) string {
		r := make([]string, 27)
		r[odsCode], r[odsName], r[odsRegion], r[odsICB], r[odsClose], r[odsParent] = code, "SITE "+code, "Y56", "QKK", closed, parent
		return `"` + strings.Join(r, `","`) + `"` + "\n"
	}
	imp = parse(t, models.FormatODS, site("S1", "72Q", "")+site("S2", "", "")+site("S3", "", "20200101"))
	if got := errorList(imp.Errors); !slices.Equal(got, []string{"2 S2 parent"}) || imp.Extract != models.ExtractSubICBSites {
		t.Fatalf("errors %v, extract %q", got, imp.Extract)
	}
	rows = rowsByCode(imp)
	if r := rows["S1"]; r.Org.Type != models.OrgDepartment || r.Org.Parent != "72Q" || r.Org.Sector != "" {
		t.Errorf("S1: %+v", r)
	}
	if r := rows["72Q"]; r.Org.Type != models.OrgSubICB || r.Org.Parent != "QKK" || r.Org.Name != "Sub-ICB location 72Q" {
		t.Errorf("72Q named by its site: %+v", r)
	}
	if r := rows["S3"]; r.ParentChoices == nil || len(r.ParentChoices) != 0 {
		t.Errorf("closed S3 without a parent: %+v", r)
	}
}
