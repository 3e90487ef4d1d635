package models

import "time"

// Competencies is a person's current levels.
type Competencies struct {
	Organisation string       `json:"organisation" example:"RJ1"`
	ExternalID   string       `json:"external_id" example:"E10234"`
	At           time.Time    `json:"at"`
	Items        []Competency `json:"items"`
}

// TargetsList is the capability targets in force.
type TargetsList struct {
	Organisation string        `json:"organisation" example:"RJ1"`
	Targets      []SkillTarget `json:"targets"`
}

// CoverageList is the external coverage declared.
type CoverageList struct {
	Organisation string          `json:"organisation" example:"RJ1"`
	Coverage     []SkillCoverage `json:"coverage"`
}

// Establishment is an organisation's funded posts.
type Establishment struct {
	Organisation string               `json:"organisation" example:"RJ1"`
	Entries      []EstablishmentEntry `json:"entries"`
}
