package models

import "time"

// Criticality says how much a role needs a skill.
type Criticality string

// Criticalities. Only an essential requirement that is not met makes a gap; desirable ones
// weigh in the risk score.
const (
	Essential Criticality = "essential"
	Desirable Criticality = "desirable"
)

// Valid reports whether c is a known criticality.
func (c Criticality) Valid() bool { return c == Essential || c == Desirable }

// Weight is the criticality's weight in the risk score.
func (c Criticality) Weight() int {
	if c == Essential {
		return EssentialWeight
	}
	return 1
}

// EssentialWeight is how many times more an essential requirement weighs than a desirable one.
const EssentialWeight = 3

// Depth is how many levels a person lacks: required - held, and 0 when met.
func Depth(required, held int) int {
	if held >= required {
		return 0
	}
	return required - held
}

// SkillCounts are the additive figures of one skill over a set of active staff (one
// organisation, or a subtree summed). They are kept up to date in SQL as staff and
// evidence change; everything else in a gap report derives from them.
type SkillCounts struct {
	Demand            int `json:"demand" example:"12"`           // staff whose role requires the skill
	Supply            int `json:"supply" example:"9"`            // of those, staff at or above the required level
	DemandEssential   int `json:"demand_essential" example:"10"` // staff for whom it is essential
	SupplyEssential   int `json:"supply_essential" example:"8"`  // of those, staff who meet it
	RequiredEssential int `json:"-"`                             // sum of required levels, essential requirements
	RequiredDesirable int `json:"-"`                             // sum of required levels, desirable requirements
	DepthEssential    int `json:"depth_essential" example:"3"`   // sum of missing levels, essential requirements
	DepthDesirable    int `json:"depth_desirable" example:"1"`   // sum of missing levels, desirable requirements
	// Held counts active staff (whatever their role) at exactly each level 1-4; index 0 is unused.
	Held [MaxLevel + 1]int `json:"-"`
}

// Add sums two sets of counts, for roll-ups over a subtree.
func (c SkillCounts) Add(o SkillCounts) SkillCounts {
	c.Demand += o.Demand
	c.Supply += o.Supply
	c.DemandEssential += o.DemandEssential
	c.SupplyEssential += o.SupplyEssential
	c.RequiredEssential += o.RequiredEssential
	c.RequiredDesirable += o.RequiredDesirable
	c.DepthEssential += o.DepthEssential
	c.DepthDesirable += o.DepthDesirable
	for i := range c.Held {
		c.Held[i] += o.Held[i]
	}
	return c
}

// HoldersAtLeast counts active staff at level or above.
func (c SkillCounts) HoldersAtLeast(level int) int {
	if level < 1 {
		level = 1
	}
	n := 0
	for l := level; l <= MaxLevel; l++ {
		n += c.Held[l]
	}
	return n
}

// Target is a capability target: at least MinHeadcount people at MinLevel or above.
type Target struct {
	MinLevel     int    `json:"min_level" example:"3"`
	MinHeadcount int    `json:"min_headcount" example:"2"`
	Source       string `json:"source" enums:"default,organisation" example:"default"`
}

// ExternalCoverage declares a skill provided by an outside supplier under contract.
type ExternalCoverage struct {
	Provider    string     `json:"provider" example:"NHS Cyber Security Operations Centre"`
	ContractEnd *time.Time `json:"contract_end,omitempty" example:"2027-03-31T00:00:00Z"`
	// ContractStart is set for a contract that starts in the future (planning scenarios).
	ContractStart *time.Time `json:"contract_start,omitempty"`
}

// ActiveOn reports whether the contract runs on day: from its start, until the start of
// its end date.
func (c ExternalCoverage) ActiveOn(day time.Time) bool {
	return (c.ContractStart == nil || !day.Before(*c.ContractStart)) && (c.ContractEnd == nil || day.Before(*c.ContractEnd))
}

// SkillGap is the evaluated gap of one skill.
type SkillGap struct {
	SkillCounts
	Shortfall          int      `json:"shortfall" example:"3"`
	EssentialShortfall int      `json:"essential_shortfall" example:"2"`
	Coverage           *float64 `json:"coverage" example:"0.75" extensions:"x-nullable"` // supply / demand; null without demand
	Target             *Target  `json:"target,omitempty"`
	TargetHolders      int      `json:"target_holders" example:"1"` // staff at the target level or above
	TargetMet          bool     `json:"target_met" example:"false"`
	CoveredExternally  bool     `json:"covered_externally" example:"false"`
	Gap                bool     `json:"gap" example:"true"`
	Risk               float64  `json:"risk" example:"0.21"`
}

// EvaluateSkill derives a skill's gap from its counts, its capability target (nil when
// none applies) and any external coverage, on day:
//
//   - shortfall = demand - supply; coverage = supply / demand;
//   - the target is met when at least MinHeadcount active staff hold MinLevel or above;
//   - the skill has a gap when an essential requirement is unmet or the target is unmet,
//     unless an external provider covers it on that day (then it is reported, not counted);
//   - risk = the criticality-weighted share of required proficiency that is missing:
//     (3 x essential missing levels + desirable missing levels) /
//     (3 x essential required levels + desirable required levels), 0 without demand.
func EvaluateSkill(c SkillCounts, target *Target, cover *ExternalCoverage, day time.Time) SkillGap {
	g := SkillGap{SkillCounts: c, Target: target}
	g.Shortfall = c.Demand - c.Supply
	g.EssentialShortfall = c.DemandEssential - c.SupplyEssential
	if c.Demand > 0 {
		ratio := float64(c.Supply) / float64(c.Demand)
		g.Coverage = &ratio
	}
	g.TargetMet = true
	if target != nil {
		g.TargetHolders = c.HoldersAtLeast(target.MinLevel)
		g.TargetMet = g.TargetHolders >= target.MinHeadcount
	}
	g.CoveredExternally = cover != nil && cover.ActiveOn(day)
	g.Gap = (g.EssentialShortfall > 0 || !g.TargetMet) && !g.CoveredExternally
	g.Risk = Risk(c)
	return g
}

// Risk is the criticality-weighted share of required proficiency that is missing (0-1).
func Risk(c SkillCounts) float64 {
	den := EssentialWeight*c.RequiredEssential + c.RequiredDesirable
	if den == 0 {
		return 0
	}
	return float64(EssentialWeight*c.DepthEssential+c.DepthDesirable) / float64(den)
}

// GapQuery says which organisations a gap report covers and how levels are counted.
type GapQuery struct {
	OrgID              int64 // resolved within scope by the caller
	Scope              Scope
	IncludeDescendants bool
	IncludeVacancies   bool // each vacant funded post adds its role's requirements to demand, unmet
	Basis              Basis
	At                 *time.Time // nil: now
	Now                time.Time  // the service's clock when the report was asked for
}

// RoleSkillGap is the gap of one role in one skill it requires.
type RoleSkillGap struct {
	Role, RoleTitle, Skill, SkillName, Tier string
	Owner                                   string // the role's organisation; empty for a template
	RequiredLevel                           int
	Essential                               bool
	Demand, Supply, Depth                   int
}

// RoleHeadcount is a role's holders and how many meet every essential requirement.
type RoleHeadcount struct {
	Role, Title                 string
	Organisation                string // the role's owner; empty for a template
	Headcount, MeetingEssential int
}
