package models

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// ScenarioChange is one hypothetical change to an organisation's workforce, evaluated
// against the projection without storing anything.
type ScenarioChange struct {
	// Type is enrol (put a person on a course), hire (add people in a role), leaver (a
	// person leaves) or outsource (buy a skill in from a provider).
	Type string `json:"type" enums:"enrol,hire,leaver,outsource" example:"enrol"`
	// Organisation of the person or the new posts; default: the organisation evaluated.
	Organisation    string `json:"organisation,omitempty" example:"RJ1"`
	StaffExternalID string `json:"staff_external_id,omitempty" example:"E10234"` // enrol, leaver
	Course          string `json:"course,omitempty" example:"FW-201"`            // enrol
	Role            string `json:"role,omitempty" example:"network-engineer"`    // hire
	Count           int    `json:"count,omitempty" example:"2"`                  // hire
	// Levels the new staff arrive with, per skill (hire); skills left out start untrained.
	Levels   map[string]int `json:"levels,omitempty"`
	Skill    string         `json:"skill,omitempty" example:"security-monitoring"` // outsource
	Provider string         `json:"provider,omitempty" example:"Regional SOC"`     // outsource
	// From is the month the change takes effect (2027-03): the course completes, the posts
	// are filled, the person leaves, the contract starts. Default: next month.
	From string `json:"from,omitempty" example:"2027-03"`
	// Until is the month an outsourcing contract ends (exclusive); default: never.
	Until string `json:"until,omitempty" example:"2028-04"`
}

// ScenarioCourse is what applying an enrolment needs to know of a course.
type ScenarioCourse struct {
	Confers        map[string]int
	ValidityMonths int
	PassRate       float64
}

// ScenarioWorld is what changes are resolved against: the people of the projection by
// key (organisation/external id), courses and role requirements by code.
type ScenarioWorld struct {
	Organisation string
	Courses      map[string]ScenarioCourse
	Roles        map[string]map[string]ProjReq // "organisation/role code" -> requirements
}

// PersonKey identifies a person across an organisation's subtree.
func PersonKey(organisation, externalID string) string { return organisation + "/" + externalID }

// monthStart reads 2027-03 as the first instant of that month; empty means the month after start.
func monthStart(s string, start time.Time) (time.Time, error) {
	if s == "" {
		y, m, _ := start.Date()
		return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil || !InTimeRange(t) {
		return time.Time{}, fmt.Errorf("must be a month like 2027-03, %s", TimeRange)
	}
	return t, nil
}

// ApplyScenario returns a copy of in with the changes applied, or the field errors of the
// changes that cannot be (an unknown person, course, role or skill, a bad month).
func ApplyScenario(in ProjectionInput, world ScenarioWorld, changes []ScenarioChange) (ProjectionInput, error) {
	out := in
	out.People = slices.Clone(in.People)
	out.Coverage = maps.Clone(in.Coverage)
	if out.Coverage == nil {
		out.Coverage = map[string][]ExternalCoverage{}
	}
	index := map[string]int{}
	for i, p := range out.People {
		index[p.ID] = i
	}
	var v Validator
	for i, c := range changes {
		f := "changes[" + strconv.Itoa(i) + "]"
		from, err := monthStart(c.From, in.Start)
		if err != nil {
			v.Add(f+".from", err.Error())
			continue
		}
		org := c.Organisation
		if org == "" {
			org = world.Organisation
		}
		switch c.Type {
		case "enrol":
			pi, ok := index[PersonKey(org, c.StaffExternalID)]
			course, known := world.Courses[c.Course]
			v.Check(ok, f+".staff_external_id", "no active staff with this id in the organisation")
			v.Check(known, f+".course", "no current course with this code")
			if ok && known {
				p := out.People[pi]
				p.Enrolments = append(slices.Clone(p.Enrolments), ProjectedEnrolment{
					Completes: from, PassRate: course.PassRate, Confers: course.Confers, ValidityMonths: course.ValidityMonths})
				out.People[pi] = p
			}
		case "hire":
			reqs, ok := world.Roles[org+"/"+c.Role]
			v.Check(ok, f+".role", "no role with this code for the organisation")
			v.Check(c.Count >= 1 && c.Count <= 1000, f+".count", "must be from 1 to 1000")
			evidence := map[string][]ProjectedEvidence{}
			for _, skill := range slices.Sorted(maps.Keys(c.Levels)) {
				level := c.Levels[skill]
				_, required := reqs[skill]
				_, targeted := in.Targets[skill]
				v.Check(required || targeted, f+".levels."+skill, "is neither required of the role nor a target of the organisation")
				v.Check(level >= 1 && level <= MaxLevel, f+".levels."+skill, "must be from 1 to 4")
				evidence[skill] = []ProjectedEvidence{{Level: level}}
			}
			if ok && c.Count >= 1 && c.Count <= 1000 {
				start := from
				for n := 0; n < c.Count; n++ {
					out.People = append(out.People, ProjectedPerson{ID: fmt.Sprintf("hire:%d:%d", i, n), StartDate: &start,
						Requirements: reqs, Evidence: evidence})
				}
			}
		case "leaver":
			pi, ok := index[PersonKey(org, c.StaffExternalID)]
			v.Check(ok, f+".staff_external_id", "no active staff with this id in the organisation")
			if ok {
				p := out.People[pi]
				end := from
				if p.EndDate == nil || end.Before(*p.EndDate) {
					p.EndDate = &end
				}
				out.People[pi] = p
			}
		case "outsource":
			v.Check(c.Skill != "", f+".skill", "is required")
			v.Check(c.Provider != "", f+".provider", "is required")
			var until *time.Time
			if c.Until != "" {
				u, err := monthStart(c.Until, in.Start)
				v.Check(err == nil && u.After(from), f+".until", "must be a month after from")
				until = &u
			}
			if c.Skill != "" && c.Provider != "" {
				// Beside the contracts in force: they keep covering the months before this one starts.
				out.Coverage[c.Skill] = append(slices.Clone(out.Coverage[c.Skill]),
					ExternalCoverage{Provider: c.Provider, ContractEnd: until, ContractStart: &from})
			}
		default:
			v.Add(f+".type", "must be enrol, hire, leaver or outsource")
		}
	}
	return out, v.Err()
}

// SavedScenario is a stored what-if.
type SavedScenario struct {
	ID               int64            `json:"id" example:"7"`
	Organisation     string           `json:"organisation" example:"RJ1"`
	Name             string           `json:"name" example:"Outsource monitoring, train two engineers"`
	Description      string           `json:"description,omitempty"`
	Months           int              `json:"months" example:"12"`
	IncludeVacancies bool             `json:"include_vacancies"`
	Changes          []ScenarioChange `json:"changes"`
	CreatedAt        time.Time        `json:"created_at"`
}
