package models

import "time"

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	Organisation string // its code; entries for the organisation and its subtree
	TokenID      int64
	From, To     *time.Time
}

// CourseFilter narrows the catalogue.
type CourseFilter struct {
	Provider string // only this provider's courses
	Skill    string // only courses conferring this skill (by code)
	Q        string // search in code and title
}

// EnrolmentFilter narrows an enrolment list.
type EnrolmentFilter struct {
	Status EnrolmentStatus
	Course string
}

// EvidenceFilter narrows an evidence history.
type EvidenceFilter struct {
	Skill string
}

// OrganisationFilter narrows the organisation list.
type OrganisationFilter struct {
	Type   OrgType
	Parent string // code: its direct children
	Region string // region code: everything whose region it is
	Sector Sector
	Query  string // part of the name or code, any case
	Active *bool
}

// SkillFilter narrows a framework's skill list.
type SkillFilter struct {
	Tier          Tier   // one of the framework's tiers
	Area          string // an area code: skills in it or in any area below it
	Query         string // text searched in code, name and description
	Status        SkillStatus
	StatementType StatementType
}

// StaffFilter narrows a staff list.
type StaffFilter struct {
	Role   string
	Status StaffStatus
	Q      string // search in external id and display name
}

// TokenFilter narrows the token list.
type TokenFilter struct {
	Role           Role
	IncludeRevoked bool
}

// StatisticsFilter chooses the organisations national statistics are over; answers
// repeat it, with the filters not given left out.
type StatisticsFilter struct {
	Type     string `json:"type" enums:"region,icb,trust,department,practice,other" example:"trust"` // organisation type; default trust
	Region   string `json:"region,omitempty" example:"Y56"`                                          // region code
	ICB      string `json:"icb,omitempty" example:"QKK"`                                             // ICB code
	Sector   string `json:"sector,omitempty" example:"acute"`
	SizeBand string `json:"size_band,omitempty" enums:"micro,small,medium,large,very_large" example:"large"`
}
