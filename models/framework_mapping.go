package models

import (
	"fmt"
	"strconv"
)

// SkillMapping says which skills of the default framework a skill of another framework
// corresponds to. National statistics count the skill under the most basic survey tier
// of those (SkillEntry.SurveyTier); mappings play no other part in gap calculations.
type SkillMapping struct {
	Skill string `json:"skill" example:"K0878"`
	// MapsTo are codes of skills of the default framework.
	MapsTo []string `json:"maps_to" example:"firewall-config"`
	// Name, StatementType and SurveyTier describe the skill, in answers.
	Name          string        `json:"name,omitempty" example:"Knowledge of network firewall principles and practices"`
	StatementType StatementType `json:"statement_type,omitempty" example:"knowledge"`
	SurveyTier    string        `json:"survey_tier,omitempty" example:"basic"`
}

// SkillMappings is a framework's whole mapping to the default framework, as PUT replaces it.
type SkillMappings struct {
	Mappings []SkillMapping `json:"mappings"`
}

// MaxSkillMappings bounds one mapping document.
const MaxSkillMappings = MaxFrameworkSkills

// Validate checks the document's shape: codes present, no skill listed twice.
func (m SkillMappings) Validate() error {
	var v Validator
	v.Check(len(m.Mappings) <= MaxSkillMappings, "mappings", fmt.Sprintf("must hold at most %d skills", MaxSkillMappings))
	seen := map[string]bool{}
	for i, x := range m.Mappings {
		p := "mappings[" + strconv.Itoa(i) + "]"
		v.Check(ValidCode(x.Skill), p+".skill", codeRule)
		v.CheckOnce(seen, x.Skill, p+".skill")
		v.Check(len(x.MapsTo) > 0, p+".maps_to", "names at least one skill of the default framework (leave the skill out to map it to none)")
		to := map[string]bool{}
		for j, c := range x.MapsTo {
			q := p + ".maps_to[" + strconv.Itoa(j) + "]"
			v.Check(ValidCode(c), q, codeRule)
			v.CheckOnce(to, c, q)
		}
	}
	return v.Err()
}

// MappingResult describes a replaced mapping.
type MappingResult struct {
	Framework       string `json:"framework" example:"nice"`
	MapsToFramework string `json:"maps_to_framework" example:"cyber"`
	Skills          int    `json:"skills" example:"104"`      // skills mapped
	Unchanged       bool   `json:"unchanged" example:"false"` // the mapping was already this
}
