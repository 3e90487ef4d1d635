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

// CompletionRule is what an xAPI statement must say for a course to confer its evidence
// (the moveOn criteria of cmi5): a completion, a pass, both (in one statement, or in two
// of one registration), either, or cmi5's satisfied. A failure never confers.
type CompletionRule string

const (
	RuleCompleted          CompletionRule = "completed"
	RulePassed             CompletionRule = "passed"
	RuleCompletedAndPassed CompletionRule = "completed_and_passed"
	RuleCompletedOrPassed  CompletionRule = "completed_or_passed"
	RuleSatisfied          CompletionRule = "satisfied"
)

// OrDefault is r, or completed_or_passed (a course's rule unless it states one) when r is
// empty. (A function, not a constant: the API documentation generator would list a
// second constant of the type as an enum member.)
func (r CompletionRule) OrDefault() CompletionRule {
	if r == "" {
		return RuleCompletedOrPassed
	}
	return r
}

// Valid reports whether r is a known rule.
func (r CompletionRule) Valid() bool {
	switch r {
	case RuleCompleted, RulePassed, RuleCompletedAndPassed, RuleCompletedOrPassed, RuleSatisfied:
		return true
	}
	return false
}

// MaxCourseActivities bounds the activity IRIs and prefixes of one course.
const MaxCourseActivities = 1000

// Course is a training provider's course and the skills it confers. Evidence from a
// completion expires ValidityMonths after it; without validity it never does. xAPI
// statements find a course by its activities: ActivityIRI is the course itself (a
// statement's object), ActivityIRIs the activities that stand for it (its quizzes, its
// cmi5 AUs: a statement's object, parent or grouping), ActivityIRIPrefixes any activity
// whose IRI starts so, wherever it appears.
type Course struct {
	Code                string         `json:"code" example:"FW-201"`
	Title               string         `json:"title" example:"Next-generation firewall administration"`
	Description         string         `json:"description" example:"Three days of hands-on firewall policy design, change control and troubleshooting."`
	Provider            string         `json:"provider" example:"nhs-digital-academy"`
	ActivityIRI         string         `json:"activity_iri,omitempty" example:"https://academy.example.nhs.uk/xapi/courses/fw-201"`
	ActivityIRIs        []string       `json:"activity_iris" example:"https://moodle.example.nhs.uk/mod/quiz/view.php?id=42"`
	ActivityIRIPrefixes []string       `json:"activity_iri_prefixes" example:"https://academy.example.nhs.uk/xapi/courses/fw-201/"`
	CompletionRule      CompletionRule `json:"completion_rule" enums:"completed,passed,completed_and_passed,completed_or_passed,satisfied" example:"completed_or_passed"`
	Framework           string         `json:"framework" example:"cyber"`
	Skills              []CourseSkill  `json:"skills"`
	ValidityMonths      *int           `json:"validity_months,omitempty" example:"36"`
	DurationHours       *float64       `json:"duration_hours,omitempty" example:"21"`
	Cost                *float64       `json:"cost,omitempty" example:"450"`
	RetiredAt           *time.Time     `json:"retired_at,omitempty"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
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
	checkIRIList(&v, "activity_iris", c.ActivityIRIs)
	for i, iri := range c.ActivityIRIs {
		v.Check(iri != c.ActivityIRI, "activity_iris["+strconv.Itoa(i)+"]", "is the course's activity_iri already")
	}
	checkIRIList(&v, "activity_iri_prefixes", c.ActivityIRIPrefixes)
	v.Check(c.CompletionRule == "" || c.CompletionRule.Valid(), "completion_rule", "must be one of completed, passed, completed_and_passed, completed_or_passed, satisfied")
	v.Check(c.ValidityMonths == nil || (*c.ValidityMonths >= 1 && *c.ValidityMonths <= 600), "validity_months", "must be from 1 to 600, or null for evidence that never expires")
	v.Check(c.DurationHours == nil || (*c.DurationHours >= 0 && *c.DurationHours < 1e6), "duration_hours", "must be a number of hours, 0 or more")
	v.Check(c.Cost == nil || (*c.Cost >= 0 && *c.Cost < 1e10), "cost", "must be 0 or more")
	seen := map[string]bool{}
	for i, s := range c.Skills {
		f := "skills[" + strconv.Itoa(i) + "]"
		v.CheckKey(seen, s.Skill, f+".skill")
		v.Check(s.Level >= 1 && s.Level <= MaxLevel, f+".level", "must be between 1 and 4")
	}
	return v.Err()
}

// checkIRIList checks a course's list of activity IRIs or prefixes: absolute IRIs, each
// once, at most MaxCourseActivities.
func checkIRIList(v *Validator, field string, iris []string) {
	v.Check(len(iris) <= MaxCourseActivities, field, "must hold at most "+strconv.Itoa(MaxCourseActivities)+" IRIs")
	seen := map[string]bool{}
	for i, iri := range iris {
		f := field + "[" + strconv.Itoa(i) + "]"
		v.Check(ValidIRI(iri), f, "must be an absolute IRI such as https://provider.example/courses/fw-201")
		v.CheckOnce(seen, iri, f)
	}
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
