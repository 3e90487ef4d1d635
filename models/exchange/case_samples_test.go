package exchange

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/fuzzcheck"
)

// caseSamples are the packages of testdata/case: OpenSALT's test packages and packages of
// the shapes OpenSALT wrote in 2017 (see its README).
func caseSamples(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("../../testdata/case/*.json")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../testdata/case/opensalt/*.json")
	out := map[string][]byte{}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	if len(out) != 9 {
		t.Fatalf("%d sample packages, want 9", len(out))
	}
	return out
}

// importSample decodes and imports a package as a new framework "sample".
func importSample(t *testing.T, b []byte) models.Framework {
	t.Helper()
	p, err := DecodeCASEPackage(b)
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	f, err := ParseCASEPackage(p, models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
	if err != nil {
		t.Fatalf("importing: %v", err)
	}
	return f
}

// exportAgain exports a framework as the API does and decodes the JSON.
func exportAgain(t *testing.T, f models.Framework) (CFPackage, []byte) {
	t.Helper()
	b, err := json.Marshal(CASEPackage(f, clocktest.Now()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodeCASEPackage(b)
	if err != nil {
		t.Fatalf("the export does not decode: %v", err)
	}
	return p, b
}

// TestCASESamplesRoundTrip: every sample imports; its export imports back to the same
// document; and the export says everything the package said, field by field, object by
// object (matched by identifier), in CASE 1.1's shapes.
func TestCASESamplesRoundTrip(t *testing.T) {
	for name, b := range caseSamples(t) {
		t.Run(name, func(t *testing.T) {
			f := importSample(t, b)
			exported, _ := exportAgain(t, f)
			back, err := ParseCASEPackage(exported, models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
			if err != nil {
				t.Fatalf("re-importing the export: %v", err)
			}
			if !models.SameContent(back, f) {
				a, _ := json.Marshal(f)
				b, _ := json.Marshal(back)
				t.Fatalf("export then import differs:\n%s\n%s", a, b)
			}
			original, err := DecodeCASEPackage(b)
			if err != nil {
				t.Fatal(err)
			}
			requireSubset(t, "CFDocument", record(original.CFDocument), record(exported.CFDocument), "extensions")
			requireObjects(t, "CFItems", records(original.CFItems), records(exported.CFItems))
			requireObjects(t, "CFAssociations", records(original.CFAssociations), records(exported.CFAssociations))
			if original.CFDefinitions != nil {
				requireObjects(t, "CFItemTypes", records(original.CFDefinitions.CFItemTypes), records(exported.CFDefinitions.CFItemTypes))
			}
		})
	}
}

func records[T any](list []T) []models.CaseRecord {
	out := make([]models.CaseRecord, len(list))
	for i, x := range list {
		out[i] = record(x)
	}
	return out
}

// requireObjects checks that every object of want has an object of got with its
// identifier, saying everything it says.
func requireObjects(t *testing.T, what string, want, got []models.CaseRecord) {
	t.Helper()
	byID := map[string]models.CaseRecord{}
	for _, r := range got {
		byID[r.Str("identifier")] = r
	}
	for _, w := range want {
		g, ok := byID[w.Str("identifier")]
		if !ok {
			t.Fatalf("%s: %s is missing from the export", what, w.Str("identifier"))
		}
		requireSubset(t, what+"/"+w.Str("identifier"), w, g, "CFDocumentURI")
	}
}

// requireSubset checks that got has every field of want with the same value.
func requireSubset(t *testing.T, what string, want, got models.CaseRecord, ignore ...string) {
	t.Helper()
	for k, v := range want.Without(ignore...) {
		if !reflect.DeepEqual(v, got[k]) {
			t.Fatalf("%s.%s: exported %#v, the package said %#v", what, k, got[k], v)
		}
	}
}

// TestCASE2017Export: the shapes of OpenSALT's 2017 exports import, and what the issue
// found lost on re-export is there.
func TestCASE2017Export(t *testing.T) {
	f := importSample(t, caseSamples(t)["opensalt-2017-shape.json"])
	if len(f.Areas) != 4 || len(f.Skills) != 12 || len(f.Associations) != 23 || f.Tiers != nil {
		t.Fatalf("%d areas, %d skills, %d associations, tiers %v", len(f.Areas), len(f.Skills), len(f.Associations), f.Tiers)
	}
	kinds := map[string]int{}
	for _, a := range f.Associations {
		kinds[a.Type]++
	}
	if !reflect.DeepEqual(kinds, map[string]int{"exactMatchOf": 16, "precedes": 3, "exemplar": 2, "isRelatedTo": 2}) {
		t.Fatalf("associations %v", kinds)
	}
	p, raw := exportAgain(t, f)
	if p.CFDocument.AdoptionStatus != "Draft" || p.CFDocument.Identifier != "7e4c0926-583d-51a0-a8b5-f3a35e58427b" {
		t.Fatalf("document %+v", p.CFDocument)
	}
	types := map[string]int{}
	for _, it := range p.CFItems {
		types[it.CFItemType]++
		if it.Extra["educationLevel"] == nil || it.Language != "en" || it.Extra["CFItemAssociationURI"] == nil {
			t.Fatalf("item %+v", it)
		}
	}
	if !reflect.DeepEqual(types, map[string]int{"Cluster": 2, "Standard": 6, "Component": 8}) {
		t.Fatalf("item types %v", types)
	}
	var sequences []int
	for _, a := range p.CFAssociations {
		if a.SequenceNumber != 0 {
			sequences = append(sequences, a.SequenceNumber)
		}
	}
	if !reflect.DeepEqual(sequences, []int{1, 2}) {
		t.Fatalf("sequence numbers %v", sequences)
	}
	// CASE 1.1 shapes: links are objects, numbers numbers, education levels lists.
	var generic struct {
		CFItems []struct {
			HumanCodingScheme string         `json:"humanCodingScheme"`
			EducationLevel    []string       `json:"educationLevel"`
			ListEnumeration   string         `json:"listEnumeration"`
			CFDocumentURI     map[string]any `json:"CFDocumentURI"`
		}
	}
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, it := range generic.CFItems {
		if it.HumanCodingScheme == "CYB.L1.NET.1" && (!reflect.DeepEqual(it.EducationLevel, []string{"09"}) ||
			it.ListEnumeration != "1." || it.CFDocumentURI["identifier"] != p.CFDocument.Identifier) {
			t.Fatalf("shapes %+v", it)
		}
	}
}

// TestCASEOurOwnPackagesKeepNothing: a package this service exported imports back with
// nothing kept beside the framework's own fields, so exports stay derived.
func TestCASEOurOwnPackagesKeepNothing(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Validate()
	f.Skills[2].OtherAreas = []string{"top"}
	f.Skills[1].StatementType = models.StatementKnowledge
	f.Associations = []models.Association{{Type: "precedes", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Code: "c"}}}
	p, _ := exportAgain(t, f)
	got, err := ParseCASEPackage(p, models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !models.SameContent(got, f) || got.Case != nil || got.Skills[2].Case != nil || got.Associations[0].Case != nil {
		a, _ := json.Marshal(got)
		t.Fatalf("imported %s", a)
	}
}

// TestCASEEditedItemsExportTheirEdits: a kept record gives way to what the framework
// says now, and the rest of it stays.
func TestCASEEditedItemsExportTheirEdits(t *testing.T) {
	f := importSample(t, caseSamples(t)["opensalt-ordering-shape.json"])
	area, skill := f.Areas[0], f.Skills[0]
	if area.Name != "Response" || area.Case.Item.Str("abbreviatedStatement") != "Response" || skill.Code != "H.OPS.RSP.2" {
		t.Fatalf("sample changed: %+v %+v", area, skill)
	}
	f.Areas[0].Name = "Responding to incidents"
	f.Skills[0].Code = "restore"
	p, _ := exportAgain(t, f)
	items := map[string]CFItem{}
	for _, x := range p.CFItems {
		items[x.Identifier] = x
	}
	a, s := items[area.Case.Item.Str("identifier")], items[skill.Case.Item.Str("identifier")]
	if a.FullStatement != "Responding to incidents" || a.AbbreviatedStatement != "" || a.Notes != area.Description ||
		a.HumanCodingScheme != "H.OPS.RSP" || a.URI != area.Case.Item.Str("uri") {
		t.Fatalf("renamed area exported as %+v", a)
	}
	if s.HumanCodingScheme != "restore" || s.FullStatement != skill.Name || s.Notes != skill.Description {
		t.Fatalf("recoded skill exported as %+v", s)
	}
	back, err := ParseCASEPackage(p, models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
	if err != nil || back.Areas[0].Name != "Responding to incidents" || back.Skills[0].Code != "restore" {
		t.Fatalf("re-import %v %+v %+v", err, back.Areas[0], back.Skills[0])
	}
}

// TestDecodeCASEReportsWrongShapes: values no CASE writer uses are named by path.
func TestDecodeCASEReportsWrongShapes(t *testing.T) {
	body := `{"CFDocument":{"identifier":"d","title":["x"]},
		"CFItems":[{"identifier":"a","fullStatement":"A"},{"identifier":"b","CFItemTypeURI":7,"educationLevel":[1,{}]}],
		"CFAssociations":[{"associationType":"isChildOf","sequenceNumber":"first","originNodeURI":"x","destinationNodeURI":true}],
		"CFRubrics":[{"CFRubricCriteria":[{"CFRubricCriterionLevels":[{"score":"two"}]}]}]}`
	_, err := DecodeCASEPackage([]byte(body))
	got := fuzzcheck.FieldsOf(t, err)
	want := []string{"CFDocument.title", "CFItems[1].CFItemTypeURI", "CFItems[1].educationLevel[1]",
		"CFAssociations[0].destinationNodeURI", "CFAssociations[0].sequenceNumber",
		"CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0].score"}
	if !reflect.DeepEqual(sortedCopy(got), sortedCopy(want)) {
		t.Fatalf("errors on %v, want %v", got, want)
	}
	for _, bad := range []string{`[]`, `{"CFItems":[]}`, `{"CFDocument":{}} {}`, `{"CFDocument":{},"CFItems":{}}`} {
		if _, err := DecodeCASEPackage([]byte(bad)); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
