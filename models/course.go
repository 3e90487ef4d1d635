package models

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CourseSkill is a skill a course confers, at a level.
type CourseSkill struct {
	Skill string `json:"skill" example:"firewall-config"`
	Level int    `json:"level" example:"3" minimum:"1" maximum:"4"`
}

// Course is a training provider's course and the skills it confers. Evidence from a
// completion expires ValidityMonths after it; without validity it never does.
type Course struct {
	Code           string        `json:"code" example:"FW-201"`
	Title          string        `json:"title" example:"Next-generation firewall administration"`
	Description    string        `json:"description" example:"Three days of hands-on firewall policy design, change control and troubleshooting."`
	Provider       string        `json:"provider" example:"nhs-digital-academy"`
	ActivityIRI    string        `json:"activity_iri,omitempty" example:"https://academy.example.nhs.uk/xapi/courses/fw-201"`
	Framework      string        `json:"framework" example:"cyber"`
	Skills         []CourseSkill `json:"skills"`
	ValidityMonths *int          `json:"validity_months,omitempty" example:"36"`
	DurationHours  *float64      `json:"duration_hours,omitempty" example:"21"`
	Cost           *float64      `json:"cost,omitempty" example:"450"`
	RetiredAt      *time.Time    `json:"retired_at,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

var courseCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks a course as submitted (the provider is checked by whoever sets it).
func (c Course) Validate() error {
	var v Validator
	v.Check(courseCode.MatchString(c.Code), "code", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	v.Check(strings.TrimSpace(c.Title) != "" && len(c.Title) <= 300, "title", "is required (at most 300 characters)")
	v.Check(len(c.Description) <= 4000, "description", "must be at most 4000 characters")
	v.Check(c.Provider == "" || len(c.Provider) <= 200, "provider", "must be at most 200 characters")
	v.Check(c.ActivityIRI == "" || ValidIRI(c.ActivityIRI), "activity_iri", "must be an absolute IRI such as https://provider.example/courses/fw-201")
	v.Check(c.ValidityMonths == nil || (*c.ValidityMonths >= 1 && *c.ValidityMonths <= 600), "validity_months", "must be from 1 to 600, or null for evidence that never expires")
	v.Check(c.DurationHours == nil || (*c.DurationHours >= 0 && *c.DurationHours < 1e6), "duration_hours", "must be a number of hours, 0 or more")
	v.Check(c.Cost == nil || (*c.Cost >= 0 && *c.Cost < 1e10), "cost", "must be 0 or more")
	seen := map[string]bool{}
	for i, s := range c.Skills {
		f := "skills[" + strconv.Itoa(i) + "]"
		v.Check(s.Skill != "", f+".skill", "is required")
		v.Check(!seen[s.Skill], f+".skill", "is listed twice")
		seen[s.Skill] = true
		v.Check(s.Level >= 1 && s.Level <= MaxLevel, f+".level", "must be between 1 and 4")
	}
	return v.Err()
}

// ValidIRI is the best-effort IRI check that xAPI allows: an absolute reference with a
// scheme, no white space and at most 2000 characters.
func ValidIRI(s string) bool {
	if s == "" || len(s) > 2000 || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}
