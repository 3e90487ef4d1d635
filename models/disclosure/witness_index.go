package disclosure

import "slices"

// The indexes a witness search walks: which sets hold an atom and which layers a skill,
// the cell of each (set, layer, measure), the atoms alike to each, and the cells each
// quantity of an atom in a skill adds to.

func newWitnesses(r *Release) *witnesses {
	w := &witnesses{r: r, atomSets: make([][]int, len(r.atoms)), skillLayers: make([][]int, len(r.skills)),
		byKeys: map[[4]string]int{}, delta: make([]int, len(r.cells)), inSet: make([]bool, len(r.atoms))}
	for s, set := range r.sets {
		for _, a := range set.atoms {
			w.atomSets[a] = append(w.atomSets[a], s)
		}
	}
	for l, ly := range r.layers {
		for _, s := range ly.skills {
			w.skillLayers[s] = append(w.skillLayers[s], l)
		}
	}
	w.grid = make([]int32, len(r.sets)*len(r.layers)*measures)
	for i := range w.grid {
		w.grid[i] = -1
	}
	for i, c := range r.cells {
		w.grid[(c.set*len(r.layers)+c.layer)*measures+c.measure] = int32(i)
	}
	w.along = map[[4]string][]int{}
	for i, a := range r.atoms {
		w.byKeys[a.keys] = i
		for p := range a.keys {
			key := a.keys
			key[p] = "\x00"
			w.along[key] = append(w.along[key], i)
		}
	}
	w.holding = make([][]int32, len(r.atoms)*len(r.skills)*quantities)
	w.positive = make([][]int, len(r.atoms))
	for a, at := range r.atoms {
		w.positive[a] = make([]int, len(r.layers))
		for l, ly := range r.layers {
			for _, s := range ly.skills {
				if at.skills[s].present {
					for q := range quantities {
						if at.skills[s].base(q) > 0 {
							w.positive[a][l] |= 1 << q
						}
					}
				}
			}
		}
	}
	w.alike = make([][]int, len(r.atoms))
	for a := range r.atoms {
		var byDistance [5][]int
		for b := range r.atoms {
			if b != a {
				d := differing(r.atoms[a].keys, r.atoms[b].keys)
				byDistance[d] = append(byDistance[d], b)
			}
		}
		w.alike[a] = slices.Concat(byDistance[:]...)
	}
	for _, o := range r.orgs {
		g, e := make([]bool, len(r.skills)), make([]bool, len(r.skills))
		for _, s := range o.Skills {
			g[s.Skill], e[s.Skill] = g[s.Skill] || s.Gap, true
		}
		w.gapsOf, w.evaluated = append(w.gapsOf, g), append(w.evaluated, e)
	}
	return w
}

// cellsHolding are the cells a quantity of an atom in a skill adds to, found once.
func (w *witnesses) cellsHolding(a, s, q int) []int32 {
	i := (a*len(w.r.skills)+s)*quantities + q
	if w.holding[i] == nil {
		cells := []int32{}
		for _, set := range w.atomSets[a] {
			for _, layer := range w.skillLayers[s] {
				for _, m := range measuresOf(q) {
					if c := w.cellAt(m, set, layer); c >= 0 {
						cells = append(cells, int32(c))
					}
				}
			}
		}
		w.holding[i] = cells
	}
	return w.holding[i]
}

// cellAt is the cell of a measure of a set in a layer, or -1.
func (w *witnesses) cellAt(m, set, layer int) int {
	if m == mOrganisations {
		layer = 0
	}
	return int(w.grid[(set*len(w.r.layers)+layer)*measures+m])
}

// pairs are (atom of the set, atom outside it) pairs, those whose exchange would expose
// the least first: the estimate counts the published figures of measure m, in the
// layer and over every skill, of the sets holding one atom of the pair but not the
// other. Partners are sought among the most alike atoms that have something to give
// (want), and at most searchPairs pairs are kept.
func (w *witnesses) pairs(atoms []int, m, layer int, want func(b int) bool) [][2]int {
	type scored struct {
		pair [2]int
		cost int
	}
	var all []scored
	for _, a := range atoms {
		n := 0
		for _, b := range w.alike[a] {
			if w.inSet[b] || !want(b) {
				continue
			}
			if n++; n > searchAlike {
				break
			}
			cost := 0
			w.eachApart(a, b, func(set int) {
				for _, l := range []int{layer, 0} {
					if c := w.cellAt(m, set, l); c >= 0 && !w.r.cells[c].fig.Suppressed {
						cost += w.r.cells[c].weight
					}
				}
			})
			all = append(all, scored{[2]int{a, b}, cost})
		}
	}
	slices.SortStableFunc(all, func(x, y scored) int { return x.cost - y.cost })
	out := make([][2]int, 0, searchPairs)
	for _, s := range all[:min(len(all), searchPairs)] {
		out = append(out, s.pair)
	}
	return out
}

// eachApart calls f with every set holding one of two atoms but not the other.
func (w *witnesses) eachApart(a, b int, f func(set int)) {
	x, y := w.atomSets[a], w.atomSets[b]
	for len(x) > 0 || len(y) > 0 {
		switch {
		case len(y) == 0 || (len(x) > 0 && x[0] < y[0]):
			f(x[0])
			x = x[1:]
		case len(x) == 0 || y[0] < x[0]:
			f(y[0])
			y = y[1:]
		default:
			x, y = x[1:], y[1:]
		}
	}
}

func differing(a, b [4]string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// neighbours are the atoms differing from a in dimension p only.
func (w *witnesses) neighbours(a, p int) []int {
	key := w.r.atoms[a].keys
	key[p] = "\x00"
	var out []int
	for _, b := range w.along[key] {
		if b != a {
			out = append(out, b)
		}
	}
	return out
}

// rectangles are, for an atom of the set, triples of atoms outside it completing a
// rectangle over two dimensions: one differing in the first, one in the second, one in
// both. Moving a unit around its corners (+ - - +) changes no figure of a table without
// both dimensions.
func (w *witnesses) rectangles(a int) [][3]int {
	var out [][3]int
	keys := w.r.atoms[a].keys
	for p := range keys {
		for q := p + 1; q < len(keys); q++ {
			for _, b := range w.neighbours(a, p) {
				for _, c := range w.neighbours(a, q) {
					d := keys
					d[p], d[q] = w.r.atoms[b].keys[p], w.r.atoms[c].keys[q]
					if id, ok := w.byKeys[d]; ok && !w.inSet[b] && !w.inSet[c] && !w.inSet[id] {
						out = append(out, [3]int{b, c, id})
					}
				}
			}
		}
	}
	return out
}
