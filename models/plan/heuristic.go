package plan

import (
	"cmp"
	"container/heap"
	"slices"
)

// maxMoves bounds the local improvement pass.
const maxMoves = 100_000

// greedy extends a sorted plan by repeatedly taking the candidate that closes the most
// units per unit of metric within the budget (free courses first; then more units, less
// depth, person and course order) until no candidate closes anything more. It is lazy: a
// candidate's units only fall as others are taken, so a stale score bounds its own.
func (pp *problem) greedy(plan []int) []int {
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
	score := func(ci int) candidateScore {
		sc := candidateScore{ci: ci, metric: pp.cands[ci].metric}
		for _, it := range pp.cands[ci].items {
			item := pp.items[it]
			if !covered[it] && (item.target < 0 || open[item.target] > 0) {
				sc.gain++
				sc.depth += item.depth
			}
		}
		return sc
	}
	for _, ci := range plan {
		take(ci)
	}
	var h candidateHeap
	for _, person := range pp.persons {
		for _, ci := range person.cands {
			if sc := score(ci); !chosen[ci] && sc.gain > 0 {
				h = append(h, sc)
			}
		}
	}
	heap.Init(&h)
	for h.Len() > 0 {
		sc := heap.Pop(&h).(candidateScore)
		if pp.budget >= 0 && spent+sc.metric > pp.budget {
			continue // spending only grows: it will never fit
		}
		if sc = score(sc.ci); sc.gain == 0 {
			continue
		}
		if h.Len() > 0 && h[0].before(sc) {
			heap.Push(&h, sc) // stale no more; another may now lead
			continue
		}
		take(sc.ci)
		plan = append(plan, sc.ci)
	}
	slices.Sort(plan)
	return plan
}

// candidateScore is a candidate's standing in the greedy order.
type candidateScore struct {
	ci, gain, depth int
	metric          int64
}

// before orders scores: more units per unit of metric (a free course first), then more
// units, less depth, and the candidate order.
func (a candidateScore) before(b candidateScore) bool {
	if x, y := int64(a.gain)*b.metric, int64(b.gain)*a.metric; x != y {
		return x > y
	}
	if a.gain != b.gain {
		return a.gain > b.gain
	}
	if a.depth != b.depth {
		return a.depth < b.depth
	}
	return a.ci < b.ci
}

// candidateHeap is a heap of scores, the best on top.
type candidateHeap []candidateScore

func (h candidateHeap) Len() int           { return len(h) }
func (h candidateHeap) Less(i, j int) bool { return h[i].before(h[j]) }
func (h candidateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candidateHeap) Push(x any)        { *h = append(*h, x.(candidateScore)) }
func (h *candidateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// improve applies local moves while each makes the plan strictly better (so it ends): drop
// an enrolment, dearest first; swap one for a candidate of the same person or target;
// with a budget, refill what the moves freed greedily. Moves are scored incrementally.
func (pp *problem) improve(plan []int) []int {
	st := pp.newPlanState(plan)
	moves := 0
	// try swaps out for in (either may be -1) and keeps the move if the plan improves. On
	// a tie, the new plan wins when the first candidate the two differ by is the one in.
	try := func(out, in int) bool {
		moves++
		old := st.key
		st.swap(out, in)
		c := st.key.cmp(old)
		if pp.feasible(st.key) && (c < 0 || c == 0 && in >= 0 && (out < 0 || in < out)) {
			return true
		}
		st.swap(in, out)
		return false
	}
	related := pp.relatedCandidates()
	for changed := true; changed && moves < maxMoves; {
		changed = false
		order := st.plan()
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pp.cands[b].metric, pp.cands[a].metric) })
		for _, ci := range order {
			changed = try(ci, -1) || changed
		}
		for _, ci := range st.plan() {
			for _, f := range related(ci) {
				if moves >= maxMoves || !st.in[ci] {
					break
				}
				if !st.in[f] && try(ci, f) {
					changed = true
				}
			}
		}
		if pp.budget >= 0 {
			current := st.plan()
			if refill := pp.greedy(current); better(refill, pp.evaluate(refill), current, st.key) {
				st, changed = pp.newPlanState(refill), true
			}
		}
	}
	return st.plan()
}

// state is a plan whose key is kept up to date as candidates come and go.
type state struct {
	pp     *problem
	in     []bool // per candidate
	cover  []int  // per item: candidates of the plan closing it
	gained []int  // per target: new holders
	key    rank
}

func (pp *problem) newPlanState(plan []int) *state {
	st := &state{pp: pp, in: make([]bool, len(pp.cands)), cover: make([]int, len(pp.items)), gained: make([]int, len(pp.targets))}
	for _, ci := range plan {
		st.swap(-1, ci)
	}
	return st
}

// swap takes candidate out out of the plan and puts in in; -1 stands for none.
func (st *state) swap(out, in int) {
	if out >= 0 {
		st.move(out, -1)
	}
	if in >= 0 {
		st.move(in, 1)
	}
}

func (st *state) move(ci, sign int) {
	c := st.pp.cands[ci]
	st.in[ci] = sign > 0
	st.key.metric += int64(sign) * c.metric
	st.key.count += sign
	for _, it := range c.items {
		before := st.cover[it]
		st.cover[it] += sign
		if min(before, st.cover[it]) != 0 {
			continue // still closed by another candidate
		}
		item := st.pp.items[it]
		st.key.depth += sign * item.depth
		if item.target < 0 {
			st.key.closed += sign
			continue
		}
		deficit := st.pp.targets[item.target].deficit
		if sign < 0 {
			st.gained[item.target]--
		}
		if st.gained[item.target] < deficit {
			st.key.closed += sign
		}
		if sign > 0 {
			st.gained[item.target]++
		}
	}
}

func (st *state) plan() []int {
	var plan []int
	for ci, in := range st.in {
		if in {
			plan = append(plan, ci)
		}
	}
	return plan
}

// relatedCandidates returns, for a candidate, the others of the same person and those that
// would make someone a holder of a target it serves: the swaps worth trying.
func (pp *problem) relatedCandidates() func(ci int) []int {
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
