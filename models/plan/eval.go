package plan

import (
	"cmp"
	"slices"
)

// price is what a plan spends, compared lexicographically: objectives (2) and (3).
// Every component adds up over persons, which the search's bounds rely on.
type price struct {
	metric int64 // fixed-point total of the metric
	count  int   // enrolments
	depth  int   // levels lacking before training, over the items closed
}

func (a price) add(b price) price {
	return price{a.metric + b.metric, a.count + b.count, a.depth + b.depth}
}

func (a price) sub(b price) price {
	return price{a.metric - b.metric, a.count - b.count, a.depth - b.depth}
}

func (a price) times(k int) price {
	return price{a.metric * int64(k), a.count * k, a.depth * k}
}

func (a price) cmp(b price) int {
	if c := cmp.Compare(a.metric, b.metric); c != 0 {
		return c
	}
	if c := cmp.Compare(a.count, b.count); c != 0 {
		return c
	}
	return cmp.Compare(a.depth, b.depth)
}

func maxCost(a, b price) price {
	if a.cmp(b) < 0 {
		return b
	}
	return a
}

// share divides a among k >= 1 parts, rounding down so that k shares never exceed a:
// exact integers keep the bounds free of rounding error.
func (a price) share(k int) price {
	s := price{metric: floorDiv(a.metric, int64(k))}
	if s.metric*int64(k) != a.metric {
		return s // k shares fall short on the metric: the rest no longer matters
	}
	s.count = int(floorDiv(int64(a.count), int64(k)))
	if s.count*k != a.count {
		return s
	}
	s.depth = int(floorDiv(int64(a.depth), int64(k)))
	return s
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// rank holds objectives (1)-(3) of a plan; the tie-break (4) is lexBefore.
type rank struct {
	closed int // needs closed + target holders gained up to each deficit
	price
}

// cmp is negative when k is the better key, zero when tied.
func (k rank) cmp(o rank) int {
	if k.closed != o.closed {
		return cmp.Compare(o.closed, k.closed)
	}
	return k.price.cmp(o.price)
}

// lexBefore reports whether sorted plan a wins the final tie-break over b: it holds the
// first candidate, in person then course order, that b lacks.
func lexBefore(a, b []int) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return a[i] < b[j]
		}
		i++
		j++
	}
	return i < len(a)
}

// better reports whether plan a (with key ka) beats plan b (with key kb).
func better(a []int, ka rank, b []int, kb rank) bool {
	c := ka.cmp(kb)
	return c < 0 || c == 0 && lexBefore(a, b)
}

// feasible reports whether a plan's metric total is within the budget.
func (pp *problem) feasible(k rank) bool {
	return pp.budget < 0 || k.metric <= pp.budget
}

// evaluate scores a plan (candidate indices, any order).
func (pp *problem) evaluate(plan []int) rank {
	if len(pp.covered) != len(pp.items) {
		pp.covered = make([]bool, len(pp.items))
		pp.holders = make([]int, len(pp.targets))
	}
	var k rank
	touched := pp.touched[:0]
	for _, ci := range plan {
		c := pp.cands[ci]
		k.metric += c.metric
		k.count++
		for _, it := range c.items {
			if !pp.covered[it] {
				pp.covered[it] = true
				touched = append(touched, it)
			}
		}
	}
	for _, it := range touched {
		item := pp.items[it]
		k.depth += item.depth
		if item.target < 0 {
			k.closed++
		} else {
			pp.holders[item.target]++
		}
		pp.covered[it] = false
	}
	for t, h := range pp.holders {
		k.closed += min(h, pp.targets[t].deficit)
		pp.holders[t] = 0
	}
	pp.touched = touched
	return k
}

// result turns a plan into enrolments, totals and what stays uncovered.
func (pp *problem) result(plan []int, optimal bool) Result {
	plan = slices.Sorted(slices.Values(plan))
	r := Result{
		Enrolments:       []Enrolment{},
		Metric:           pp.metric,
		Closed:           pp.evaluate(plan).closed,
		UncoveredNeeds:   []UncoveredNeed{},
		UncoveredTargets: []UncoveredTarget{},
		Optimal:          optimal,
	}
	covered := make([]bool, len(pp.items))
	var cost, hours float64
	costKnown, hoursKnown := true, true
	for _, ci := range plan {
		c := pp.cands[ci]
		course := pp.courses[c.course]
		e := Enrolment{Person: pp.persons[c.person].id, Course: course.Code,
			Cost: knownCopy(course.Cost), Hours: knownCopy(course.Hours)}
		for _, it := range c.items {
			covered[it] = true
			e.Closes = append(e.Closes, pp.items[it].label())
		}
		slices.Sort(e.Closes)
		e.Closes = slices.Compact(e.Closes)
		if e.Cost == nil {
			costKnown = false
		} else {
			cost += *e.Cost
		}
		if e.Hours == nil {
			hoursKnown = false
		} else {
			hours += *e.Hours
		}
		r.Enrolments = append(r.Enrolments, e)
	}
	if costKnown {
		r.TotalCost = &cost
	}
	if hoursKnown {
		r.TotalHours = &hours
	}
	holders := make([]int, len(pp.targets))
	for it, item := range pp.items {
		switch {
		case item.target >= 0 && covered[it]:
			holders[item.target]++
		case item.target < 0 && !covered[it]:
			r.UncoveredNeeds = append(r.UncoveredNeeds, UncoveredNeed{pp.persons[item.person].id, item.skill, item.level})
		}
	}
	for t, tg := range pp.targets {
		if missing := tg.deficit - holders[t]; missing > 0 {
			r.UncoveredTargets = append(r.UncoveredTargets, UncoveredTarget{tg.Skill, tg.MinLevel, missing})
		}
	}
	return r
}

// knownCopy returns a copy of a usable cost or duration, nil otherwise.
func knownCopy(v *float64) *float64 {
	if !known(v) {
		return nil
	}
	c := *v
	return &c
}
