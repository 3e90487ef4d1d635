package models

import "time"

// SkillTarget is a capability target of one skill, as in force for an organisation.
type SkillTarget struct {
	Skill        string `json:"skill" example:"firewall-config"`
	MinLevel     int    `json:"min_level" example:"3"`
	MinHeadcount int    `json:"min_headcount" example:"2"`
	// Source says where it comes from: the organisation's own, or the default for its
	// type and size band (read-only).
	Source string `json:"source,omitempty" enums:"default,organisation" example:"default"`
}

// ValidateTargets checks a target list as submitted.
func ValidateTargets(ts []SkillTarget) error {
	var v Validator
	seen := map[string]bool{}
	for i, t := range ts {
		f := "targets[" + itoa(i) + "]"
		v.CheckKey(seen, t.Skill, f+".skill")
		v.Check(t.MinLevel >= 1 && t.MinLevel <= MaxLevel, f+".min_level", "must be between 1 and 4")
		v.Check(t.MinHeadcount >= 0 && t.MinHeadcount <= 100000, f+".min_headcount", "must be 0 (no target) or more")
	}
	return v.Err()
}

// SkillCoverage declares a skill provided by an external supplier (a managed service).
type SkillCoverage struct {
	Skill       string `json:"skill" example:"security-monitoring"`
	Provider    string `json:"provider" example:"NHS Cyber Security Operations Centre"`
	ContractEnd *Date  `json:"contract_end,omitempty" swaggertype:"string" format:"date" example:"2027-03-31"`
	// Active is whether the contract runs today (read-only).
	Active bool `json:"active" readonly:"true" example:"true"`
}

// ValidateCoverage checks a coverage list as submitted.
func ValidateCoverage(cs []SkillCoverage) error {
	var v Validator
	seen := map[string]bool{}
	for i, c := range cs {
		f := "coverage[" + itoa(i) + "]"
		v.CheckKey(seen, c.Skill, f+".skill")
		v.Check(c.Provider != "" && len(c.Provider) <= 200, f+".provider", "is required (at most 200 characters)")
	}
	return v.Err()
}

// ActiveOn reports whether the contract still runs on day.
func (c SkillCoverage) ActiveOn(day time.Time) bool {
	return c.ContractEnd == nil || day.Before(c.ContractEnd.Time())
}
