package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// provider is the demo's training provider.
const provider = "nhs-digital-academy"

// course is one of the provider's courses, as it sends it.
type course struct {
	Code           string        `json:"-"`
	Title          string        `json:"title"`
	ActivityIRI    string        `json:"activity_iri"`
	Skills         []courseSkill `json:"skills"`
	ValidityMonths int           `json:"validity_months"`
	DurationHours  float64       `json:"duration_hours"`
	Cost           float64       `json:"cost"`
}

type courseSkill struct {
	Skill string `json:"skill"`
	Level int    `json:"level"`
}

// courses is the provider's catalogue: something for most needs, from an hour of data
// security awareness to a week of security operations.
var courses = []course{
	newCourse("DS-101", "Data security awareness", 12, 1.5, 25, courseSkill{"secure-data", 1}, courseSkill{"malware-protection", 1}),
	newCourse("IR-101", "Spotting and reporting a cyber incident", 24, 3, 60, courseSkill{"incident-detection", 2}),
	newCourse("FW-201", "Next-generation firewall administration", 36, 21, 450, courseSkill{"firewall-config", 3}, courseSkill{"secure-configuration", 2}),
	newCourse("SYS-301", "Secure systems administration", 36, 28, 650, courseSkill{"secure-configuration", 3}, courseSkill{"patch-management", 3}, courseSkill{"access-control", 3}),
	newCourse("BK-201", "Backup and recovery in practice", 36, 14, 300, courseSkill{"backup-recovery", 3}),
	newCourse("SOC-301", "Security operations", 24, 35, 1200, courseSkill{"security-monitoring", 3}, courseSkill{"incident-detection", 3}, courseSkill{"malware-protection", 3}),
	newCourse("IM-301", "Managing cyber incidents", 24, 14, 400, courseSkill{"incident-management", 3}),
	newCourse("IG-401", "Data protection leadership", 36, 21, 800, courseSkill{"secure-data", 4}, courseSkill{"incident-management", 3}),
}

func newCourse(code, title string, validity int, hours, cost float64, skills ...courseSkill) course {
	return course{Code: code, Title: title, ActivityIRI: "https://academy.example.nhs.uk/xapi/courses/" + code,
		Skills: skills, ValidityMonths: validity, DurationHours: hours, Cost: cost}
}

// courseFor is the first course that lifts skill to level, if any.
func courseFor(skill string, level int) (course, bool) {
	for _, c := range courses {
		for _, s := range c.Skills {
			if s.Skill == skill && s.Level >= level {
				return c, true
			}
		}
	}
	return course{}, false
}

// completion and enrolment are what the provider posts.
type completion struct {
	ID           string  `json:"completion_id"`
	Organisation string  `json:"organisation"`
	Staff        string  `json:"staff_external_id"`
	Course       string  `json:"course"`
	CompletedAt  string  `json:"completed_at"`
	Passed       bool    `json:"passed"`
	Score        float64 `json:"score"`
}

type enrolment struct {
	Staff              string `json:"staff_external_id"`
	Course             string `json:"course"`
	EnrolledAt         string `json:"enrolled_at"`
	ExpectedCompletion string `json:"expected_completion"`
	org                string
}

// trainingOf decides, for each unmet requirement a course covers, whether the person
// has done the course (four in five pass) or is enrolled on it, completing in the next
// five months: the pipeline projections count. The skills the person is kept short in
// (see design) are left alone.
func trainingOf(p person, reqs []requirement, held map[string]int, short map[string]bool, rng *rand.Rand, now time.Time) (done []completion, booked []enrolment) {
	taken := map[string]bool{}
	for _, r := range reqs {
		c, ok := courseFor(r.Skill, r.Level)
		if !ok || held[r.Skill] >= r.Level || taken[c.Code] || short[r.Skill] {
			continue
		}
		switch x := rng.Float64(); {
		case x < 0.25:
			taken[c.Code] = true
			passed := rng.IntN(5) != 0
			score := 45 + float64(rng.IntN(20))
			if passed {
				score = 70 + float64(rng.IntN(30))
			}
			at := now.AddDate(0, 0, -10-rng.IntN(300)).Truncate(time.Hour)
			done = append(done, completion{ID: fmt.Sprintf("DEMO-%s-%s-%s", p.org, p.id, c.Code), Organisation: p.org, Staff: p.id,
				Course: c.Code, CompletedAt: at.Format(time.RFC3339), Passed: passed, Score: score})
		case x < 0.4:
			taken[c.Code] = true
			booked = append(booked, enrolment{Staff: p.id, Course: c.Code, org: p.org,
				EnrolledAt:         daysAgo(now, 1+rng.IntN(30)).Format(time.DateOnly),
				ExpectedCompletion: now.AddDate(0, 0, 20+rng.IntN(130)).Format(time.DateOnly)})
		}
	}
	return done, booked
}
