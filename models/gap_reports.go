package models

import "time"

// RequirementGap is how a role's holders fare against one of its requirements.
type RequirementGap struct {
	Skill         string   `json:"skill" example:"firewall-config"`
	Name          string   `json:"name" example:"Firewall configuration"`
	Tier          string   `json:"tier" example:"basic"`
	RequiredLevel int      `json:"required_level" example:"3"`
	Criticality   string   `json:"criticality" example:"essential"`
	Demand        int      `json:"demand" example:"8"`
	Supply        int      `json:"supply" example:"5"`
	Shortfall     int      `json:"shortfall" example:"3"`
	Coverage      *float64 `json:"coverage" example:"0.625" extensions:"x-nullable"`
	Depth         int      `json:"depth" example:"4"` // levels missing, summed over holders
}

// RoleGap is one role's gap.
type RoleGap struct {
	Role             string           `json:"role" example:"network-engineer"`
	Title            string           `json:"title" example:"Infrastructure and network engineer"`
	Owner            string           `json:"owner,omitempty" example:"RJ1"` // organisation of an organisation role
	Headcount        int              `json:"headcount" example:"8"`
	MeetingEssential int              `json:"meeting_essential" example:"4"` // holders meeting every essential requirement
	Requirements     []RequirementGap `json:"requirements"`
}

// RoleGapsReport is an organisation's gap per role.
type RoleGapsReport struct {
	Organisation string    `json:"organisation" example:"RJ1"`
	Basis        Basis     `json:"basis" example:"verified"`
	At           time.Time `json:"at"`
	Roles        []RoleGap `json:"roles"`
}

// MatrixCell is one role x skill cell of the heat map.
type MatrixCell struct {
	Role          string   `json:"role" example:"network-engineer"`
	Skill         string   `json:"skill" example:"firewall-config"`
	RequiredLevel int      `json:"required_level" example:"3"`
	Demand        int      `json:"demand" example:"8"`
	Supply        int      `json:"supply" example:"5"`
	Coverage      *float64 `json:"coverage" example:"0.625" extensions:"x-nullable"`
}

// GapMatrix is role x skill coverage for a heat map: the roles and skills on its axes,
// and a cell wherever a role requires a skill.
type GapMatrix struct {
	Organisation string       `json:"organisation" example:"RJ1"`
	At           time.Time    `json:"at"`
	Roles        []string     `json:"roles"`
	Skills       []string     `json:"skills"`
	Cells        []MatrixCell `json:"cells"`
}

// StaffGaps is one person's development needs.
type StaffGaps struct {
	Organisation string            `json:"organisation" example:"RJ1"`
	ExternalID   string            `json:"external_id" example:"E10234"`
	At           time.Time         `json:"at"`
	Needs        []DevelopmentNeed `json:"needs"`
}

// ExpiringList is the verified levels that lapse within a window.
type ExpiringList struct {
	Organisation string    `json:"organisation" example:"RJ1"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	Items        []Lapse   `json:"items"`
}

// NewRequirementGap is how a role's holders fare against one requirement.
func NewRequirementGap(c RoleSkillGap) RequirementGap {
	crit := Desirable
	if c.Essential {
		crit = Essential
	}
	g := RequirementGap{Skill: c.Skill, Name: c.SkillName, Tier: c.Tier, RequiredLevel: c.RequiredLevel,
		Criticality: string(crit), Demand: c.Demand, Supply: c.Supply, Shortfall: c.Demand - c.Supply, Depth: c.Depth}
	if c.Demand > 0 {
		ratio := float64(c.Supply) / float64(c.Demand)
		g.Coverage = &ratio
	}
	return g
}
