package models

import (
	"fmt"
	"strings"
	"testing"
)

// tierBrief renders the tier summaries for one comparison.
func tierBrief(ts []TierGap) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s %v %d", t.Tier, t.HasGap, t.SkillsWithGap)
	}
	return strings.Join(parts, ", ")
}

// gapLines is one skill line per case a tier summary must tell apart.
func gapLines() []SkillLine {
	short := SkillCounts{Demand: 2, Supply: 1, DemandEssential: 2, SupplyEssential: 1, RequiredEssential: 6, DepthEssential: 1,
		Held: [MaxLevel + 1]int{0, 0, 1, 1, 0}}
	met := SkillCounts{Demand: 1, Supply: 1, DemandEssential: 1, SupplyEssential: 1, RequiredEssential: 3,
		Held: [MaxLevel + 1]int{0, 0, 0, 2, 1}}
	return []SkillLine{
		{Skill: "b-short", Tier: "basic", Counts: short},                                            // unmet essential need: a gap
		{Skill: "b-met", Tier: "basic", Counts: met, Target: &Target{MinLevel: 3, MinHeadcount: 3}}, // 3 holders at 3+: met
		{Skill: "b-covered", Tier: "basic", Counts: short,
			Coverage: &ExternalCoverage{Provider: "MSP", ContractEnd: dayPtr(200)}}, // covered on day 100: reported, no gap
		{Skill: "i-met", Tier: "incident_response", Counts: met},
		{Skill: "a-target", Tier: "advanced", Counts: met, Target: &Target{MinLevel: 4, MinHeadcount: 2}}, // 1 holder at 4
		{Skill: "x-untiered", Tier: "elsewhere", Counts: short},                                           // a gap, but in no survey tier
	}
}

func TestBuildGapReportTiers(t *testing.T) {
	t.Parallel()
	lines, tiers := BuildGapReport(gapLines(), false, day(100))
	// Tiers come in survey order, each counting its skills with a gap; a skill of an
	// unknown tier is reported but counts towards none.
	if got, want := tierBrief(tiers), "basic true 1, incident_response false 0, advanced true 1"; got != want {
		t.Errorf("tiers %s, want %s", got, want)
	}
	var gaps []string
	for _, l := range lines {
		gaps = append(gaps, fmt.Sprintf("%s=%v", l.Skill, l.Gap))
		// Not a roll-up: no per-organisation counts.
		if l.Organisations != nil || l.OrganisationsWith != nil {
			t.Errorf("%s has roll-up counts outside a roll-up", l.Skill)
		}
	}
	if got, want := strings.Join(gaps, " "), "b-short=true b-met=false b-covered=false i-met=false a-target=true x-untiered=true"; got != want {
		t.Errorf("gaps %s, want %s", got, want)
	}
	// Staff by level mirrors Held for levels 1-4; the coverage is carried onto the line.
	if sbl := lines[1].StaffByLevel; len(sbl) != 4 || sbl["1"] != 0 || sbl["2"] != 0 || sbl["3"] != 2 || sbl["4"] != 1 {
		t.Errorf("staff by level %v", sbl)
	}
	if c := lines[2]; !c.CoveredExternally || c.ExternalCoverage == nil || c.ExternalCoverage.Provider != "MSP" || lines[0].ExternalCoverage != nil {
		t.Errorf("coverage %+v / %+v", c.ExternalCoverage, lines[0].ExternalCoverage)
	}

	// Apply turns the tiers into the survey's three flags.
	r := GapReport{}
	r.Apply(gapLines(), day(100))
	if !r.BasicSkillsGap || r.IncidentResponse || !r.AdvancedSkillsGap {
		t.Errorf("flags basic=%v ir=%v advanced=%v", r.BasicSkillsGap, r.IncidentResponse, r.AdvancedSkillsGap)
	}
	// Once the contract has ended, the covered skill is a gap again: two basic skills.
	_, later := BuildGapReport(gapLines(), false, day(200))
	if b := later[0]; b.Tier != "basic" || !b.HasGap || b.SkillsWithGap != 2 {
		t.Errorf("after the contract: %s", tierBrief(later))
	}
	// No lines: every tier present, none with a gap.
	if _, none := BuildGapReport(nil, false, day(100)); tierBrief(none) != "basic false 0, incident_response false 0, advanced false 0" {
		t.Errorf("empty: %s", tierBrief(none))
	}
}

func TestBuildGapReportRollUp(t *testing.T) {
	t.Parallel()
	in := gapLines()
	// Below the organisation: i-met has a gap in one of three organisations, b-short in none,
	// b-covered in one (a gap below counts, even though the top covers it).
	in[0].Organisations, in[0].OrganisationsWithGap = 2, 0
	in[2].Organisations, in[2].OrganisationsWithGap = 2, 1
	in[3].Organisations, in[3].OrganisationsWithGap = 3, 1
	lines, tiers := BuildGapReport(in, true, day(100))
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%s=%v %d/%d", l.Skill, l.Gap, *l.OrganisationsWith, *l.Organisations))
	}
	want := "b-short=true 0/2 b-met=false 0/0 b-covered=true 1/2 i-met=true 1/3 a-target=true 0/0 x-untiered=true 0/0"
	if strings.Join(got, " ") != want {
		t.Errorf("roll-up lines\n got  %s\n want %s", strings.Join(got, " "), want)
	}
	// The skill's own figures are untouched: i-met's organisation meets it.
	if lines[3].EssentialShortfall != 0 || !lines[3].TargetMet {
		t.Errorf("i-met own figures %+v", lines[3].SkillGap)
	}
	if got, want := tierBrief(tiers), "basic true 2, incident_response true 1, advanced true 1"; got != want {
		t.Errorf("roll-up tiers %s, want %s", got, want)
	}
	// Apply on a roll-up report takes the gaps below into the survey flags.
	r := GapReport{IncludeDescendants: true}
	r.Apply(in, day(100))
	if !r.IncidentResponse {
		t.Error("roll-up Apply misses the incident-response gap below")
	}
}

func TestDevelopmentNeedsOrder(t *testing.T) {
	t.Parallel()
	levels := []Competency{
		{Skill: "met", Tier: "basic", RequiredLevel: 3, VerifiedLevel: 3, Criticality: "essential"},    // met: not a need
		{Skill: "unrequired", Tier: "basic", VerifiedLevel: 1, Depth: 2},                               // not required
		{Skill: "a-desirable", Tier: "advanced", RequiredLevel: 3, Criticality: "desirable", Depth: 3}, // deepest, but desirable
		{Skill: "z-essential", Tier: "basic", RequiredLevel: 3, VerifiedLevel: 2, Criticality: "essential", Depth: 1},
		{Skill: "m-essential", Tier: "basic", RequiredLevel: 3, VerifiedLevel: 1, Criticality: "essential", Depth: 2},
		{Skill: "b-essential", Tier: "incident_response", RequiredLevel: 2, VerifiedLevel: 1, Criticality: "essential", Depth: 1},
		{Skill: "c-desirable", Tier: "basic", RequiredLevel: 2, VerifiedLevel: 1, Criticality: "desirable", Depth: 1},
	}
	needs := DevelopmentNeeds(levels)
	var got []string
	for _, n := range needs {
		got = append(got, fmt.Sprintf("%s %s %d->%d depth %d", n.Skill, n.Criticality, n.Level, n.RequiredLevel, n.Depth))
		if n.Courses == nil || len(n.Courses) != 0 {
			t.Errorf("%s courses %v: want an empty list, filled in later", n.Skill, n.Courses)
		}
	}
	// Essential before desirable, then deepest first, then by skill code.
	want := []string{
		"m-essential essential 1->3 depth 2",
		"b-essential essential 1->2 depth 1",
		"z-essential essential 2->3 depth 1",
		"a-desirable desirable 0->3 depth 3",
		"c-desirable desirable 1->2 depth 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if needs[1].Tier != "incident_response" {
		t.Errorf("tier %q not carried", needs[1].Tier)
	}
	if len(DevelopmentNeeds(levels[:2])) != 0 {
		t.Error("a person meeting every requirement has needs")
	}
}
