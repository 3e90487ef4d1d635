package plan

import (
	"math"
	"slices"
	"sort"
)

// atLeastCells caps the table of least costs (12 MiB).
const atLeastCells = 1 << 19

// infinite marks a number of units the remaining persons cannot close.
var infinite = price{metric: math.MaxInt64 / 4}

type weighted struct {
	weight      int64
	pos, target int
}

// atLeast tabulates, per position, the least cost (metric, enrolments, depth) for
// the persons from there on to close at least u more units: a multiple-choice knapsack
// solved by dynamic programming from the last person. The state holds each tracked
// target's remaining deficit, so that its holders count up to it exactly, and the pooled
// deficit of the other targets, which any of their holders fills: a relaxation (a holder
// of one may stand in for another's) that is exact when every target is tracked.
type atLeast struct {
	tracked []int // target indices
	pooled  []int // target indices
	radix   []int // per tracked target, then the pool: the number of values of its digit
	units   int   // u runs over 0..units
	rows    [][]price
}

// state encodes the remaining deficits after the given holders.
func (t *atLeast) state(targets []target, holders []int) int {
	st, stride, pool := 0, 1, 0
	for _, tg := range t.pooled {
		pool += max(0, targets[tg].deficit-holders[tg])
	}
	for i, tg := range t.tracked {
		st += stride * max(0, targets[tg].deficit-holders[tg])
		stride *= t.radix[i]
	}
	return st + stride*pool
}

// prepareBudget tabulates the bounds a budget needs: item cost shares for a knapsack
// relaxation that respects each target's deficit (it also caps the units a table spans),
// and a atLeast table tracking the targets with the smallest deficits, when it fits
// tableCells.
func (s *search) prepareBudget() {
	pp, n := s.pp, len(s.order)
	for pos, p := range s.order {
		for _, it := range pp.persons[p].items {
			s.knap = append(s.knap, weighted{pp.costShare(p, it), pos, pp.items[it].target})
		}
	}
	sort.SliceStable(s.knap, func(i, j int) bool { return s.knap[i].weight < s.knap[j].weight })
	units, pool := s.sufNeeds[0], 0
	var open []int
	for t, tg := range pp.targets {
		if d := min(tg.deficit, s.sufCand[t][0]); d > 0 {
			units += d
			pool += tg.deficit
			open = append(open, t)
		}
	}
	units, _ = s.knapsack(0, units) // no plan closes more within the budget
	sort.SliceStable(open, func(i, j int) bool { return pp.targets[open[i]].deficit < pp.targets[open[j]].deficit })
	// Per state: the cells kept, and the work of filling them (one step per option and u),
	// which may take eight times the cells.
	options := 0
	for _, opts := range s.opts {
		options += len(opts)
	}
	size := (units + 1) * max(n+1, options/8)
	states := 1
	var tracked, pooled []int
	for _, t := range open {
		d := pp.targets[t].deficit
		if next := states * (d + 1); size*next*(pool-d+1) <= pp.tableCells {
			tracked, states, pool = append(tracked, t), next, pool-d
		} else {
			pooled = append(pooled, t)
		}
	}
	if size*states*(pool+1) <= pp.tableCells {
		s.atLeast = s.tabulate(tracked, pooled, pool, units)
	}
}

func (s *search) tabulate(tracked, pooled []int, pool, units int) *atLeast {
	n, w, targets := len(s.order), units+1, s.pp.targets
	t := &atLeast{tracked: tracked, pooled: pooled, units: units, rows: make([][]price, n+1)}
	states := pool + 1
	slot := map[int]int{} // target -> its digit
	for i, tg := range tracked {
		t.radix = append(t.radix, targets[tg].deficit+1)
		states *= targets[tg].deficit + 1
		slot[tg] = i
	}
	t.radix = append(t.radix, pool+1)
	stride := make([]int, len(t.radix))
	for i := range stride {
		stride[i] = 1
		if i > 0 {
			stride[i] = stride[i-1] * t.radix[i-1]
		}
	}
	t.rows[n] = slices.Repeat([]price{infinite}, states*w)
	for st := range states {
		t.rows[n][st*w] = price{}
	}
	for pos := n - 1; pos >= 0; pos-- {
		row, next := slices.Repeat([]price{infinite}, states*w), t.rows[pos+1]
		for st := range states {
			for _, o := range s.opts[pos] {
				gain, to := o.needs, st
				for _, tg := range o.targets {
					digit, ok := slot[tg]
					if !ok {
						digit = len(tracked) // the pool (targets nobody can serve never get here)
					}
					if to/stride[digit]%t.radix[digit] > 0 {
						gain++
						to -= stride[digit]
					}
				}
				for u := range w {
					if rest := next[to*w+max(0, u-gain)]; rest != infinite {
						if c := o.cost.add(rest); c.cmp(row[st*w+u]) < 0 {
							row[st*w+u] = c
						}
					}
				}
			}
		}
		t.rows[pos] = row
	}
	return t
}

// budgetBound bounds the plans below pos within the budget: at most closed plus the units
// both relaxations fit in the remaining budget, and for plans closing that many, no less
// cost than either charges for them.
func (s *search) budgetBound(pos, closed, most int) rank {
	units, spent := s.knapsack(pos, most-closed)
	share := price{s.cost.metric + spent[units], s.cost.count, s.cost.depth}
	t := s.atLeast
	if t == nil {
		return rank{closed + units, share}
	}
	w, room := t.units+1, s.pp.budget-s.cost.metric
	st := t.state(s.pp.targets, s.holders)
	row := t.rows[pos][st*w : (st+1)*w]
	units = sort.Search(min(t.units, units)+1, func(u int) bool { return row[u].metric > room }) - 1
	if units < 0 {
		return rank{closed: -1} // nothing below fits the budget
	}
	share.metric = s.cost.metric + spent[units]
	return rank{closed + units, maxCost(share, s.cost.add(row[units]))}
}

// knapsack relaxes the rest of the plan under the budget: each remaining item costs its
// cost share, target items count up to each target's missing holders. It returns how
// many more units fit the remaining budget (at most q); spent[k] is then the least the
// cheapest k of them cost.
func (s *search) knapsack(pos, q int) (units int, spent []int64) {
	for t, tg := range s.pp.targets {
		s.caps[t] = max(0, tg.deficit-s.holders[t])
	}
	room := s.pp.budget - s.cost.metric
	spent = append(s.spent[:0], 0)
	for i, w := range s.knap {
		if i%64 == 63 {
			s.steps++ // a long scan counts as search work
		}
		if units == q {
			break
		}
		if w.pos < pos {
			continue
		}
		if w.target >= 0 {
			if s.caps[w.target] == 0 {
				continue
			}
			s.caps[w.target]--
		}
		if spent[units]+w.weight > room {
			break
		}
		spent = append(spent, spent[units]+w.weight)
		units++
	}
	s.spent = spent
	return units, spent
}

// costShare is the least any plan spends per item on item it of person p: the cheapest
// metric per item closed among the person's courses closing it, rounded down. Summed over
// the items a plan closes, shares never exceed its metric: the knapsack bounds are valid.
func (pp *problem) costShare(p, it int) int64 {
	share := int64(math.MaxInt64)
	for _, ci := range pp.persons[p].cands {
		c := pp.cands[ci]
		if _, in := slices.BinarySearch(c.items, it); in {
			share = min(share, c.metric/int64(len(c.items)))
		}
	}
	return share
}
