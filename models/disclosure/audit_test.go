package disclosure

import (
	"fmt"
	"math/bits"
	"slices"
)

// audit plays an analyst who knows every published figure of a release as a sum of its
// parts (per atom and skill: supply, shortfall and staff at each level; per atom and
// layer: organisations with a gap), the parts that published zeros settle (and, for
// with_gap, a published count equal to the organisations: all of them, in that layer and
// any wider one), and the parts that are zero because no organisation of an atom is
// evaluated in them. It returns the withheld figures (but organisation counts, which the
// register gives) that lie in the span of what it knows: those that follow by addition
// and subtraction. It is independent of the release's own reasoning (the witnesses).
func audit(r *Release) []string {
	coords := map[string]int{}
	coord := func(parts ...any) int {
		key := fmt.Sprint(parts...)
		if _, ok := coords[key]; !ok {
			coords[key] = len(coords)
		}
		return coords[key]
	}
	parts := map[int][]string{mDemand: {"S", "F"}, mSupply: {"S"}, mShortfall: {"F"},
		mHeld1: {"H1"}, mHeld1 + 1: {"H2"}, mHeld1 + 2: {"H3"}, mHeld1 + 3: {"H4"}}
	vector := func(c cell) map[int]int64 {
		v := map[int]int64{}
		for _, a := range r.sets[c.set].atoms {
			if c.measure == mWithGap {
				v[coord("g", a, c.layer)]++
				continue
			}
			for _, s := range r.layers[c.layer].skills {
				if r.atoms[a].skills[s].present {
					for _, q := range parts[c.measure] {
						v[coord(q, a, s)]++
					}
				}
			}
		}
		return v
	}
	span := &modSpan{pivots: map[int]map[int]uint64{}}
	unit := func(x int) { span.add(map[int]int64{x: 1}) }
	subset := func(a, b []int) bool { // every skill of a is in b
		for _, s := range a {
			if !slices.Contains(b, s) {
				return false
			}
		}
		return true
	}
	for a := range r.atoms {
		for l, ly := range r.layers {
			if !r.present([]int{a}, ly.skills) {
				unit(coord("g", a, l))
			}
		}
	}
	for _, c := range r.cells {
		if c.measure == mOrganisations || c.fig.Suppressed {
			continue
		}
		v := vector(c)
		span.add(v)
		switch {
		case c.raw == 0 && c.measure != mWithGap:
			for x := range v {
				unit(x)
			}
		case c.measure == mWithGap && (c.raw == 0 || c.raw == r.sets[c.set].n):
			for _, a := range r.sets[c.set].atoms {
				for l, ly := range r.layers {
					narrower := c.raw == 0 && subset(ly.skills, r.layers[c.layer].skills)
					wider := c.raw > 0 && subset(r.layers[c.layer].skills, ly.skills)
					if narrower || wider {
						unit(coord("g", a, l))
					}
				}
			}
		}
	}
	var found []string
	for i, c := range r.cells {
		if c.measure != mOrganisations && c.fig.Suppressed && span.contains(vector(c)) {
			found = append(found, fmt.Sprintf("cell %d (measure %d, set %v, layer %d) = %d", i, c.measure, r.sets[c.set].atoms, c.layer, c.raw))
		}
	}
	return found
}

// modSpan is a row-echelon basis over the integers modulo a large prime: exact, with
// overwhelming probability, for small integer systems.
type modSpan struct {
	pivots map[int]map[int]uint64 // pivot coordinate -> basis vector (pivot coefficient 1)
}

const modP = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi, lo, modP)
	return rem
}

func invMod(a uint64) uint64 {
	r, e := uint64(1), uint64(modP-2)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// reduce is v less its part in the span, v's smallest pivot first.
func (m *modSpan) reduce(v map[int]int64) map[int]uint64 {
	r := map[int]uint64{}
	for x, c := range v {
		if c%modP != 0 {
			r[x] = uint64((c%modP + modP) % modP)
		}
	}
	for {
		pivot := -1
		for x := range r {
			if _, ok := m.pivots[x]; ok && (pivot < 0 || x < pivot) {
				pivot = x
			}
		}
		if pivot < 0 {
			return r
		}
		f := r[pivot]
		for x, c := range m.pivots[pivot] {
			if r[x] = (r[x] + modP - mulMod(f, c)) % modP; r[x] == 0 {
				delete(r, x)
			}
		}
	}
}

func (m *modSpan) add(v map[int]int64) {
	r := m.reduce(v)
	if len(r) == 0 {
		return
	}
	pivot := -1
	for x := range r {
		if pivot < 0 || x < pivot {
			pivot = x
		}
	}
	inv := invMod(r[pivot])
	for x := range r {
		r[x] = mulMod(r[x], inv)
	}
	m.pivots[pivot] = r
}

func (m *modSpan) contains(v map[int]int64) bool { return len(m.reduce(v)) == 0 }
