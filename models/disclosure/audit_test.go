package disclosure

import (
	"fmt"
	"slices"

	"cyberskills/models/disclosure/disclosuretest"
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
	span := disclosuretest.NewSpan()
	unit := func(x int) { span.Add(map[int]int64{x: 1}) }
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
		span.Add(v)
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
		if c.measure != mOrganisations && c.fig.Suppressed && span.Contains(vector(c)) {
			found = append(found, fmt.Sprintf("cell %d (measure %d, set %v, layer %d) = %d", i, c.measure, r.sets[c.set].atoms, c.layer, c.raw))
		}
	}
	return found
}
