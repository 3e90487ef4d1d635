package models

import (
	"net/mail"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Requirement is one skill a job role needs, at a level, essential or desirable.
type Requirement struct {
	Skill string `json:"skill" example:"firewall-config"`
	// Framework is the skill's framework when it is not the role's: a role may require
	// skills of several frameworks.
	Framework   string      `json:"framework,omitempty" example:""`
	Level       int         `json:"level" example:"3" minimum:"1" maximum:"4"`
	Criticality Criticality `json:"criticality" enums:"essential,desirable" example:"essential"`
}

// JobRole is a post's skill needs. A role without organisation is a global template.
type JobRole struct {
	Code         string        `json:"code" example:"network-engineer"`
	Title        string        `json:"title" example:"Infrastructure and network engineer"`
	Description  string        `json:"description" example:"Builds and runs the trust's networks, firewalls and servers."`
	NiceRoleID   string        `json:"nice_role_id,omitempty" example:"IO-WRL-004"`
	Framework    string        `json:"framework" example:"cyber"`
	Organisation string        `json:"organisation,omitempty" example:"RJ1"` // empty for a global template
	Requirements []Requirement `json:"requirements"`
}

var roleCode = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Validate checks a role as submitted.
func (r JobRole) Validate() error {
	var v Validator
	v.Check(roleCode.MatchString(r.Code), "code", "must be 1-64 lower-case letters, digits, '.', '_' or '-'")
	v.Check(strings.TrimSpace(r.Title) != "" && len(r.Title) <= 200, "title", "is required (at most 200 characters)")
	v.Check(len(r.Description) <= 4000, "description", "must be at most 4000 characters")
	seen := map[string]bool{}
	for i, q := range r.Requirements {
		f := "requirements[" + strconv.Itoa(i) + "]"
		v.Check(q.Skill != "", f+".skill", "is required")
		key := q.Skill
		if q.Framework != "" && q.Framework != r.Framework {
			key = q.Framework + "/" + q.Skill
		}
		v.CheckOnce(seen, key, f+".skill")
		v.Check(q.Level >= 1 && q.Level <= MaxLevel, f+".level", "must be between 1 and 4")
		v.Check(q.Criticality.Valid(), f+".criticality", "must be essential or desirable")
	}
	return v.Err()
}

// StaffStatus is whether a person still works for the organisation.
type StaffStatus string

// Staff statuses.
const (
	StaffActive StaffStatus = "active"
	StaffLeaver StaffStatus = "leaver"
)

// Valid reports whether s is a known status.
func (s StaffStatus) Valid() bool { return s == StaffActive || s == StaffLeaver }

// Staff is one member of an organisation's workforce, with the minimum of personal data.
type Staff struct {
	Organisation string      `json:"organisation" example:"RJ1"`
	ExternalID   string      `json:"external_id" example:"E10234"`
	Role         string      `json:"role,omitempty" example:"network-engineer"`
	DisplayName  string      `json:"display_name,omitempty" example:"A. Patel"`
	Email        string      `json:"email,omitempty" example:"a.patel@nhs.net"`
	FTE          float64     `json:"fte" example:"1"`
	Status       StaffStatus `json:"status" enums:"active,leaver" example:"active"`
	StartDate    *Date       `json:"start_date,omitempty" swaggertype:"string" format:"date" example:"2021-04-01"`
	EndDate      *Date       `json:"end_date,omitempty" swaggertype:"string" format:"date" example:"2027-03-31"`
	Erased       bool        `json:"erased,omitempty"`
}

// ErasedPrefix begins the pseudonym of an erased person's record (erased-N, N its row
// id). New records may not take such an id: erasure needs it, and it names nobody.
const ErasedPrefix = "erased-"

// ReservedExternalID reports whether id is one only erasure gives.
func ReservedExternalID(id string) bool { return strings.HasPrefix(id, ErasedPrefix) }

var externalID = regexp.MustCompile(`^[^\s/?#%\\]{1,100}$`)

// ValidExternalID reports whether s can identify a person: 1-100 characters without
// spaces, '/', '?', '#', '%' or '\', that name it in a URL path as they are (not "." or
// "..", which path cleaning would remove, leaving the person unaddressable and the
// request aimed at their organisation instead).
func ValidExternalID(s string) bool { return externalID.MatchString(s) && KeptInPath(s) }

// KeptInPath reports whether s, as one segment of a URL path, survives path cleaning
// unchanged: routers resolve "." and ".." segments (and empty ones) before routing.
func KeptInPath(s string) bool {
	return s != "" && !strings.Contains(s, "/") && path.Clean("/"+s) == "/"+s
}

// Validate checks a staff record as submitted; field names are prefixed with prefix
// (e.g. "" for a single record, "line 12: " in an import).
func (s Staff) Validate() error {
	var v Validator
	s.check(&v, "")
	return v.Err()
}

func (s Staff) check(v *Validator, prefix string) {
	v.Check(ValidExternalID(s.ExternalID), prefix+"external_id", "is required: 1-100 characters without spaces, '/', '?', '#', '%' or '\\', and not '.' or '..'")
	v.Check(s.Role == "" || roleCode.MatchString(s.Role), prefix+"role", "must be a role code")
	v.Check(len(s.DisplayName) <= 200, prefix+"display_name", "must be at most 200 characters")
	if s.Email != "" {
		a, err := mail.ParseAddress(s.Email)
		v.Check(err == nil && a.Address == s.Email && len(s.Email) <= 254, prefix+"email", "must be a plain e-mail address")
	}
	v.Check(s.FTE > 0 && s.FTE <= 2, prefix+"fte", "must be more than 0 and at most 2")
	v.Check(s.Status.Valid(), prefix+"status", "must be active or leaver")
	v.Check(s.StartDate == nil || s.EndDate == nil || !s.EndDate.Before(*s.StartDate), prefix+"end_date", "must not be before start_date")
}

// CheckInto validates s, adding its field errors to v under prefix.
func (s Staff) CheckInto(v *Validator, prefix string) { s.check(v, prefix) }

func itoa(n int) string { return strconv.Itoa(n) }
