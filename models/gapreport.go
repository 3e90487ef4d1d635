package models

import (
	"sort"
	"strconv"
	"time"
)

// Basis says which level a gap report counts: verified (default), the latest
// self-assessment, or the higher of the two.
type Basis string

// Bases.
const (
	BasisVerified Basis = "verified"
	BasisSelf     Basis = "self"
	BasisAny      Basis = "any"
)

// SkillLine is the input of one skill in a gap report: its counts (summed over the
// organisations of the report), and, for a single organisation, its target and coverage.
type SkillLine struct {
	Skill, Name, Tier    string // Tier: the survey tier the skill counts under, or ""
	Framework            string
	Counts               SkillCounts
	Target               *Target
	Coverage             *ExternalCoverage
	Organisations        int // organisations below with figures for the skill (roll-ups)
	OrganisationsWithGap int // of those, how many have a gap in it (roll-ups)
}

// SkillGapLine is one skill of a gap report.
type SkillGapLine struct {
	Skill     string `json:"skill" example:"firewall-config"`
	Framework string `json:"framework" example:"cyber"`
	Name      string `json:"name" example:"Firewall configuration"`
	// Tier is the survey tier the skill counts under (SkillEntry.SurveyTier): its own in
	// the default framework, through the published mapping for another framework's
	// skill; empty for a skill in none.
	Tier string `json:"tier" example:"basic"`
	SkillGap
	// StaffByLevel counts active staff at each level 1-4 of the skill, whatever their role.
	StaffByLevel      map[string]int    `json:"staff_by_level"`
	ExternalCoverage  *ExternalCoverage `json:"external_coverage,omitempty"`
	Organisations     *int              `json:"organisations,omitempty"`          // roll-ups only
	OrganisationsWith *int              `json:"organisations_with_gap,omitempty"` // roll-ups only
}

// TierGap summarises one tier.
type TierGap struct {
	Tier          string `json:"tier" example:"basic"`
	HasGap        bool   `json:"has_gap" example:"true"`
	SkillsWithGap int    `json:"skills_with_gap" example:"2"`
}

// GapReport is an organisation's (or subtree's) skills gap.
type GapReport struct {
	Organisation       string         `json:"organisation" example:"RJ1"`
	IncludeDescendants bool           `json:"include_descendants" example:"false"`
	Basis              Basis          `json:"basis" example:"verified"`
	At                 time.Time      `json:"at"`
	BasicSkillsGap     bool           `json:"basic_skills_gap" example:"true"`
	IncidentResponse   bool           `json:"incident_response_gap" example:"false"`
	AdvancedSkillsGap  bool           `json:"advanced_skills_gap" example:"true"`
	Tiers              []TierGap      `json:"tiers"`
	Skills             []SkillGapLine `json:"skills"`
}

// BuildGapReport evaluates every skill line on day (EvaluateSkill, on the counts of the
// organisation's whole subtree) and summarises tiers. In a roll-up a skill also has a gap
// when any organisation below has one. A tier has a gap when any of its skills has, and
// the three survey measures are the tiers' flags.
func BuildGapReport(lines []SkillLine, rollup bool, day time.Time) ([]SkillGapLine, []TierGap) {
	out := make([]SkillGapLine, 0, len(lines))
	tiers := map[string]*TierGap{}
	for _, t := range Tiers {
		tiers[string(t)] = &TierGap{Tier: string(t)}
	}
	for _, l := range lines {
		g := SkillGapLine{Skill: l.Skill, Framework: l.Framework, Name: l.Name, Tier: l.Tier, SkillGap: EvaluateSkill(l.Counts, l.Target, l.Coverage, day),
			StaffByLevel: map[string]int{}}
		for lvl := 1; lvl <= MaxLevel; lvl++ {
			g.StaffByLevel[strconv.Itoa(lvl)] = l.Counts.Held[lvl]
		}
		if l.Coverage != nil {
			g.ExternalCoverage = l.Coverage
		}
		if rollup {
			orgs, withGap := l.Organisations, l.OrganisationsWithGap
			g.Organisations, g.OrganisationsWith = &orgs, &withGap
			g.Gap = g.Gap || withGap > 0
		}
		if t := tiers[l.Tier]; t != nil && g.Gap {
			t.HasGap = true
			t.SkillsWithGap++
		}
		out = append(out, g)
	}
	summary := make([]TierGap, 0, len(Tiers))
	for _, t := range Tiers {
		summary = append(summary, *tiers[string(t)])
	}
	return out, summary
}

// Apply fills the report's lines and flags.
func (r *GapReport) Apply(lines []SkillLine, day time.Time) {
	r.Skills, r.Tiers = BuildGapReport(lines, r.IncludeDescendants, day)
	for _, t := range r.Tiers {
		switch Tier(t.Tier) {
		case TierBasic:
			r.BasicSkillsGap = t.HasGap
		case TierIncidentResponse:
			r.IncidentResponse = t.HasGap
		case TierAdvanced:
			r.AdvancedSkillsGap = t.HasGap
		}
	}
}

// Candidate is a person below the level a skill asks of them: their role's requirement,
// or else their organisation's capability target.
type Candidate struct {
	Organisation string `json:"organisation" example:"RJ1"`
	ExternalID   string `json:"external_id" example:"E10234"`
	DisplayName  string `json:"display_name,omitempty" example:"A. Patel"`
	Role         string `json:"role,omitempty" example:"network-engineer"`
	Level        int    `json:"level" example:"2"`
	TargetLevel  int    `json:"target_level" example:"3"`
	Depth        int    `json:"depth" example:"1"`
	Essential    bool   `json:"essential" example:"true"`
	Reason       string `json:"reason" enums:"role,target" example:"role"`
}

// CourseOption is a course that confers a skill at a level.
type CourseOption struct {
	Course        string   `json:"course" example:"FW-201"`
	Title         string   `json:"title" example:"Next-generation firewall administration"`
	Provider      string   `json:"provider" example:"nhs-digital-academy"`
	Level         int      `json:"level" example:"3"`
	DurationHours *float64 `json:"duration_hours,omitempty" example:"16"`
	Cost          *float64 `json:"cost,omitempty" example:"450"`
}

// DevelopmentNeed is one requirement of a person's role that they do not yet meet.
type DevelopmentNeed struct {
	Skill         string         `json:"skill" example:"firewall-config"`
	Name          string         `json:"name" example:"Firewall configuration"`
	Tier          string         `json:"tier" example:"basic"`
	Criticality   string         `json:"criticality" example:"essential"`
	RequiredLevel int            `json:"required_level" example:"3"`
	Level         int            `json:"level" example:"1"`
	Depth         int            `json:"depth" example:"2"`
	Courses       []CourseOption `json:"courses"`
}

// DevelopmentNeeds picks a person's unmet requirements, deepest and most critical first:
// essential before desirable, then by depth, then by skill code.
func DevelopmentNeeds(levels []Competency) []DevelopmentNeed {
	var out []DevelopmentNeed
	for _, c := range levels {
		if c.RequiredLevel == 0 || c.Depth == 0 {
			continue
		}
		out = append(out, DevelopmentNeed{Skill: c.Skill, Name: c.Name, Tier: c.Tier, Criticality: c.Criticality,
			RequiredLevel: c.RequiredLevel, Level: c.VerifiedLevel, Depth: c.Depth, Courses: []CourseOption{}})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Criticality == string(Essential)) != (b.Criticality == string(Essential)) {
			return a.Criticality == string(Essential)
		}
		if a.Depth != b.Depth {
			return a.Depth > b.Depth
		}
		return a.Skill < b.Skill
	})
	return out
}
