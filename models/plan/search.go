package plan

import (
	"maps"
	"slices"
	"sort"
)

// Caps of the exact search: a person's items and courses are bits of a 64-bit word, and
// their options are listed in full.
const (
	maxPersonItems      = 62
	maxPersonCandidates = 62
	maxOptions          = 1024
)

// option is one way to train one person: the courses taken and what they close.
type option struct {
	set     uint64 // bits over the person's candidates, in course order
	mask    uint64 // bits over the person's items
	needs   int
	targets []int // targets the person becomes a holder of
	cost    price
}

// setBefore reports whether course set a wins the tie-break over b: it holds the first
// course that b lacks.
func setBefore(a, b uint64) bool {
	x := a ^ b
	return x != 0 && a&(x&-x) != 0
}

// personOptions lists the ways to train person p: for every set of their items, the best
// set of courses (least metric, fewest courses, tie-break) closing exactly that set, less
// the options another beats outright. Nil when there are more than maxOptions.
func (pp *problem) personOptions(p int) []option {
	person := pp.persons[p]
	bit := map[int]uint{}
	for b, it := range person.items {
		bit[it] = uint(b)
	}
	type best struct {
		set    uint64
		metric int64
		count  int
	}
	less := func(a, b best) bool { // depth is the same: it depends on the items closed only
		if a.metric != b.metric {
			return a.metric < b.metric
		}
		if a.count != b.count {
			return a.count < b.count
		}
		return setBefore(a.set, b.set)
	}
	dp := map[uint64]best{0: {}}
	for b, ci := range person.cands {
		c := pp.cands[ci]
		var cover uint64
		for _, it := range c.items {
			cover |= 1 << bit[it]
		}
		next := maps.Clone(dp)
		for mask, o := range dp {
			if m := mask | cover; m != mask {
				n := best{o.set | 1<<b, o.metric + c.metric, o.count + 1}
				if old, ok := next[m]; !ok || less(n, old) {
					next[m] = n
				}
			}
		}
		if len(next) > maxOptions {
			return nil
		}
		dp = next
	}
	opts := make([]option, 0, len(dp))
	maxNeeds := 0
	for mask, o := range dp {
		opt := option{set: o.set, mask: mask, cost: price{metric: o.metric, count: o.count}}
		for b, it := range person.items {
			if mask&(1<<b) != 0 {
				opt.cost.depth += pp.items[it].depth
				if t := pp.items[it].target; t < 0 {
					opt.needs++
				} else {
					opt.targets = append(opt.targets, t)
				}
			}
		}
		maxNeeds = max(maxNeeds, opt.needs)
		opts = append(opts, opt)
	}
	var kept []option
	for _, o := range opts {
		if pp.budget < 0 && o.needs < maxNeeds {
			continue // without a budget every closable need is closed
		}
		if !slices.ContainsFunc(opts, func(a option) bool { return dominates(a, o) }) {
			kept = append(kept, o)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return setBefore(kept[i].set, kept[j].set) })
	return kept
}

// dominates reports whether option a beats b in every plan: it closes a superset and
// costs strictly less metric, or closes more needs for no more. (A superset of items
// costing as much may still lose on depth, through holders no target needs.)
func dominates(a, b option) bool {
	return a.mask != b.mask && a.mask&b.mask == b.mask &&
		(a.cost.metric < b.cost.metric || a.needs > b.needs && a.cost.metric <= b.cost.metric)
}

// search is the branch and bound: one option per person, persons in id order.
type search struct {
	pp    *problem
	order []int      // persons with candidates, in id order
	opts  [][]option // per position in order

	// Bounds over the persons from a position on (len(order)+1 entries).
	sufNeeds []int   // closable needs
	sufMin   []price // least cost closing all of them
	sufCand  [][]int // per target: persons who could become holders
	// Per target, over the persons with an option closing all their needs and the target:
	// its extra cost over their least cost closing all their needs, and that extra shared
	// among the targets the option serves.
	incs, shares []smallest
	// With a budget: every item by its cheapest cost share, ascending; and per position,
	// the least cost of at least u more units (nil when too large to tabulate).
	knap    []weighted
	atLeast *atLeast

	// The branch being explored.
	holders []int
	needs   int
	cost    price
	sets    []uint64

	best     rank
	bestSets []uint64
	version  int // bumped when best changes
	steps    int // nodes visited and bounds computed
	limit    int
	aborted  bool
	caps     []int     // scratch of knapsack
	spent    []int64   // scratch of knapsack
	kids     [][]child // scratch of dfs, per position
}

// newSearch prepares the exact search; nil when a person exceeds its caps.
func (pp *problem) newSearch() *search {
	s := &search{pp: pp, holders: make([]int, len(pp.targets)), caps: make([]int, len(pp.targets))}
	for p, person := range pp.persons {
		if len(person.cands) == 0 {
			continue
		}
		if len(person.items) > maxPersonItems || len(person.cands) > maxPersonCandidates {
			return nil
		}
		opts := pp.personOptions(p)
		if opts == nil {
			return nil
		}
		s.order = append(s.order, p)
		s.opts = append(s.opts, opts)
	}
	s.prepareBounds()
	return s
}

func (s *search) prepareBounds() {
	pp, n, nt := s.pp, len(s.order), len(s.pp.targets)
	s.sufNeeds, s.sufMin, s.sufCand = make([]int, n+1), make([]price, n+1), make([][]int, nt)
	incs, shares := make([][]*price, nt), make([][]*price, nt)
	for t := range nt {
		s.sufCand[t], incs[t], shares[t] = make([]int, n+1), make([]*price, n), make([]*price, n)
	}
	for pos := n - 1; pos >= 0; pos-- {
		maxNeeds := 0
		for _, o := range s.opts[pos] {
			maxNeeds = max(maxNeeds, o.needs)
			for _, t := range o.targets {
				s.sufCand[t][pos] = 1
			}
		}
		var least *price
		for _, o := range s.opts[pos] {
			if o.needs == maxNeeds && (least == nil || o.cost.cmp(*least) < 0) {
				least = &o.cost
			}
		}
		for _, o := range s.opts[pos] {
			if o.needs < maxNeeds {
				continue
			}
			extra := o.cost.sub(*least)
			share := extra.share(max(1, len(o.targets)))
			for _, t := range o.targets {
				if incs[t][pos] == nil || extra.cmp(*incs[t][pos]) < 0 {
					incs[t][pos] = &extra
				}
				if shares[t][pos] == nil || share.cmp(*shares[t][pos]) < 0 {
					shares[t][pos] = &share
				}
			}
		}
		s.sufNeeds[pos] = s.sufNeeds[pos+1] + maxNeeds
		s.sufMin[pos] = s.sufMin[pos+1].add(*least)
		for t := range nt {
			s.sufCand[t][pos] += s.sufCand[t][pos+1]
		}
	}
	for t := range nt {
		keep := max(1, min(pp.targets[t].deficit, smallestCap))
		s.incs = append(s.incs, newPlanSmallest(incs[t], keep))
		s.shares = append(s.shares, newPlanSmallest(shares[t], keep))
	}
	if pp.budget >= 0 {
		s.prepareBudget()
	}
}

// smallestCap caps how many of the smallest values smallest keeps per position
// (a target's deficit, when smaller); beyond it, further values are bounded by the
// largest kept, as they are no smaller.
const smallestCap = 256

// smallest answers in constant time: the sum of the r smallest costs at positions
// pos and after. A new array is kept only where a position's value enters the smallest
// kept, which on random data happens about keep x ln(n) times.
type smallest struct {
	sums  [][]price // per position: running sums of the smallest values from it on
	count []int     // per position: how many values from it on
}

// newPlanSmallest indexes vals (one per position, nil for none), keeping the smallest keep.
func newPlanSmallest(vals []*price, keep int) smallest {
	n := len(vals)
	ps := smallest{sums: make([][]price, n+1), count: make([]int, n+1)}
	var top []price
	for pos := n - 1; pos >= 0; pos-- {
		ps.count[pos], ps.sums[pos] = ps.count[pos+1], ps.sums[pos+1]
		if vals[pos] == nil {
			continue
		}
		v := *vals[pos]
		ps.count[pos]++
		if len(top) == keep && v.cmp(top[len(top)-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, v, price.cmp)
		top = slices.Insert(top, i, v)[:min(len(top)+1, keep)]
		sums := make([]price, len(top))
		var run price
		for k, x := range top {
			run = run.add(x)
			sums[k] = run
		}
		ps.sums[pos] = sums
	}
	return ps
}

// sum returns the sum of the r smallest values from pos on, or a lower bound of it past
// the cap; ok is false when fewer than r values remain.
func (ps smallest) sum(pos, r int) (price, bool) {
	if r <= 0 {
		return price{}, true
	}
	if ps.count[pos] < r {
		return price{}, false
	}
	cs := ps.sums[pos]
	if r <= len(cs) {
		return cs[r-1], true
	}
	last := cs[len(cs)-1]
	if len(cs) > 1 {
		last = last.sub(cs[len(cs)-2])
	}
	return cs[len(cs)-1].add(last.times(r - len(cs))), true
}
