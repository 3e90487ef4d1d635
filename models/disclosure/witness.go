package disclosure

import (
	"slices"

	"cyberskills/models"
)

// A perturbation is a change of the data behind the figures: atoms' sums in skills, and
// organisations' sets of gaps. It witnesses that a withheld figure cannot be worked out
// when it is feasible (counts stay whole and not negative, only skills an organisation is
// evaluated in change, every organisation keeps a set of gaps), changes the figure, and
// changes no published figure, even by less than its rounding. Whatever an analyst
// deduces from the published figures (sums, differences, bounds) then holds for the
// changed data too, in which the figure is different.
type perturbation struct {
	staff []staffMove
	gaps  []gapMove
}

// staffMove changes one quantity of an atom in a skill by delta.
type staffMove struct{ atom, skill, q, delta int }

// gapMove gives an organisation a new set of gaps (by skill).
type gapMove struct {
	org  int
	gaps []bool
}

// The quantities staff figures add up: demand is supply plus shortfall.
const (
	qSupply = iota
	qShortfall
	qHeld1     // qHeld1 + level - 1
	quantities = qHeld1 + models.MaxLevel
)

// measuresOf are the measures a quantity adds to.
func measuresOf(q int) []int {
	switch q {
	case qSupply:
		return []int{mDemand, mSupply}
	case qShortfall:
		return []int{mDemand, mShortfall}
	}
	return []int{mHeld1 + q - qHeld1}
}

func (s atomSkill) base(q int) int {
	switch q {
	case qSupply:
		return s.supply
	case qShortfall:
		return s.demand - s.supply
	}
	return s.held[q-qHeld1+1]
}

// patterns are, by measure, the ways to change a staff measure by one: its quantities,
// and for supply and shortfall also the move of one requirement between met and unmet,
// which leaves demand as it is.
var patterns = func() [measures][][]staffMove {
	var p [measures][][]staffMove
	p[mDemand] = [][]staffMove{{{q: qSupply, delta: 1}}, {{q: qShortfall, delta: 1}}}
	p[mSupply] = [][]staffMove{{{q: qSupply, delta: 1}, {q: qShortfall, delta: -1}}, {{q: qSupply, delta: 1}}}
	p[mShortfall] = [][]staffMove{{{q: qShortfall, delta: 1}, {q: qSupply, delta: -1}}, {{q: qShortfall, delta: 1}}}
	for l := 1; l <= models.MaxLevel; l++ {
		p[mHeld1+l-1] = [][]staffMove{{{q: qHeld1 + l - 1, delta: 1}}}
	}
	return p
}()

// quantitiesOf are, by measure, the quantities its patterns move (a bit each).
var quantitiesOf = func() [measures]int {
	var out [measures]int
	for m, pats := range patterns {
		for _, pat := range pats {
			for _, mv := range pat {
				out[m] |= 1 << mv.q
			}
		}
	}
	return out
}()

// witnesses finds and applies perturbations for a release.
type witnesses struct {
	r           *Release
	atomSets    [][]int // atom -> the sets holding it
	skillLayers [][]int // skill -> the layers holding it
	grid        []int32 // (set, layer, measure) -> cell, or -1
	byKeys      map[[4]string]int
	along       map[[4]string][]int // keys with one dimension blanked -> atoms
	alike       [][]int             // atom -> the other atoms, the most alike first
	holding     [][]int32           // (atom, skill, quantity) -> the cells adding it up
	positive    [][]int             // atom -> layer -> the quantities (bits) above zero in some skill
	gapsOf      [][]bool            // organisation -> skill -> gap
	evaluated   [][]bool            // organisation -> skill -> evaluated
	delta       []int               // scratch: cell -> change
	touched     []int
	inSet       []bool // scratch: atom -> in the set being witnessed

	best     perturbation
	bestCost int // -1 before a witness is found
	bestDir  int
	tries    int // feasible perturbations tried of the current structure
	attempts int // perturbations considered of the current structure
	limit    int // tries the current structure may take
}

// maxTries bounds the feasible perturbations of one structure tried for one figure,
// maxTriesAfter those tried once a witness is in hand, maxAttempts all those considered;
// the cheapest witness is taken.
const (
	maxTries      = 200
	maxTriesAfter = 40
	maxAttempts   = 5000
)

// witnessAll finds a witness for every withheld figure that has none, withholding what
// the chosen perturbations change; it reports whether it withheld anything.
func (w *witnesses) witnessAll() bool {
	more := false
	for i := range w.r.cells {
		c := &w.r.cells[i]
		if c.measure == mOrganisations || !c.fig.Suppressed || c.witnessed {
			continue
		}
		if !w.search(i) {
			c.witnessed = true // nothing can change it: the data leave it no other value
			continue
		}
		if w.apply(w.best, w.bestDir) {
			more = true
		}
	}
	return more
}

// feasible reports whether a perturbation, applied in direction dir (+1 or -1), keeps
// every quantity it changes whole and not negative, in skills the atom is evaluated in.
// A perturbation moves each quantity of an atom in a skill once.
func (w *witnesses) feasible(p perturbation, dir int) bool {
	for _, m := range p.staff {
		as := w.r.atoms[m.atom].skills[m.skill]
		if !as.present || as.base(m.q)+m.delta*dir < 0 {
			return false
		}
	}
	return true
}

// effects computes in w.delta what a perturbation, applied in direction dir (+1 or -1),
// changes; it reports false when the change is not feasible.
func (w *witnesses) effects(p perturbation, dir int) bool {
	w.clear()
	if !w.feasible(p, dir) {
		return false
	}
	for _, m := range p.staff {
		for _, c := range w.cellsHolding(m.atom, m.skill, m.q) {
			w.add(int(c), m.delta*dir)
		}
	}
	for _, g := range p.gaps {
		old := w.r.gaps[g.org]
		for l, ly := range w.r.layers {
			now := false
			for _, s := range ly.skills {
				now = now || g.gaps[s]
			}
			if now == old[l] {
				continue
			}
			d := 1
			if old[l] {
				d = -1
			}
			for _, set := range w.atomSets[w.r.orgAtom[g.org]] {
				w.add(w.cellAt(mWithGap, set, l), d)
			}
		}
	}
	return true
}

func (w *witnesses) add(cell, d int) {
	if cell < 0 {
		return
	}
	if w.delta[cell] == 0 {
		w.touched = append(w.touched, cell)
	}
	w.delta[cell] += d
}

func (w *witnesses) clear() {
	for _, c := range w.touched {
		w.delta[c] = 0
	}
	w.touched = w.touched[:0]
}

// exposed reports whether a change of d to a cell would show: it is published. A staff
// count rounded to the same value would hide the change, but a figure that follows from
// published ones by addition and subtraction, even approximately (supply = demand -
// shortfall from two rounded figures), counts as given away.
func (w *witnesses) exposed(c *cell, d int) bool { return d != 0 && !c.fig.Suppressed }

// try evaluates a perturbation in the given directions for the target cell, keeping the
// cheapest; it reports true when the search can stop (a free one found, or enough tried).
func (w *witnesses) try(p perturbation, target int, dirs ...int) bool {
	counted := false
	for _, dir := range dirs {
		if !w.effects(p, dir) || w.delta[target] == 0 {
			continue
		}
		if !counted {
			w.tries, counted = w.tries+1, true
		}
		cost := 0
		for _, i := range w.touched {
			if c := &w.r.cells[i]; w.exposed(c, w.delta[i]) {
				if cost += c.weight; w.bestCost >= 0 && cost >= w.bestCost {
					break
				}
			}
		}
		if w.bestCost < 0 || cost < w.bestCost {
			w.best, w.bestCost, w.bestDir = perturbation{slices.Clone(p.staff), p.gaps}, cost, dir
		}
	}
	if w.bestCost >= 0 && w.limit == maxTries {
		w.limit = min(maxTries, w.tries+maxTriesAfter) // a witness in hand: look a little further
	}
	return w.bestCost == 0 || w.attempt()
}

// attempt counts a perturbation considered, and reports whether the current structure
// has been tried enough.
func (w *witnesses) attempt() bool {
	w.attempts++
	return w.tries >= w.limit || w.attempts >= maxAttempts
}

// phase starts trying a new structure: it reports whether the search is over (a free
// witness found), else sets the structure's budget, smaller when a witness is in hand.
func (w *witnesses) phase() bool {
	if w.bestCost == 0 {
		return true
	}
	w.tries, w.attempts, w.limit = 0, 0, maxTries
	if w.bestCost > 0 {
		w.limit = maxTriesAfter
	}
	return false
}

// apply withholds what a perturbation exposes and marks every withheld figure it
// changes as witnessed; it reports whether it withheld anything.
func (w *witnesses) apply(p perturbation, dir int) bool {
	w.effects(p, dir)
	more := false
	for _, i := range w.touched {
		c := &w.r.cells[i]
		if w.delta[i] == 0 {
			continue
		}
		if w.exposed(c, w.delta[i]) {
			c.fig, more = Suppressed(c.raw), true
		}
		if c.fig.Suppressed {
			c.witnessed = true
		}
	}
	return more
}

// search looks for the cheapest witness of a cell, into w.best; false when none exists.
func (w *witnesses) search(cell int) bool {
	c := w.r.cells[cell]
	w.best, w.bestCost, w.bestDir = perturbation{}, -1, 0
	set := w.r.sets[c.set]
	for i := range w.inSet {
		w.inSet[i] = false
	}
	for _, a := range set.atoms {
		w.inSet[a] = true
	}
	if c.measure == mWithGap {
		w.searchGaps(cell, set.atoms)
	} else {
		w.searchStaff(cell, set.atoms)
	}
	return w.bestCost >= 0
}
