package exchange

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/fuzzcheck"
)

func TestUUIDv5MatchesRFC9562(t *testing.T) {
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	// The example of Python's uuid documentation: uuid5(NAMESPACE_DNS, "python.org").
	if got := formatUUID(uuidV5(dns, "python.org")); got != "886313e1-3b8a-5372-9b90-0c9aee199e5d" {
		t.Fatalf("uuid5 = %s", got)
	}
}

var uuidV5Pattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestCASEPackageShape(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Validate()
	f.Version = 2
	at := time.Date(2026, 1, 31, 9, 30, 0, 0, time.FixedZone("x", 3600))
	p := CASEPackage(f, at)

	d := p.CFDocument
	if d.Identifier != CASEIdentifier("framework", "sample") || d.URI != "urn:uuid:"+d.Identifier || d.Title != f.Name ||
		d.Version != "2" || d.CaseVersion != "1.1" || d.LastChangeDateTime != "2026-01-31T08:30:00Z" || d.Creator != "Tests" {
		t.Fatalf("document %+v", d)
	}
	if CASEFrameworkCode(p) != "sample" || d.LicenseURI == nil || p.CFDefinitions.CFLicenses[0].Title != "CC BY 4.0" {
		t.Fatalf("code %q licence %+v", CASEFrameworkCode(p), d.LicenseURI)
	}
	ids := map[string]bool{d.Identifier: true}
	for _, it := range p.CFItems {
		if !uuidV5Pattern.MatchString(it.Identifier) || ids[it.Identifier] {
			t.Fatalf("item identifier %q is not a fresh version 5 UUID", it.Identifier)
		}
		ids[it.Identifier] = true
		if it.CFDocumentURI == nil || it.CFDocumentURI.Identifier != d.Identifier {
			t.Fatalf("item %s does not point at the document", it.HumanCodingScheme)
		}
	}
	if len(p.CFItems) != 5 || p.CFItems[0].CFItemType != CASETypeSkillArea || p.CFItems[2].CFItemType != CASETypeSkill {
		t.Fatalf("items %+v", p.CFItems)
	}
	parents := map[string]string{}
	replaced := 0
	for _, a := range p.CFAssociations {
		switch a.AssociationType {
		case "isChildOf":
			if _, dup := parents[a.OriginNodeURI.Identifier]; dup {
				t.Fatalf("item %s has two parents", a.OriginNodeURI.Title)
			}
			parents[a.OriginNodeURI.Identifier] = a.DestinationNodeURI.Identifier
		case "replacedBy":
			replaced++
			if a.OriginNodeURI.Identifier != CASEIdentifier("skill", "sample", "a") || a.DestinationNodeURI.Identifier != CASEIdentifier("skill", "sample", "b") {
				t.Fatalf("replacedBy %+v", a)
			}
		}
	}
	if len(parents) != len(p.CFItems) || replaced != 1 {
		t.Fatalf("%d isChildOf for %d items, %d replacedBy", len(parents), len(p.CFItems), replaced)
	}
	if parents[CASEIdentifier("skill", "sample", "c")] != d.Identifier || parents[CASEIdentifier("skill", "sample", "b")] != CASEIdentifier("area", "sample", "leaf") {
		t.Fatal("tree is wrong")
	}
	crit := p.CFRubrics[0].CFRubricCriteria
	if len(crit) != 2 || crit[0].CFItemURI != nil || len(crit[0].CFRubricCriterionLevels) != 5 || crit[1].CFItemURI.Title != "Skill B" ||
		len(crit[1].CFRubricCriterionLevels) != 2 || crit[1].CFRubricCriterionLevels[1].Score != 4 {
		t.Fatalf("rubric criteria %+v", crit)
	}
	again := CASEPackage(f, at)
	if !reflect.DeepEqual(p, again) {
		t.Fatal("two exports of one version differ")
	}
}

// jsonRoundTrip sends a package through its JSON form, as an import receives it.
func jsonRoundTrip(t *testing.T, p CFPackage) CFPackage {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeCASEPackage(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCASERoundTrip(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Validate()
	f.Scale[2].Descriptor = ""
	p := jsonRoundTrip(t, CASEPackage(f, clocktest.Now()))
	got, err := ParseCASEPackage(p, models.Framework{Code: "sample", Scale: models.DefaultScale()}, "")
	if err != nil {
		t.Fatalf("parsing the export: %v", err)
	}
	if !models.SameContent(got, f) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, f)
	}
}

// foreignPackage is a package another tool might write: no item types, no extensions,
// short statements, a scale without codes, one item without a coding scheme.
func foreignPackage() CFPackage {
	link := func(id string) LinkURI { return LinkURI{Identifier: id, URI: "https://example.org/" + id} }
	child := func(id, of string) CFAssociation {
		return CFAssociation{Identifier: "as-" + id, AssociationType: "isChildOf", OriginNodeURI: link(id), DestinationNodeURI: link(of)}
	}
	return CFPackage{
		CFDocument: CFDocument{Identifier: "doc", Title: "Foreign", Creator: "Elsewhere", LicenseURI: &LinkURI{Title: "OGL v3.0"}},
		CFItems: []CFItem{
			{Identifier: "d1", FullStatement: "Defend", HumanCodingScheme: "DEF"},
			{Identifier: "s1", FullStatement: "Monitors networks for attacks and responds.", AbbreviatedStatement: "Network monitoring", HumanCodingScheme: "DEF.1"},
			{Identifier: "s2", FullStatement: "Unnamed code"},
		},
		CFAssociations: []CFAssociation{child("d1", "doc"), child("s1", "d1"), child("s2", "doc"),
			{Identifier: "r1", AssociationType: "isRelatedTo", OriginNodeURI: link("s1"), DestinationNodeURI: link("elsewhere")}},
		CFRubrics: []CFRubric{{CFRubricCriteria: []CFRubricCriterion{
			{CFRubricCriterionLevels: []CFRubricCriterionLevel{{Quality: "Basic", Score: 1}, {Quality: "Proficient!", Score: 2}, {Quality: "Advanced", Score: 3}}},
			{CFItemURI: &LinkURI{Identifier: "s1"}, CFRubricCriterionLevels: []CFRubricCriterionLevel{{Score: 3, Description: "Leads monitoring"}}},
		}}},
	}
}

func TestCASEForeignPackage(t *testing.T) {
	got, err := ParseCASEPackage(foreignPackage(), models.Framework{Code: "foreign", Scale: models.DefaultScale()}, models.TierAdvanced)
	if err != nil {
		t.Fatalf("foreign package: %v", err)
	}
	want := models.Framework{Code: "foreign", Name: "Foreign", Publisher: "Elsewhere", Licence: "OGL v3.0", Tiers: models.SurveyTiers(),
		Scale: []models.ProficiencyLevel{{Level: 1, Code: "basic", Name: "Basic"}, {Level: 2, Code: "proficient", Name: "Proficient!"},
			{Level: 3, Code: "advanced", Name: "Advanced"}},
		Areas: []models.SkillArea{{Code: "DEF", Name: "Defend"}},
		Skills: []models.Skill{
			{Code: "DEF.1", Name: "Network monitoring", Description: "Monitors networks for attacks and responds.", Area: "DEF",
				Tier: models.TierAdvanced, Status: models.SkillActive, Levels: map[string]string{"3": "Leads monitoring"}},
			{Code: "s2", Name: "Unnamed code", Tier: models.TierAdvanced, Status: models.SkillActive},
		},
		// The association to a node outside the package is kept, not dropped.
		Associations: []models.Association{{Type: "isRelatedTo", From: models.AssociationEnd{Code: "DEF.1"},
			To: models.AssociationEnd{Identifier: "elsewhere", URI: "https://example.org/elsewhere"}}},
	}
	if !models.SameContent(stripSources(got), want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	// What the framework's fields do not carry is kept with each object, as written.
	if got.Case.Document.Str("identifier") != "doc" || got.Areas[0].Case.Item.Str("identifier") != "d1" ||
		got.Skills[0].Case.Item.Str("abbreviatedStatement") != "Network monitoring" ||
		got.Skills[0].Case.ChildOf["DEF"].Str("identifier") != "as-s1" || got.Associations[0].Case.Str("identifier") != "r1" {
		t.Fatalf("sources %+v %+v %+v %+v", got.Case, got.Areas[0].Case, got.Skills[0].Case, got.Associations[0].Case)
	}
}

func TestCASEReportsEveryBadItem(t *testing.T) {
	p := foreignPackage()
	tiered := json.RawMessage(`{"cyberskills":{"tier":"basic"}}`)
	p.CFItems = append(p.CFItems,
		CFItem{Identifier: "s1", FullStatement: "Repeated identifier"},        // 3
		CFItem{Identifier: "s4", HumanCodingScheme: "S4", Extensions: tiered}, // 4: no statement
		CFItem{Identifier: "a5", FullStatement: "Area five", CFItemType: "Skill Area"},
		CFItem{Identifier: "a6", FullStatement: "Area six", CFItemType: "Skill Area"},
	)
	link := func(id string) LinkURI { return LinkURI{Identifier: id} }
	p.CFAssociations = append(p.CFAssociations,
		CFAssociation{AssociationType: "isChildOf", OriginNodeURI: link("a5"), DestinationNodeURI: link("a6")}, // 4: a cycle
		CFAssociation{AssociationType: "isChildOf", OriginNodeURI: link("a6"), DestinationNodeURI: link("a5")}, // 5
		CFAssociation{AssociationType: "isChildOf", OriginNodeURI: link("s1"), DestinationNodeURI: link("d1")}, // 6: twice
		CFAssociation{OriginNodeURI: link("s1"), DestinationNodeURI: link("s2")},                               // 7: no type
		CFAssociation{AssociationType: "exemplar", DestinationNodeURI: link("s2")},                             // 8: no origin
	)
	p.CFRubrics[0].CFRubricCriteria[1].CFRubricCriterionLevels[0].Score = 2.5
	_, err := ParseCASEPackage(p, models.Framework{Code: "foreign", Scale: models.DefaultScale()}, "")
	got := fuzzcheck.FieldsOf(t, err)
	want := []string{
		"CFItems[3].identifier",
		"CFAssociations[6]",
		"CFAssociations[7].associationType",
		"CFAssociations[8].originNodeURI",
		"CFItems[1].extensions.cyberskills.tier",
		"CFItems[2].extensions.cyberskills.tier",
		"CFRubrics[0].CFRubricCriteria[1].CFRubricCriterionLevels[0].score",
		"CFItems[5].isChildOf",
		"CFItems[6].isChildOf",
		"CFItems[4].fullStatement",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors on\n%v\nwant\n%v", got, want)
	}
}
