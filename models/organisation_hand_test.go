package models

import (
	"slices"
	"testing"
)

func TestTrackHand(t *testing.T) {
	t.Parallel()
	extract := Organisation{Code: "G1", Type: OrgPractice, Sector: SectorPrimaryCare}
	mine := extract
	mine.SetByHand = []HandField{HandType, HandSector}
	for _, c := range []struct {
		name   string
		before *Organisation
		after  Organisation
		want   []HandField
	}{
		{"created: the type is the person's, a sector given too", nil, Organisation{Type: OrgTrust, Sector: SectorAcute}, []HandField{HandType, HandSector}},
		{"created without a sector", nil, Organisation{Type: OrgDepartment}, []HandField{HandType}},
		{"written back as it was", &extract, extract, nil},
		{"retyped", &extract, Organisation{Type: OrgOther, Sector: SectorPrimaryCare}, []HandField{HandType}},
		{"another sector", &extract, Organisation{Type: OrgPractice, Sector: SectorPrivate}, []HandField{HandSector}},
		{"sector cleared: back to the extract", &mine, Organisation{Type: OrgPractice, SetByHand: mine.SetByHand}, []HandField{HandType}},
		{"unchanged keeps its author", &mine, mine, []HandField{HandType, HandSector}},
	} {
		after := c.after
		TrackHand(c.before, &after)
		if !slices.Equal(after.SetByHand, c.want) {
			t.Errorf("%s: %v, want %v", c.name, after.SetByHand, c.want)
		}
	}
}

func TestPatchSetByHand(t *testing.T) {
	t.Parallel()
	stored := Organisation{Code: "G1", Name: "G", Type: OrgPractice, Sector: SectorPrimaryCare, Active: true,
		SetByHand: []HandField{HandType, HandSector}}
	var p OrganisationPatch
	if err := p.SetByHand.UnmarshalJSON([]byte(`["sector","sector"]`)); err != nil {
		t.Fatal(err)
	}
	o, err := p.Apply(stored, testToday)
	if err != nil || !slices.Equal(o.SetByHand, []HandField{HandSector}) {
		t.Fatalf("%v, %v", o.SetByHand, err)
	}
	p = OrganisationPatch{}
	p.SetByHand.UnmarshalJSON([]byte(`null`))
	p.Type.UnmarshalJSON([]byte(`"other"`))
	if o, err := p.Apply(stored, testToday); err != nil || o.SetByHand != nil || o.Type != OrgOther {
		t.Fatalf("null wins over the retyping: %+v, %v", o, err)
	}
	p = OrganisationPatch{}
	p.SetByHand.UnmarshalJSON([]byte(`["name"]`))
	if _, err := p.Apply(stored, testToday); ErrorCode(err) != EINVALID {
		t.Fatalf("set_by_hand name: %v", err)
	}
}

func TestCheckRetire(t *testing.T) {
	t.Parallel()
	practice := ImportRow{Org: Organisation{Code: "G1", Type: OrgPractice}}
	icb := ImportRow{Org: Organisation{Code: "QKK", Type: OrgICB}}
	for _, c := range []struct {
		imp OrganisationImport
		ok  bool
	}{
		{OrganisationImport{Format: FormatODS, Extract: ExtractPractices, Rows: []ImportRow{icb, practice}}, true},
		{OrganisationImport{Format: FormatODS, Extract: ExtractPractices, Rows: []ImportRow{icb}}, false},
		{OrganisationImport{Format: FormatODS, Extract: ExtractTrusts, Rows: []ImportRow{practice}}, false},
		{OrganisationImport{Format: FormatCSV, Rows: []ImportRow{practice}}, false},
	} {
		if err := c.imp.CheckRetire(); (err == nil) != c.ok {
			t.Errorf("%s %s %v: %v", c.imp.Format, c.imp.Extract, c.imp.Rows, err)
		}
	}
}

// TestImportResultCountsRetiredAndUnplaced: the organisations retired count by type; a
// closed row that could not be placed is skipped, not unchanged.
func TestImportResultCountsRetiredAndUnplaced(t *testing.T) {
	t.Parallel()
	imp := OrganisationImport{Format: FormatODS, Extract: ExtractSubICBSites, Skipped: map[string]int{}, Rows: []ImportRow{
		{Org: Organisation{Code: "S1", Type: OrgDepartment}}, {Org: Organisation{Code: "S2", Type: OrgDepartment}},
		{Org: Organisation{Code: "72Q", Type: OrgSubICB}}}}
	res := imp.Result(ImportEffects{Inserted: map[OrgType]int{OrgDepartment: 1}, Retired: map[OrgType]int{OrgDepartment: 3},
		Unplaced: []string{"S2"}, RetiredCodes: []string{"S7", "S8", "S9"}})
	if res.ByType[OrgDepartment] != (ImportCounts{Inserted: 1, Retired: 3}) || res.ByType[OrgSubICB] != (ImportCounts{Unchanged: 1}) ||
		res.ImportCounts != (ImportCounts{Inserted: 1, Unchanged: 1, Retired: 3}) || res.Skipped != 1 || res.SkippedByReason[SkipUnplaced] != 1 ||
		len(imp.Skipped) != 0 || len(res.RetiredCodes) != 3 {
		t.Fatalf("%+v", res)
	}
}
