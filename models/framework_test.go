package models_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

func TestFrameworkValidateAcceptsSampleAndNormalises(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Skills[1].Name = "  Skill B  "
	f.Skills[1].Status = ""
	if err := f.Validate(); err != nil {
		t.Fatalf("valid document rejected: %v", err)
	}
	if f.Skills[1].Name != "Skill B" || f.Skills[1].Status != models.SkillActive {
		t.Fatalf("not normalised: %+v", f.Skills[1])
	}
	g := fuzzcheck.SampleFramework()
	g.Skills[0].Status = "" // superseded without a status: deprecated
	if err := g.Validate(); err != nil || g.Skills[0].Status != models.SkillDeprecated {
		t.Fatalf("superseded skill status %q, err %v", g.Skills[0].Status, err)
	}
}

func TestFrameworkValidateReportsEachProblem(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(f *models.Framework)
		field string
	}{
		{"bad code", func(f *models.Framework) { f.Code = "no spaces" }, "code"},
		{"no name", func(f *models.Framework) { f.Name = " " }, "name"},
		{"short scale", func(f *models.Framework) { f.Scale = f.Scale[:1] }, "scale"},
		{"scale gap", func(f *models.Framework) { f.Scale[2].Level = 7 }, "scale[2].level"},
		{"scale start", func(f *models.Framework) { f.Scale = f.Scale[2:] }, "scale[0].level"},
		{"scale code repeated", func(f *models.Framework) { f.Scale[1].Code = "none" }, "scale[1].code"},
		{"area code repeated", func(f *models.Framework) { f.Areas[1].Code = "top" }, "areas[1].code"},
		{"unknown parent", func(f *models.Framework) { f.Areas[1].Parent = "nope" }, "areas[1].parent"},
		{"area cycle", func(f *models.Framework) { f.Areas[0].Parent = "leaf" }, "areas[0].parent"},
		{"own parent", func(f *models.Framework) { f.Areas[0].Parent = "top" }, "areas[0].parent"},
		{"skill code repeated", func(f *models.Framework) { f.Skills[2].Code = "b" }, "skills[2].code"},
		{"unknown area", func(f *models.Framework) { f.Skills[2].Area = "nope" }, "skills[2].area"},
		{"bad tier", func(f *models.Framework) { f.Skills[2].Tier = "expert" }, "skills[2].tier"},
		{"no tier", func(f *models.Framework) { f.Skills[2].Tier = "" }, "skills[2].tier"},
		{"bad status", func(f *models.Framework) { f.Skills[2].Status = "retired" }, "skills[2].status"},
		{"level 0 described", func(f *models.Framework) { f.Skills[1].Levels["0"] = "x" }, "skills[1].levels.0"},
		{"level beyond scale", func(f *models.Framework) { f.Skills[1].Levels["5"] = "x" }, "skills[1].levels.5"},
		{"reference without id", func(f *models.Framework) { f.Skills[1].References[1].ID = "" }, "skills[1].references[1].id"},
		{"reference with pipe", func(f *models.Framework) { f.Skills[1].References[0].Label = "a|b" }, "skills[1].references[0].label"},
		{"reference repeated", func(f *models.Framework) { f.Skills[1].References[1] = f.Skills[1].References[0] }, "skills[1].references[1]"},
		{"superseded by unknown", func(f *models.Framework) { f.Skills[0].SupersededBy = "zzz" }, "skills[0].superseded_by"},
		{"superseded by itself", func(f *models.Framework) { f.Skills[0].SupersededBy = "a" }, "skills[0].superseded_by"},
		{"active but superseded", func(f *models.Framework) { f.Skills[0].Status = models.SkillActive }, "skills[0].superseded_by"},
		{"unknown other parent", func(f *models.Framework) { f.Areas[1].OtherParents = []string{"nope"} }, "areas[1].other_parents[0]"},
		{"other parent is the parent", func(f *models.Framework) { f.Areas[1].OtherParents = []string{"top"} }, "areas[1].other_parents[0]"},
		{"cycle through another parent", func(f *models.Framework) { f.Areas[0].OtherParents = []string{"leaf"} }, "areas[0].other_parents"},
		{"unknown other area", func(f *models.Framework) { f.Skills[1].OtherAreas = []string{"nope"} }, "skills[1].other_areas[0]"},
		{"other area listed twice", func(f *models.Framework) { f.Skills[1].OtherAreas = []string{"top", "top"} }, "skills[1].other_areas[1]"},
		{"bad statement type", func(f *models.Framework) { f.Skills[1].StatementType = "ability" }, "skills[1].statement_type"},
		{"tier the framework lacks", func(f *models.Framework) {
			f.Tiers = []models.FrameworkTier{{Code: "foundation", Name: "Foundation"}}
		}, "skills[1].tier"},
		{"tier code repeated", func(f *models.Framework) {
			f.Tiers = append(models.SurveyTiers(), models.FrameworkTier{Code: "basic", Name: "Again"})
		}, "tiers[3].code"},
		{"tiered skill in a framework without tiers", func(f *models.Framework) { f.Tiers = []models.FrameworkTier{} }, "skills[1].tier"},
		{"association to no item", func(f *models.Framework) {
			f.Associations = []models.Association{{Type: "precedes", From: models.AssociationEnd{Code: "nope"}, To: models.AssociationEnd{Code: "b"}}}
		}, "associations[0].from.code"},
		{"association outside without identifier", func(f *models.Framework) {
			f.Associations = []models.Association{{Type: "exactMatchOf", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{URI: "https://x"}}}
		}, "associations[0].to.identifier"},
		{"association without type", func(f *models.Framework) {
			f.Associations = []models.Association{{From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Code: "c"}}}
		}, "associations[0].type"},
		{"the tree as an association", func(f *models.Framework) {
			f.Associations = []models.Association{{Type: "isChildOf", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Code: "top"}}}
		}, "associations[0].type"},
		{"supersession as an association", func(f *models.Framework) {
			f.Associations = []models.Association{{Type: "replacedBy", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Code: "c"}}}
		}, "associations[0].type"},
		{"name over the limit", func(f *models.Framework) { f.Skills[1].Name = strings.Repeat("x", models.MaxTextLength+1) }, "skills[1].name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := fuzzcheck.SampleFramework()
			tc.edit(&f)
			if got := fuzzcheck.FieldsOf(t, f.Validate()); !slices.Contains(got, tc.field) {
				t.Fatalf("errors on %v, want %s", got, tc.field)
			}
		})
	}
}

// TestFrameworkValidateAcceptsWhatOtherFrameworksNeed: statements as long as the NICE
// Framework's, items in several places, no tiers, own tiers, statement types, and
// associations to nodes outside the framework.
func TestFrameworkValidateAcceptsWhatOtherFrameworksNeed(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	for i := range f.Skills {
		f.Skills[i].Tier = ""
	}
	f.Areas = append(f.Areas, models.SkillArea{Code: "side", Name: "Side", OtherParents: []string{"top"}})
	f.Skills[1].Name = strings.Repeat("Knowledge of something long ", 12)
	f.Skills[1].OtherAreas = []string{"top", "side"}
	f.Skills[1].StatementType = models.StatementKnowledge
	f.Associations = []models.Association{
		{Type: "exactMatchOf", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Identifier: "elsewhere", URI: "https://example.org/x"}},
		{Type: "precedes", From: models.AssociationEnd{Code: "b"}, To: models.AssociationEnd{Code: "c"}},
	}
	if err := f.Validate(); err != nil || f.Tiers != nil {
		t.Fatalf("a framework without tiers: %v (tiers %v)", err, f.Tiers)
	}
	g := fuzzcheck.SampleFramework()
	g.Tiers = []models.FrameworkTier{{Code: "foundation", Name: "Foundation"}, {Code: "specialist", Name: "Specialist"}}
	for i := range g.Skills {
		g.Skills[i].Tier = "specialist"
	}
	g.Skills[0].Tier = "" // a deprecated skill may have lost its tier
	if err := g.Validate(); err != nil {
		t.Fatalf("a framework with its own tiers: %v", err)
	}
	h := fuzzcheck.SampleFramework()
	if err := h.Validate(); err != nil || !reflect.DeepEqual(h.Tiers, models.SurveyTiers()) {
		t.Fatalf("a document naming no tiers whose skills use the survey's: %v %v", err, h.Tiers)
	}
}

func TestOnCycles(t *testing.T) {
	cases := []struct {
		name string
		next map[string][]string
		want []string
	}{
		{"tree", map[string][]string{"b": {"a"}, "c": {"a"}}, nil},
		{"diamond", map[string][]string{"b": {"a"}, "c": {"a"}, "d": {"b", "c"}}, nil},
		{"self", map[string][]string{"a": {"a"}}, []string{"a"}},
		{"cycle and a branch into it", map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, []string{"a", "b", "c"}},
	}
	for _, tc := range cases {
		var got []string
		for k := range models.OnCycles(tc.next) {
			got = append(got, k)
		}
		slices.Sort(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFrameworkValidateRejectsSupersessionCycles(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	f.Skills[1].Status, f.Skills[1].SupersededBy = models.SkillDeprecated, "c"
	f.Skills[2].Status, f.Skills[2].SupersededBy = models.SkillDeprecated, "a" // a -> b -> c -> a
	got := fuzzcheck.FieldsOf(t, f.Validate())
	want := []string{"skills[0].superseded_by", "skills[1].superseded_by", "skills[2].superseded_by"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors on %v, want %v", got, want)
	}
}

func TestResolveChains(t *testing.T) {
	cases := []struct {
		name   string
		next   map[int]int
		ends   map[int]int
		cyclic []int
	}{
		{"none", map[int]int{}, map[int]int{}, nil},
		{"one link", map[int]int{1: 2}, map[int]int{1: 2}, nil},
		{"chain", map[int]int{1: 2, 2: 3}, map[int]int{1: 3, 2: 3}, nil},
		{"chain listed backwards", map[int]int{2: 3, 1: 2, 0: 1}, map[int]int{0: 3, 1: 3, 2: 3}, nil},
		{"two chains into one", map[int]int{1: 3, 2: 3, 3: 4}, map[int]int{1: 4, 2: 4, 3: 4}, nil},
		{"self loop", map[int]int{1: 1}, map[int]int{}, []int{1}},
		{"cycle", map[int]int{1: 2, 2: 1, 3: 4}, map[int]int{3: 4}, []int{1, 2}},
		{"into a cycle", map[int]int{1: 2, 2: 3, 3: 2}, map[int]int{}, []int{1, 2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ends, cyclic := models.ResolveChains(tc.next)
			if !reflect.DeepEqual(ends, tc.ends) {
				t.Errorf("ends %v, want %v", ends, tc.ends)
			}
			var got []int
			for k := range cyclic {
				got = append(got, k)
			}
			slices.Sort(got)
			if !reflect.DeepEqual(got, tc.cyclic) {
				t.Errorf("cyclic %v, want %v", got, tc.cyclic)
			}
		})
	}
}

func TestNextVersionOfANewFramework(t *testing.T) {
	f := fuzzcheck.SampleFramework()
	next, changed, deprecated := models.NextVersion(nil, f)
	if next.Version != 1 || !changed || deprecated != nil {
		t.Fatalf("version %d changed %v deprecated %v", next.Version, changed, deprecated)
	}
}

func TestNextVersionCarriesLeftOutSkillsAsDeprecated(t *testing.T) {
	current := fuzzcheck.SampleFramework()
	if err := current.Validate(); err != nil {
		t.Fatal(err)
	}
	current.Version = 3
	body := fuzzcheck.SampleFramework()
	body.Skills = body.Skills[:2]                        // c left out
	body.Skills[1].Status = models.SkillDeprecated       // b retired explicitly
	body.Scale = body.Scale[:4]                          // no level 4 any more
	body.Areas = body.Areas[:1]                          // leaf area removed
	body.Skills[0].Area, body.Skills[1].Area = "top", "" // so the body stays valid
	body.Skills[1].Levels = map[string]string{"1": "Knows B"}
	body.Skills[1].References = nil
	if err := body.Validate(); err != nil {
		t.Fatal(err)
	}
	current.Skills[2].Area, current.Skills[2].Levels = "leaf", map[string]string{"2": "Does C", "4": "Leads C"}

	next, changed, deprecated := models.NextVersion(&current, body)
	if next.Version != 4 || !changed {
		t.Fatalf("version %d changed %v", next.Version, changed)
	}
	if !reflect.DeepEqual(deprecated, []string{"b", "c"}) {
		t.Fatalf("deprecated %v, want [b c]", deprecated)
	}
	c := next.Skills[2]
	if c.Code != "c" || c.Status != models.SkillDeprecated || c.Area != "" || !reflect.DeepEqual(c.Levels, map[string]string{"2": "Does C"}) {
		t.Fatalf("carried skill %+v: want deprecated, no area, levels of the new scale only", c)
	}
	if err := next.Validate(); err != nil {
		t.Fatalf("merged document invalid: %v", err)
	}
	// Publishing the same body again changes nothing.
	again, changed, deprecated := models.NextVersion(&next, body)
	if changed || len(deprecated) != 0 || again.Version != 5 {
		t.Fatalf("republishing: changed %v deprecated %v", changed, deprecated)
	}
	if current.Skills[2].Status != models.SkillActive {
		t.Fatal("NextVersion changed its input")
	}
}

func TestSameContentIgnoresVersion(t *testing.T) {
	a, b := fuzzcheck.SampleFramework(), fuzzcheck.SampleFramework()
	a.Version, b.Version = 1, 2
	if !models.SameContent(a, b) {
		t.Fatal("same content, different versions: not equal")
	}
	b.Skills[2].Description += "."
	if models.SameContent(a, b) {
		t.Fatal("different descriptions: equal")
	}
}
