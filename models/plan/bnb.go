package plan

import "slices"

// Where the branch being explored stands against the incumbent in the final tie-break,
// judged on the persons chosen so far.
const (
	relSame    = iota // the same courses so far: undecided
	relEarlier        // every plan below wins the tie-break against the incumbent
	relLater          // every plan below loses it
)

// run searches from incumbent (a plan, sorted) and returns the best plan, and whether the
// search finished within limit steps (then the plan is optimal).
func (s *search) run(incumbent []int, limit int) ([]int, bool) {
	s.limit = limit
	s.best = s.pp.evaluate(incumbent)
	s.sets = make([]uint64, len(s.order))
	s.bestSets = make([]uint64, len(s.order))
	pos := map[int]int{}
	for i, p := range s.order {
		pos[p] = i
	}
	for _, ci := range incumbent {
		p := s.pp.cands[ci].person
		for b, cj := range s.pp.persons[p].cands {
			if cj == ci {
				s.bestSets[pos[p]] |= 1 << b
			}
		}
	}
	s.kids = make([][]child, len(s.order))
	s.dfs(0, relSame)
	var plan []int
	for i, p := range s.order {
		for b, ci := range s.pp.persons[p].cands {
			if s.bestSets[i]&(1<<b) != 0 {
				plan = append(plan, ci)
			}
		}
	}
	return plan, !s.aborted
}

// child is an option of the person at a position, with the bound of its subtree.
type child struct {
	opt   int
	bound rank
}

// dfs explores the options of the person at pos, most promising bound first, so that the
// first plans reached are good and tighten the pruning early.
func (s *search) dfs(pos, rel int) {
	if s.steps++; s.steps > s.limit {
		s.aborted = true
		return
	}
	if pos == len(s.order) {
		k := s.key()
		if c := k.cmp(s.best); c < 0 || c == 0 && rel == relEarlier {
			s.best = k
			copy(s.bestSets, s.sets)
			s.version++
		}
		return
	}
	opts := s.opts[pos]
	kids := s.kids[pos][:0]
	for i := range opts {
		if s.pp.budget >= 0 && s.cost.metric+opts[i].cost.metric > s.pp.budget {
			continue
		}
		s.apply(pos, &opts[i], 1)
		kids = append(kids, child{i, s.bound(pos + 1)})
		s.apply(pos, &opts[i], -1)
		s.steps++ // a bound is the unit of work
	}
	slices.SortFunc(kids, func(a, b child) int {
		if c := a.bound.cmp(b.bound); c != 0 {
			return c
		}
		if setBefore(opts[a.opt].set, opts[b.opt].set) {
			return -1
		}
		return 1
	})
	s.kids[pos] = kids
	version := s.version
	for _, kid := range kids {
		if s.version != version {
			rel, version = relSame, s.version // the incumbent now lies below this node
		}
		o := &opts[kid.opt]
		child := rel
		if rel == relSame && o.set != s.bestSets[pos] {
			child = relLater
			if setBefore(o.set, s.bestSets[pos]) {
				child = relEarlier
			}
		}
		c := kid.bound.cmp(s.best)
		if c > 0 {
			break // the kids left are bounded no better
		}
		if c == 0 && child == relLater {
			continue
		}
		s.apply(pos, o, 1)
		s.dfs(pos+1, child)
		s.apply(pos, o, -1)
		if s.aborted {
			return
		}
	}
}

func (s *search) apply(pos int, o *option, sign int) {
	s.needs += sign * o.needs
	if sign > 0 {
		s.cost, s.sets[pos] = s.cost.add(o.cost), o.set
	} else {
		s.cost, s.sets[pos] = s.cost.sub(o.cost), 0
	}
	for _, t := range o.targets {
		s.holders[t] += sign
	}
}

// closed counts the units closed by the branch so far.
func (s *search) closed() int {
	c := s.needs
	for t, tg := range s.pp.targets {
		c += min(tg.deficit, s.holders[t])
	}
	return c
}

func (s *search) key() rank {
	return rank{closed: s.closed(), price: s.cost}
}

// bound returns a key that no plan below position pos beats: the most units the remaining
// persons could close and, for plans closing that many, a lower bound on their cost.
// Plans closing fewer units lose on the first objective anyway.
func (s *search) bound(pos int) rank {
	closed := s.closed()
	most := s.needs + s.sufNeeds[pos] // every remaining person closes all they can
	for t, tg := range s.pp.targets {
		most += min(tg.deficit, s.holders[t]+s.sufCand[t][pos])
	}
	b := rank{closed: most, price: s.cost}
	if s.pp.budget >= 0 {
		b = s.budgetBound(pos, closed, most)
		if b.closed < most {
			return b
		}
	}
	// Reaching most, each remaining person closes all their needs and each target gains
	// all the holders it misses that the remaining persons can give.
	extra, ok := s.targetBounds(pos)
	if !ok {
		return rank{closed: most - 1, price: s.cost}
	}
	b.price = maxCost(b.price, s.cost.add(s.sufMin[pos]).add(extra))
	return b
}

// targetBounds bounds the extra cost, over each remaining person's least cost closing all
// their needs, of giving every target the holders it misses from the remaining persons:
// for each target, the sum of the smallest extras; the dearest target bounds the total
// (one option may serve several targets), and so does the sum over targets of the extras
// shared among the targets each option serves. ok is false when too few persons remain.
func (s *search) targetBounds(pos int) (price, bool) {
	var dearest, shared price
	for t, tg := range s.pp.targets {
		h := s.holders[t]
		r := min(tg.deficit, h+s.sufCand[t][pos]) - h
		m, enough := s.incs[t].sum(pos, r)
		if !enough {
			return price{}, false
		}
		f, _ := s.shares[t].sum(pos, r)
		dearest = maxCost(dearest, m)
		shared = shared.add(f)
	}
	return maxCost(dearest, shared), true
}
