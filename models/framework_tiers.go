package models

import "strings"

// FrameworkTier is one tier of a framework: a grouping of its skills that the framework's
// publisher defines. Tiers belong to a framework; a framework may have none.
type FrameworkTier struct {
	Code        string `json:"code" example:"basic"`
	Name        string `json:"name" example:"Basic technical skills"`
	Description string `json:"description,omitempty" example:"The technical tasks of Cyber Essentials that the survey's basic skills gap is measured on."`
}

// SurveyTiers are the tiers of the default framework, which national statistics count by:
// the UK government's cyber security skills labour market survey measures a basic, an
// incident response and an advanced skills gap. A framework document that lists no tiers
// but whose skills name tiers uses these, as every framework did before tiers belonged to
// frameworks.
func SurveyTiers() []FrameworkTier {
	return []FrameworkTier{
		{string(TierBasic), "Basic technical skills", "The technical tasks laid out in Cyber Essentials that the survey asks about to measure the basic skills gap."},
		{string(TierIncidentResponse), "Incident response", "Detecting, handling and reporting a cyber security incident: the survey's incident response skills gap."},
		{string(TierAdvanced), "Advanced skills", "Specialist skills such as penetration testing, forensics and security architecture: the survey's advanced skills gap."},
	}
}

// TierCodes lists the codes of tiers, in order.
func TierCodes(tiers []FrameworkTier) []string {
	out := make([]string, len(tiers))
	for i, t := range tiers {
		out[i] = t.Code
	}
	return out
}

// SurveyTierRank orders the survey tiers from basic (0) to advanced (2); it is -1 for a
// code that is not a survey tier. A skill that corresponds to skills of several survey
// tiers counts under the most basic of them.
func SurveyTierRank(code string) int {
	for i, t := range Tiers {
		if string(t) == code {
			return i
		}
	}
	return -1
}

// StatementType says what kind of statement a skill is, as competency frameworks such as
// the NICE Framework write them: a task (work a role does), knowledge, or a skill.
type StatementType string

// The statement types.
const (
	StatementTask      StatementType = "task"
	StatementKnowledge StatementType = "knowledge"
	StatementSkill     StatementType = "skill"
)

// StatementTypes lists every statement type.
var StatementTypes = []StatementType{StatementTask, StatementKnowledge, StatementSkill}

// Valid reports whether t is a statement type or empty (a skill need not say).
func (t StatementType) Valid() bool {
	return t == "" || t == StatementTask || t == StatementKnowledge || t == StatementSkill
}

// StatementTypeOf reads a statement type from a name such as a CASE item type ("Task",
// "Knowledge", "Skill"); it is empty for any other name.
func StatementTypeOf(name string) StatementType {
	t := StatementType(strings.ToLower(strings.TrimSpace(name)))
	if t != "" && t.Valid() {
		return t
	}
	return ""
}

// Title is the statement type as a CASE item type writes it: "Task", "Knowledge", "Skill".
func (t StatementType) Title() string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(string(t[:1])) + string(t[1:])
}

// CheckDefaultTiers checks that a version of the default framework keeps the survey's
// three tiers: national statistics, gap reports' survey measures and the default
// capability targets count by them.
func (f Framework) CheckDefaultTiers() error {
	have := map[string]bool{}
	for _, t := range f.Tiers {
		have[t.Code] = true
	}
	for _, t := range Tiers {
		if !have[string(t)] {
			return Invalid(FieldError{Field: "tiers", Message: "the default framework keeps the survey's tiers basic, incident_response and advanced: statistics and default targets count by them"})
		}
	}
	return nil
}
