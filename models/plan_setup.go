package models

import (
	"math"
	"sort"
)

// microUnits is the fixed-point scale of metric values: exact sums and comparisons.
const microUnits = 1e6

// maxMetric keeps a thousand maximal enrolments inside int64.
const maxMetric = int64(1e15)

// planProblem is the input reduced to items (what can be closed) and candidates (what
// closes them), with every slice in a deterministic order.
type planProblem struct {
	persons []planPerson
	courses []PlanCourse // sorted by code
	targets []planTarget
	items   []planItem
	cands   []planCand // sorted by person, then course: the tie-break order
	metric  PlanMetric
	budget  int64 // -1: none

	tableCells int // cap of the search's budget tables (tests vary it)

	covered []bool // scratch of evaluate
	holders []int
	touched []int
}

type planPerson struct {
	id    string
	items []int // the items some kept candidate closes
	cands []int // candidates kept after dominance pruning, in course order
}

type planTarget struct {
	PlanTarget
	deficit int
}

// planItem is a need (target < 0) or a person's becoming a holder of a target.
type planItem struct {
	person, target int
	skill          string
	level, depth   int
}

type planCand struct {
	person, course int
	items          []int // sorted
	metric         int64
}

func (it planItem) label() string {
	if it.target >= 0 {
		return "target:" + it.skill
	}
	return "need:" + it.skill
}

func newPlanProblem(in PlanInput) *planProblem {
	pp := &planProblem{budget: -1, tableCells: planAtLeastCells}
	pp.courses = append([]PlanCourse(nil), in.Courses...)
	sort.SliceStable(pp.courses, func(i, j int) bool { return pp.courses[i].Code < pp.courses[j].Code })
	byCode := map[string]int{}
	for i, c := range pp.courses {
		if _, dup := byCode[c.Code]; !dup {
			byCode[c.Code] = i
		}
	}
	people := append([]PlanPerson(nil), in.People...)
	sort.SliceStable(people, func(i, j int) bool { return people[i].ID < people[j].ID })
	base := make([]map[string]int, len(people))
	for p, person := range people {
		base[p] = map[string]int{}
		for s, l := range person.Levels {
			base[p][s] = l
		}
		for code, busy := range person.Busy {
			if ci, ok := byCode[code]; busy && ok {
				for s, l := range pp.courses[ci].Confers {
					base[p][s] = max(base[p][s], l)
				}
			}
		}
		pp.persons = append(pp.persons, planPerson{id: person.ID})
	}
	pp.addTargets(in.Targets, base)
	pp.addItems(people, base)
	pp.addCandidates(people, byCode)
	pp.chooseMetric(in.Budget)
	for p := range pp.persons {
		pp.pruneDominated(p)
	}
	return pp
}

// addTargets sorts the targets and measures each one's deficit after enrolments under way.
func (pp *planProblem) addTargets(targets []PlanTarget, base []map[string]int) {
	for _, t := range targets {
		holders := 0
		for p := range base {
			if base[p][t.Skill] >= t.MinLevel {
				holders++
			}
		}
		pp.targets = append(pp.targets, planTarget{t, max(0, t.MinHeadcount-holders)})
	}
	sort.SliceStable(pp.targets, func(i, j int) bool {
		a, b := pp.targets[i], pp.targets[j]
		if a.Skill != b.Skill {
			return a.Skill < b.Skill
		}
		if a.MinLevel != b.MinLevel {
			return a.MinLevel < b.MinLevel
		}
		return a.MinHeadcount < b.MinHeadcount
	})
}

// addItems lists every open need (one per skill, the highest level) and every person who
// could become a holder of a target in deficit.
func (pp *planProblem) addItems(people []PlanPerson, base []map[string]int) {
	for p, person := range people {
		need := map[string]int{}
		for _, n := range person.Needs {
			if n.Level > base[p][n.Skill] {
				need[n.Skill] = max(need[n.Skill], n.Level)
			}
		}
		skills := make([]string, 0, len(need))
		for s := range need {
			skills = append(skills, s)
		}
		sort.Strings(skills)
		for _, s := range skills {
			pp.items = append(pp.items, planItem{person: p, target: -1, skill: s, level: need[s], depth: need[s] - base[p][s]})
		}
		for t, tg := range pp.targets {
			if tg.deficit > 0 && base[p][tg.Skill] < tg.MinLevel {
				pp.items = append(pp.items, planItem{person: p, target: t, skill: tg.Skill, level: tg.MinLevel, depth: tg.MinLevel - base[p][tg.Skill]})
			}
		}
	}
}

// addCandidates pairs each person with every course not under way that closes one of
// their items.
func (pp *planProblem) addCandidates(people []PlanPerson, byCode map[string]int) {
	first := 0
	for p := range pp.persons {
		last := first
		for last < len(pp.items) && pp.items[last].person == p {
			last++
		}
		for c, course := range pp.courses {
			if byCode[course.Code] != c || people[p].Busy[course.Code] {
				continue
			}
			var closes []int
			for i := first; i < last; i++ {
				if course.Confers[pp.items[i].skill] >= pp.items[i].level {
					closes = append(closes, i)
				}
			}
			if len(closes) > 0 {
				pp.persons[p].cands = append(pp.persons[p].cands, len(pp.cands))
				pp.cands = append(pp.cands, planCand{person: p, course: c, items: closes})
			}
		}
		first = last
	}
}

// chooseMetric picks the metric from the courses that could be proposed and scales the
// candidates' values and the budget to fixed point.
func (pp *planProblem) chooseMetric(budget *float64) {
	allCost, allHours := true, true
	for _, c := range pp.cands {
		allCost = allCost && known(pp.courses[c.course].Cost)
		allHours = allHours && known(pp.courses[c.course].Hours)
	}
	pp.metric = PlanMetricEnrolments
	if allCost {
		pp.metric = PlanMetricCost
	} else if allHours {
		pp.metric = PlanMetricHours
	}
	for i := range pp.cands {
		pp.cands[i].metric = pp.metricOf(pp.courses[pp.cands[i].course])
	}
	if budget != nil && !math.IsInf(*budget, 1) {
		b := *budget
		if math.IsNaN(b) || b < 0 {
			b = 0
		}
		if pp.metric == PlanMetricEnrolments {
			pp.budget = int64(min(math.Floor(b), float64(maxMetric)))
		} else {
			pp.budget = toMicro(b)
		}
	}
}

func (pp *planProblem) metricOf(c PlanCourse) int64 {
	switch pp.metric {
	case PlanMetricCost:
		return toMicro(*c.Cost)
	case PlanMetricHours:
		return toMicro(*c.Hours)
	}
	return 1
}

// known reports whether v is a usable cost or duration.
func known(v *float64) bool {
	return v != nil && *v >= 0 && !math.IsInf(*v, 0) && !math.IsNaN(*v)
}

func toMicro(v float64) int64 {
	return int64(math.Round(min(v*microUnits, float64(maxMetric))))
}

// pruneDominated keeps the person's candidates that no other course of theirs beats:
// course b beats a when it closes a superset for strictly less, or the same items for the
// same and sorts first. Swapping a for b in any plan never makes it worse.
func (pp *planProblem) pruneDominated(p int) {
	mine := pp.persons[p].cands
	pp.persons[p].cands = nil
	inItems := map[int]bool{}
	var items []int
	for _, a := range mine {
		beaten := false
		for _, b := range mine {
			ca, cb := pp.cands[a], pp.cands[b]
			if a != b && subset(ca.items, cb.items) && (cb.metric < ca.metric ||
				cb.metric == ca.metric && len(cb.items) == len(ca.items) && b < a) {
				beaten = true
				break
			}
		}
		if !beaten {
			pp.persons[p].cands = append(pp.persons[p].cands, a)
			for _, it := range pp.cands[a].items {
				if !inItems[it] {
					inItems[it] = true
					items = append(items, it)
				}
			}
		}
	}
	sort.Ints(items)
	pp.persons[p].items = items
}

// subset reports whether sorted a is contained in sorted b.
func subset(a, b []int) bool {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
	}
	return true
}
