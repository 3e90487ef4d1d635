package models

import (
	"cmp"
	"slices"
)

// planEvaluations bounds the local improvement pass, which re-scores a whole plan per move.
const planEvaluations = 20_000

// greedy extends a sorted plan by repeatedly taking the candidate that closes the most
// units per unit of metric within the budget (free courses first; then more units, less
// depth, person and course order) until no candidate closes anything more.
func (pp *planProblem) greedy(plan []int) []int {
	plan = slices.Clone(plan)
	chosen := make([]bool, len(pp.cands))
	covered := make([]bool, len(pp.items))
	open := make([]int, len(pp.targets)) // holders still missing per target
	for t, tg := range pp.targets {
		open[t] = tg.deficit
	}
	var spent int64
	take := func(ci int) {
		chosen[ci] = true
		spent += pp.cands[ci].metric
		for _, it := range pp.cands[ci].items {
			if covered[it] {
				continue
			}
			covered[it] = true
			if t := pp.items[it].target; t >= 0 && open[t] > 0 {
				open[t]--
			}
		}
	}
	for _, ci := range plan {
		take(ci)
	}
	for {
		best, bestGain, bestDepth := -1, 0, 0
		for _, person := range pp.persons {
			for _, ci := range person.cands {
				c := pp.cands[ci]
				if chosen[ci] || pp.budget >= 0 && spent+c.metric > pp.budget {
					continue
				}
				gain, depth := 0, 0
				for _, it := range c.items {
					item := pp.items[it]
					if !covered[it] && (item.target < 0 || open[item.target] > 0) {
						gain++
						depth += item.depth
					}
				}
				if gain > 0 && (best < 0 || denser(gain, c.metric, depth, bestGain, pp.cands[best].metric, bestDepth)) {
					best, bestGain, bestDepth = ci, gain, depth
				}
			}
		}
		if best < 0 {
			break
		}
		take(best)
		plan = append(plan, best)
	}
	slices.Sort(plan)
	return plan
}

// denser reports whether closing g1 units for m1 beats g2 units for m2 in the greedy order.
func denser(g1 int, m1 int64, d1 int, g2 int, m2 int64, d2 int) bool {
	if a, b := int64(g1)*m2, int64(g2)*m1; a != b {
		return a > b // g1/m1 > g2/m2, a free course first
	}
	if g1 != g2 {
		return g1 > g2
	}
	return d1 < d2
}

// improve applies local moves while each makes the plan strictly better (so it ends): drop
// an enrolment, dearest first; swap one for a candidate of the same person or target;
// with a budget, refill what the moves freed greedily.
func (pp *planProblem) improve(plan []int) []int {
	key := pp.evaluate(plan)
	evals := 0
	try := func(trial []int) bool {
		evals++
		k := pp.evaluate(trial)
		if pp.feasible(k) && better(trial, k, plan, key) {
			plan, key = trial, k
			return true
		}
		return false
	}
	related := pp.relatedCandidates()
	for changed := true; changed && evals < planEvaluations; {
		changed = false
		order := slices.Clone(plan)
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pp.cands[b].metric, pp.cands[a].metric) })
		for _, ci := range order {
			changed = try(without(plan, ci)) || changed
		}
		for _, ci := range slices.Clone(plan) {
			for _, f := range related(ci) {
				if evals >= planEvaluations || !slices.Contains(plan, ci) {
					break
				}
				if _, in := slices.BinarySearch(plan, f); !in && try(with(without(plan, ci), f)) {
					changed = true
				}
			}
		}
		if pp.budget >= 0 {
			changed = try(pp.greedy(plan)) || changed
		}
	}
	return plan
}

// relatedCandidates returns, for a candidate, the others of the same person and those that
// would make someone a holder of a target it serves: the swaps worth trying.
func (pp *planProblem) relatedCandidates() func(ci int) []int {
	byTarget := make([][]int, len(pp.targets))
	for _, person := range pp.persons {
		for _, ci := range person.cands {
			for _, it := range pp.cands[ci].items {
				if t := pp.items[it].target; t >= 0 {
					byTarget[t] = append(byTarget[t], ci)
				}
			}
		}
	}
	return func(ci int) []int {
		c := pp.cands[ci]
		out := slices.Clone(pp.persons[c.person].cands)
		for _, it := range c.items {
			if t := pp.items[it].target; t >= 0 {
				out = append(out, byTarget[t]...)
			}
		}
		return out
	}
}

// without returns sorted plan less ci, as a new slice.
func without(plan []int, ci int) []int {
	out := make([]int, 0, len(plan))
	for _, x := range plan {
		if x != ci {
			out = append(out, x)
		}
	}
	return out
}

// with returns sorted plan plus ci, as a new slice.
func with(plan []int, ci int) []int {
	i, _ := slices.BinarySearch(plan, ci)
	return slices.Insert(slices.Clone(plan), i, ci)
}
