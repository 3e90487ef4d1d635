package disclosure

import "slices"

// The search for a witness tries, from a few atoms (organisations) of the withheld
// figure's set, the perturbations that tables hide best, cheapest first, and stops at
// the first that exposes nothing:
//
//   - a rectangle over two dimensions (+ - - +), which only the table by both dimensions
//     sees (the classic pattern of two-way tables);
//   - a pair: a unit moved to the most alike atom outside the set, which the tables by
//     the dimensions they differ in see;
//   - for a figure of some skills only, a unit moved to another skill of the same atom
//     (and back at a second atom), which only per-skill and per-tier figures see;
//   - the unit alone, which every figure holding it sees: it always exists.
//
// For with_gap the units are organisations: two swap their sets of gaps (a rectangle
// swaps two pairs whose gaps differ alike), or one gains a gap in a skill of the figure
// or loses those it has.

const (
	searchAtoms    = 6  // atoms of the set tried
	searchSkills   = 8  // skills of an atom tried
	searchPartners = 16 // atoms outside the set tried
	searchOrgs     = 6  // organisations of an atom tried
)

type point struct{ atom, skill, sign int }

// staffPerturbation moves pattern's quantities at each point.
func staffPerturbation(pattern []staffMove, points ...point) perturbation {
	var p perturbation
	for _, pt := range points {
		for _, m := range pattern {
			p.staff = append(p.staff, staffMove{pt.atom, pt.skill, m.q, m.delta * pt.sign})
		}
	}
	return p
}

func (w *witnesses) searchStaff(target int, atoms []int) {
	c := w.r.cells[target]
	layer := w.r.layers[c.layer].skills
	atoms = atoms[:min(len(atoms), searchAtoms)]
	partners, rectangles := make([][]int, len(atoms)), make([][][3]int, len(atoms))
	for i, a := range atoms {
		partners[i], rectangles[i] = w.partners(a), w.rectangles(a)
	}
	// each runs try over every atom, skill of the figure and pattern, until it says stop.
	each := func(try func(a, i, s int, pat []staffMove) bool) bool {
		for i, a := range atoms {
			n := 0
			for _, s := range layer {
				if !w.r.atoms[a].skills[s].present {
					continue
				}
				if n++; n > searchSkills {
					break
				}
				for _, pat := range patternsOf(c.measure) {
					if try(a, i, s, pat) {
						return true
					}
				}
			}
		}
		return false
	}
	stop := func(pat []staffMove, points ...point) bool {
		return w.try(staffPerturbation(pat, points...), target, 1, -1)
	}
	// The structures, cheapest first: around a rectangle of atoms; for a figure of some
	// skills, around a rectangle of two atoms and two skills (every-skill figures stay),
	// or between two skills of one atom; to a partner atom; alone.
	if each(func(a, i, s int, pat []staffMove) bool {
		for _, rc := range rectangles[i] {
			if stop(pat, point{a, s, 1}, point{rc[0], s, -1}, point{rc[1], s, -1}, point{rc[2], s, 1}) {
				return true
			}
		}
		return false
	}) {
		return
	}
	if c.layer != 0 && each(func(a, i, s int, pat []staffMove) bool {
		for _, s2 := range w.otherSkills(a, s, layer) {
			for _, a2 := range partners[i] {
				if stop(pat, point{a, s, 1}, point{a, s2, -1}, point{a2, s, -1}, point{a2, s2, 1}) {
					return true
				}
			}
			if stop(pat, point{a, s, 1}, point{a, s2, -1}) {
				return true
			}
		}
		return false
	}) {
		return
	}
	if each(func(a, i, s int, pat []staffMove) bool {
		for _, a2 := range partners[i] {
			if stop(pat, point{a, s, 1}, point{a2, s, -1}) {
				return true
			}
		}
		return false
	}) {
		return
	}
	each(func(a, i, s int, pat []staffMove) bool { return stop(pat, point{a, s, 1}) })
}

// otherSkills are the skills an atom is evaluated in outside a layer, those of skill s's
// tier first (moving a unit between them leaves the tier's figures as they are).
func (w *witnesses) otherSkills(a, s int, layer []int) []int {
	var same, other []int
	for s2, as := range w.r.atoms[a].skills {
		if !as.present || slices.Contains(layer, s2) {
			continue
		}
		if w.r.skills[s2].Tier == w.r.skills[s].Tier {
			same = append(same, s2)
		} else {
			other = append(other, s2)
		}
	}
	return append(same, other...)
}

// swappable reports whether two organisations can exchange their gaps: each is evaluated
// in the other's.
func (w *witnesses) swappable(a, b int) bool {
	for s := range w.r.skills {
		if (w.gapsOf[a][s] && !w.evaluated[b][s]) || (w.gapsOf[b][s] && !w.evaluated[a][s]) {
			return false
		}
	}
	return true
}

func (w *witnesses) swap(a, b int) []gapMove {
	return []gapMove{{a, w.gapsOf[b]}, {b, w.gapsOf[a]}}
}

// sameChange reports whether swapping c and d changes the layers' flags of c as
// swapping a and b changes those of b.
func (w *witnesses) sameChange(a, b, c, d int) bool {
	for l := range w.r.layers {
		if btoi(w.r.gaps[d][l])-btoi(w.r.gaps[c][l]) != btoi(w.r.gaps[a][l])-btoi(w.r.gaps[b][l]) {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// orgsOf are up to searchOrgs organisations of an atom.
func (w *witnesses) orgsOf(a int) []int {
	orgs := w.r.atoms[a].orgs
	return orgs[:min(len(orgs), searchOrgs)]
}

func (w *witnesses) searchGaps(target int, atoms []int) {
	layer := w.r.cells[target].layer
	for _, a1 := range atoms[:min(len(atoms), searchAtoms)] {
		partners := w.partners(a1)
		rectangles := w.rectangles(a1)
		for _, o1 := range w.orgsOf(a1) {
			differs := func(o int) bool { return w.r.gaps[o][layer] != w.r.gaps[o1][layer] && w.swappable(o1, o) }
			for _, rc := range rectangles {
				for _, o2 := range w.orgsOf(rc[0]) {
					if !differs(o2) {
						continue
					}
					for _, o3 := range w.orgsOf(rc[1]) {
						for _, o4 := range w.orgsOf(rc[2]) {
							if w.swappable(o3, o4) && w.sameChange(o1, o2, o3, o4) &&
								w.try(perturbation{gaps: append(w.swap(o1, o2), w.swap(o3, o4)...)}, target, 1) {
								return
							}
						}
					}
				}
			}
			for _, a2 := range partners {
				for _, o2 := range w.orgsOf(a2) {
					if differs(o2) && w.try(perturbation{gaps: w.swap(o1, o2)}, target, 1) {
						return
					}
				}
			}
			for _, gaps := range w.toggles(o1, layer) {
				if w.try(perturbation{gaps: []gapMove{{o1, gaps}}}, target, 1) {
					return
				}
			}
		}
	}
}

// toggles are the sets of gaps an organisation could have instead, flipping whether it
// has one in the layer: without its gaps there, or with one more there.
func (w *witnesses) toggles(o, layer int) [][]bool {
	var out [][]bool
	skills := w.r.layers[layer].skills
	if w.r.gaps[o][layer] {
		g := slices.Clone(w.gapsOf[o])
		for _, s := range skills {
			g[s] = false
		}
		return append(out, g)
	}
	for _, s := range skills {
		if w.evaluated[o][s] {
			g := slices.Clone(w.gapsOf[o])
			g[s] = true
			out = append(out, g)
		}
	}
	return out
}
