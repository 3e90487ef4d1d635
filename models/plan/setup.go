package plan

import (
	"math"
	"sort"
)

// microUnits is the fixed-point scale of metric values: exact sums and comparisons.
const microUnits = 1e6

// maxMetric keeps a thousand maximal enrolments inside int64.
const maxMetric = int64(1e15)

// problem is the input reduced to items (what can be closed) and candidates (what
// closes them), with every slice in a deterministic order.
type problem struct {
	persons []personOptions
	courses []Course // sorted by code
	targets []target
	items   []item
	cands   []candidate // sorted by person, then course: the tie-break order
	metric  Metric
	budget  int64 // -1: none

	tableCells int // cap of the search's budget tables (tests vary it)

	covered []bool // scratch of evaluate
	holders []int
	touched []int
}

type personOptions struct {
	id    string
	items []int // the items some kept candidate closes
	cands []int // candidates kept after dominance pruning, in course order
}

type target struct {
	Target
	deficit int
}

// item is a need (target < 0) or a person's becoming a holder of a target.
type item struct {
	person, target int
	skill          string
	level, depth   int
}

type candidate struct {
	person, course int
	items          []int // sorted
	metric         int64
}

func (it item) label() string {
	if it.target >= 0 {
		return "target:" + it.skill
	}
	return "need:" + it.skill
}

func newPlanProblem(in Input) *problem {
	pp := &problem{budget: -1, tableCells: atLeastCells}
	pp.courses = append([]Course(nil), in.Courses...)
	sort.SliceStable(pp.courses, func(i, j int) bool { return pp.courses[i].Code < pp.courses[j].Code })
	byCode := map[string]int{}
	for i, c := range pp.courses {
		if _, dup := byCode[c.Code]; !dup {
			byCode[c.Code] = i
		}
	}
	people := append([]Person(nil), in.People...)
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
		pp.persons = append(pp.persons, personOptions{id: person.ID})
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
func (pp *problem) addTargets(targets []Target, base []map[string]int) {
	for _, t := range targets {
		holders := 0
		for p := range base {
			if base[p][t.Skill] >= t.MinLevel {
				holders++
			}
		}
		pp.targets = append(pp.targets, target{t, max(0, t.MinHeadcount-holders)})
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
func (pp *problem) addItems(people []Person, base []map[string]int) {
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
			pp.items = append(pp.items, item{person: p, target: -1, skill: s, level: need[s], depth: need[s] - base[p][s]})
		}
		for t, tg := range pp.targets {
			if tg.deficit > 0 && base[p][tg.Skill] < tg.MinLevel {
				pp.items = append(pp.items, item{person: p, target: t, skill: tg.Skill, level: tg.MinLevel, depth: tg.MinLevel - base[p][tg.Skill]})
			}
		}
	}
}

// addCandidates pairs each person with every course not under way that closes one of
// their items.
func (pp *problem) addCandidates(people []Person, byCode map[string]int) {
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
				pp.cands = append(pp.cands, candidate{person: p, course: c, items: closes})
			}
		}
		first = last
	}
}

// chooseMetric picks the metric from the courses that could be proposed and scales the
// candidates' values and the budget to fixed point.
func (pp *problem) chooseMetric(budget *float64) {
	allCost, allHours := true, true
	for _, c := range pp.cands {
		allCost = allCost && known(pp.courses[c.course].Cost)
		allHours = allHours && known(pp.courses[c.course].Hours)
	}
	pp.metric = MetricEnrolments
	if allCost {
		pp.metric = MetricCost
	} else if allHours {
		pp.metric = MetricHours
	}
	for i := range pp.cands {
		pp.cands[i].metric = pp.metricOf(pp.courses[pp.cands[i].course])
	}
	if budget != nil && !math.IsInf(*budget, 1) {
		b := *budget
		if math.IsNaN(b) || b < 0 {
			b = 0
		}
		if pp.metric == MetricEnrolments {
			pp.budget = int64(min(math.Floor(b), float64(maxMetric)))
		} else {
			pp.budget = toMicro(b)
		}
	}
}

func (pp *problem) metricOf(c Course) int64 {
	switch pp.metric {
	case MetricCost:
		return toMicro(*c.Cost)
	case MetricHours:
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
func (pp *problem) pruneDominated(p int) {
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
