package models

import (
	"maps"
	"math"
	"slices"
	"time"
)

// ProjReq is what a person's role requires of one skill.
type ProjReq struct {
	Level     int
	Essential bool
}

// ProjectedEvidence is a piece of verified evidence in force at the start.
type ProjectedEvidence struct {
	Level     int
	ExpiresAt *time.Time // nil: never expires
}

// ProjectedEnrolment is an enrolment expected to complete.
type ProjectedEnrolment struct {
	Completes      time.Time
	PassRate       float64        // probability of passing, 0-1
	Confers        map[string]int // skill -> level a pass confers
	ValidityMonths int            // months a pass stays in force; 0: never expires
}

// ProjectedPerson is a member of staff, or a post to be filled, over the horizon.
type ProjectedPerson struct {
	ID           string
	Organisation string     // the organisation's code: which unit of a roll-up counts them
	StartDate    *time.Time // counts from this moment (new posts, untrained unless stated); nil: in post
	EndDate      *time.Time // stops counting from this moment; nil: stays
	Requirements map[string]ProjReq
	Evidence     map[string][]ProjectedEvidence // skill -> verified evidence in force at the start
	Enrolments   []ProjectedEnrolment
}

// ProjectionInput is everything Project reads.
type ProjectionInput struct {
	Start   time.Time
	Months  int
	People  []ProjectedPerson
	Targets map[string]Target // skill -> capability target
	// Coverage holds, per skill, the contracts that buy it in; a skill is covered while
	// any of them runs, so a scenario's new contract adds to the one in force rather
	// than replacing it in the months before it starts.
	Coverage map[string][]ExternalCoverage
	// Base counts people without listing them (the maintained history's sums, by their
	// dates and verified evidence): per organisation and skill, the counts at row 0 and
	// their changes by each later row's moment. A region's quarter of a million people
	// are a few hundred thousand such rows rather than millions of records.
	Base []BaseCounts
	// InBase are people Base counts whom People projects instead (an open enrolment, a
	// start still to come, a leaver whose dates run on, a person a scenario names): each is
	// taken out of the figures as Base counts them, by their dates and evidence alone.
	InBase []ProjectedPerson
}

// BaseCounts are the counts (or, after row 0, the change of the counts) of the people of
// one organisation in one skill, as maintained, at one row of a projection.
type BaseCounts struct {
	Organisation string
	Row          int
	Skill        string
	Counts       SkillCounts
}

// ProjectedSkillMonth is the projected position of one skill at the end of one month.
// Figures are expected numbers of people; Gap applies the rounding rule of Project.
type ProjectedSkillMonth struct {
	Month              time.Time `json:"month" example:"2026-04-01T00:00:00Z"` // first day of the month
	At                 time.Time `json:"at" example:"2026-04-30T23:59:59.999999999Z"`
	Skill              string    `json:"skill" example:"firewall-config"`
	Demand             float64   `json:"demand" example:"4"`
	Supply             float64   `json:"supply" example:"2.75"`
	Shortfall          float64   `json:"shortfall" example:"1.25"`
	EssentialDemand    float64   `json:"essential_demand" example:"3"`
	EssentialShortfall float64   `json:"essential_shortfall" example:"0.25"`
	Target             *Target   `json:"target,omitempty"`
	TargetHolders      float64   `json:"target_holders" example:"1.5"`
	CoveredExternally  bool      `json:"covered_externally" example:"false"`
	Gap                bool      `json:"gap" example:"false"`
	// OrganisationsWithGap counts the organisations below with a gap in the skill that
	// month, each judged on its own subtree (include_descendants only).
	OrganisationsWithGap *int `json:"organisations_with_gap,omitempty" example:"2"`
}

// Project forecasts demand, supply and gaps per skill, month by month.
//
// Row 0 is the position at Start; row m (1..Months) is the calendar month m months after
// Start's, evaluated at its last instant. At that moment:
//
//   - a person counts when they have started (StartDate at or before it; new posts count
//     from the month they are filled, untrained unless evidence says otherwise) and not
//     left (EndDate after it), so a leaver stops counting in the month they leave;
//   - evidence counts while it has not expired (ExpiresAt after the moment);
//   - an enrolment counts once completed and, with ValidityMonths, until its pass
//     expires that many months after completion; it passes with probability PassRate,
//     independently of the others.
//
// A person therefore holds a level L with probability 1 when evidence in force reaches
// L, and otherwise 1 - the product of (1 - pass rate) over the counting enrolments that
// confer L or more: two enrolments at 0.5 give 0.75. Demand is the number of counted
// people requiring the skill; Supply the expected number of them at the required level;
// Shortfall = Demand - Supply; the essential figures restrict both to essential
// requirements; TargetHolders is the expected number of counted people, whatever their
// role, at the target's level.
//
// Gap rule: expected figures are rounded to the nearest whole person (halves up), and a
// month has a gap when the rounded essential shortfall is above zero or the rounded
// target holders are below the target's headcount, unless an external provider covers
// the skill at that moment (ExternalCoverage.ActiveOn).
//
// Rows come ordered by month, then skill: every skill any person requires or any target
// names, each month.
func Project(in ProjectionInput) []ProjectedSkillMonth {
	pr := newProjection(in, "", nil)
	return pr.rows(pr.rootGrid(), false)
}

// finish rounds the figures and applies the gap rule.
func (r *ProjectedSkillMonth) finish(coverage map[string][]ExternalCoverage) {
	r.Supply = round6(r.Supply)
	r.Shortfall = round6(r.Demand - r.Supply)
	r.EssentialShortfall = round6(r.EssentialShortfall)
	r.TargetHolders = round6(r.TargetHolders)
	r.CoveredExternally = slices.ContainsFunc(coverage[r.Skill], func(c ExternalCoverage) bool { return c.ActiveOn(r.At) })
	short := wholePersons(r.EssentialShortfall) > 0
	if r.Target != nil && wholePersons(r.TargetHolders) < r.Target.MinHeadcount {
		short = true
	}
	r.Gap = short && !r.CoveredExternally
}

// projectionMonth returns the label (first day) and the evaluation moment of row m.
func projectionMonth(start time.Time, m int) (time.Time, time.Time) {
	first := time.Date(start.Year(), start.Month()+time.Month(m), 1, 0, 0, 0, 0, start.Location())
	if m == 0 {
		return first, start
	}
	return first, first.AddDate(0, 1, 0).Add(-time.Nanosecond)
}

func (p ProjectedPerson) countsAt(at time.Time) bool {
	return (p.StartDate == nil || !p.StartDate.After(at)) && (p.EndDate == nil || p.EndDate.After(at))
}

// holdsAtLeast is the probability that p holds skill at level or above at moment at.
func (p ProjectedPerson) holdsAtLeast(skill string, level int, at time.Time) float64 {
	if level <= 0 {
		return 1
	}
	for _, e := range p.Evidence[skill] {
		if e.Level >= level && (e.ExpiresAt == nil || e.ExpiresAt.After(at)) {
			return 1
		}
	}
	fail := 1.0
	for _, e := range p.Enrolments {
		if e.Confers[skill] >= level && e.inForce(at) {
			fail *= 1 - min(max(e.PassRate, 0), 1)
		}
	}
	return 1 - fail
}

// inForce reports whether a pass of e counts at moment at: completed, not yet expired.
func (e ProjectedEnrolment) inForce(at time.Time) bool {
	if e.Completes.After(at) {
		return false
	}
	return e.ValidityMonths <= 0 || e.Completes.AddDate(0, e.ValidityMonths, 0).After(at)
}

// wholePersons rounds an expected number of people to the nearest whole person, halves
// up; the figure is first rounded to a millionth so that float noise cannot tip it.
func wholePersons(x float64) int {
	return int(math.Round(round6(x)))
}

func round6(x float64) float64 {
	return math.Round(x*1e6) / 1e6
}

// projectionSkills lists every skill a person requires (a listed one, or one Base counts)
// or a target names, sorted.
func projectionSkills(in ProjectionInput) []string {
	seen := map[string]bool{}
	for _, b := range in.Base {
		if b.Counts.Demand != 0 {
			seen[b.Skill] = true
		}
	}
	for _, p := range in.People {
		for s := range p.Requirements {
			seen[s] = true
		}
	}
	for s := range in.Targets {
		seen[s] = true
	}
	return slices.Sorted(maps.Keys(seen))
}
