package disclosure

import "slices"

// The search for a witness tries, from a few atoms (organisations) of the withheld
// figure's set, the perturbations that tables hide best, structure by structure, each
// within a budget, and takes the cheapest found, stopping at once at one that exposes
// nothing:
//
//   - a rectangle over two dimensions (+ - - +), which only the table by both dimensions
//     sees (the classic pattern of two-way tables);
//   - for a figure of some skills only, a unit moved to another skill of the same atom
//     and back at a partner atom, which only per-skill and per-tier figures see, or
//     between two skills of the atom alone;
//   - a pair: a unit moved to a partner atom outside the set, partners ranked by the
//     published figures the move would expose;
//   - the unit alone, which every figure holding it sees: it always exists.
//
// For with_gap the units are organisations: two swap their sets of gaps (a rectangle
// swaps two pairs whose gaps differ alike), or one gains a gap in a skill of the figure
// or loses those it has.

const (
	searchAtoms  = 6  // atoms of the set tried
	searchSkills = 8  // skills of an atom tried
	searchAlike  = 16 // partners considered per atom (the most alike)
	searchPairs  = 24 // pairs tried, the cheapest first
	searchOrgs   = 6  // organisations of an atom tried
)

type point struct{ atom, skill, sign int }

// staffPerturbation moves pattern's quantities at each point, into buf.
func staffPerturbation(buf []staffMove, pattern []staffMove, points ...point) perturbation {
	buf = buf[:0]
	for _, pt := range points {
		for _, m := range pattern {
			buf = append(buf, staffMove{pt.atom, pt.skill, m.q, m.delta * pt.sign})
		}
	}
	return perturbation{staff: buf}
}

// fits reports whether a point can take its part of a pattern applied in direction dir:
// its atom is evaluated in its skill and no quantity falls below zero. (The structures
// below never move the same atom and skill twice, so points are checked one by one.)
func (w *witnesses) fits(pt point, pat []staffMove, dir int) bool {
	as := w.r.atoms[pt.atom].skills[pt.skill]
	if !as.present {
		return false
	}
	for _, m := range pat {
		if as.base(m.q)+m.delta*pt.sign*dir < 0 {
			return false
		}
	}
	return true
}

func (w *witnesses) searchStaff(target int, atoms []int) {
	c := w.r.cells[target]
	layer := w.r.layers[c.layer].skills
	atoms = atoms[:min(len(atoms), searchAtoms)]
	// A partner has something to give: a quantity of the measure in a skill of the figure.
	pairs := w.pairs(atoms, c.measure, c.layer, func(b int) bool { return w.positive[b][c.layer]&quantitiesOf[c.measure] != 0 })
	// each runs try from an atom, every skill of the figure it is evaluated in, pattern
	// and direction in which that first point fits, until it says stop.
	each := func(a int, try func(s int, pat []staffMove, dir int) bool) bool {
		n := 0
		for _, s := range layer {
			if !w.r.atoms[a].skills[s].present {
				continue
			}
			if n++; n > searchSkills {
				break
			}
			for _, pat := range patterns[c.measure] {
				for _, dir := range []int{1, -1} {
					if w.fits(point{a, s, 1}, pat, dir) && try(s, pat, dir) {
						return true
					}
				}
			}
		}
		return false
	}
	var buf []staffMove
	// stop tries the perturbation of points that fit, and says whether to stop.
	stop := func(pat []staffMove, dir int, points ...point) bool {
		for _, pt := range points[1:] {
			if !w.fits(pt, pat, dir) {
				return w.attempt()
			}
		}
		p := staffPerturbation(buf, pat, points...)
		buf = p.staff
		return w.try(p, target, dir)
	}
	// The structures, cheapest first, each with its budget: around a rectangle of atoms;
	// for a figure of some skills, around a rectangle of two atoms and two skills (figures
	// over every skill stay), or between two skills of one atom; to a partner atom; alone.
	structures := []func() bool{
		func() bool {
			for _, a := range atoms {
				for _, rc := range w.rectangles(a) {
					if each(a, func(s int, pat []staffMove, dir int) bool {
						return stop(pat, dir, point{a, s, 1}, point{rc[0], s, -1}, point{rc[1], s, -1}, point{rc[2], s, 1})
					}) {
						return true
					}
				}
			}
			return false
		},
		func() bool {
			if c.layer == 0 {
				return false
			}
			for _, pr := range pairs {
				a, a2 := pr[0], pr[1]
				if each(a, func(s int, pat []staffMove, dir int) bool {
					for _, s2 := range w.otherSkills(a, s, layer) {
						if w.fits(point{a, s2, -1}, pat, dir) &&
							stop(pat, dir, point{a, s, 1}, point{a, s2, -1}, point{a2, s, -1}, point{a2, s2, 1}) {
							return true
						}
					}
					return false
				}) {
					return true
				}
			}
			for _, a := range atoms {
				if each(a, func(s int, pat []staffMove, dir int) bool {
					for _, s2 := range w.otherSkills(a, s, layer) {
						if stop(pat, dir, point{a, s, 1}, point{a, s2, -1}) {
							return true
						}
					}
					return false
				}) {
					return true
				}
			}
			return false
		},
		func() bool {
			for _, pr := range pairs {
				if each(pr[0], func(s int, pat []staffMove, dir int) bool {
					return stop(pat, dir, point{pr[0], s, 1}, point{pr[1], s, -1})
				}) {
					return true
				}
			}
			return false
		},
		func() bool {
			for _, a := range atoms {
				if each(a, func(s int, pat []staffMove, dir int) bool { return stop(pat, dir, point{a, s, 1}) }) {
					return true
				}
			}
			return false
		},
	}
	for _, structure := range structures {
		if w.phase() {
			return
		}
		structure()
	}
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
	atoms = atoms[:min(len(atoms), searchAtoms)]
	// Each structure, cheapest first, from every organisation tried of the set.
	each := func(try func(a, o1 int) bool) bool {
		for _, a := range atoms {
			for _, o1 := range w.orgsOf(a) {
				if try(a, o1) {
					return true
				}
			}
		}
		return false
	}
	differs := func(o1, o int) bool { return w.r.gaps[o][layer] != w.r.gaps[o1][layer] && w.swappable(o1, o) }
	// A partner holds an organisation whose gap in the layer differs from one of the set's.
	var flags [2]bool
	for _, a := range atoms {
		for _, o := range w.r.atoms[a].orgs {
			flags[btoi(w.r.gaps[o][layer])] = true
		}
	}
	pairs := w.pairs(atoms, mWithGap, layer, func(b int) bool {
		for _, o := range w.r.atoms[b].orgs {
			if flags[1-btoi(w.r.gaps[o][layer])] {
				return true
			}
		}
		return false
	})
	structures := []func(a, o1 int) bool{
		func(a, o1 int) bool {
			for _, rc := range w.rectangles(a) {
				for _, o2 := range w.orgsOf(rc[0]) {
					if !differs(o1, o2) {
						continue
					}
					for _, o3 := range w.orgsOf(rc[1]) {
						for _, o4 := range w.orgsOf(rc[2]) {
							if w.swappable(o3, o4) && w.sameChange(o1, o2, o3, o4) &&
								w.try(perturbation{gaps: append(w.swap(o1, o2), w.swap(o3, o4)...)}, target, 1) {
								return true
							}
						}
					}
				}
			}
			return false
		},
		func(a, o1 int) bool {
			for _, pr := range pairs {
				if pr[0] != a {
					continue
				}
				for _, o2 := range w.orgsOf(pr[1]) {
					if differs(o1, o2) && w.try(perturbation{gaps: w.swap(o1, o2)}, target, 1) {
						return true
					}
				}
			}
			return false
		},
		func(a, o1 int) bool {
			for _, gaps := range w.toggles(o1, layer) {
				if w.try(perturbation{gaps: []gapMove{{o1, gaps}}}, target, 1) {
					return true
				}
			}
			return false
		},
	}
	for _, structure := range structures {
		if w.phase() {
			return
		}
		each(structure)
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
