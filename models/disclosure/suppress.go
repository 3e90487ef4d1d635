package disclosure

import (
	"slices"

	"cyberskills/models"
)

// suppress applies disclosure control to every figure of the release at once:
//
//  1. staff counts of 1 to 7 are withheld, the others rounded (done as the cells were
//     made), and every figure of a group of fewer than MinOrganisations organisations is
//     withheld, whatever its value, so that a withheld figure says nothing about itself;
//  2. complementary suppression along every line of every table (ProtectLines), the
//     tables' shared figures being one: a line withholding one figure withholds another,
//     and those withheld hold the threshold together;
//  3. every withheld figure gets a witness: a change of the data, feasible (counts stay
//     whole and not negative, organisations keep a coherent set of gaps) that changes it
//     and no published figure. Such a change exists only if the published figures do not
//     determine the withheld one, by addition and subtraction or by any bound; finding
//     one where a figure has none withholds what it changes, chosen to cost the least.
//
// Steps 2 and 3 repeat until neither withholds anything more. Organisation counts are
// public (the register lists every organisation with its region, ICB, sector and size
// band): they are withheld with their group and along lines, but need no witness.
func (r *Release) suppress() {
	for i := range r.cells {
		c := &r.cells[i]
		if r.sets[c.set].n < MinOrganisations {
			c.fig = Suppressed(c.raw)
		}
	}
	lines := r.lines()
	w := newWitnesses(r)
	for {
		for m, ls := range lines {
			threshold := SuppressBelow
			if m == mOrganisations || m == mWithGap {
				threshold = MinOrganisations
			}
			ProtectTotalled(ls, threshold)
		}
		if !w.witnessAll() {
			return
		}
	}
}

// lines gathers, per measure, the figures that add up to another figure: in every
// table, the groups that differ in one dimension only, against the group of the table
// without that dimension. Every measure adds up over organisations; staff measures over
// skills too.
func (r *Release) lines() [measures][]Line {
	var out [measures][]Line
	for _, key := range r.tableOrder {
		t := r.tables[key]
		for d, dim := range t.dims {
			skillDim := dim == "skill" || dim == "tier"
			byRest := map[string][]tableGroup{}
			var order []string
			for _, g := range t.groups {
				rest := ""
				for j, k := range g.keys {
					if j != d {
						rest += k + "\x00"
					}
				}
				if _, ok := byRest[rest]; !ok {
					order = append(order, rest)
				}
				byRest[rest] = append(byRest[rest], g)
			}
			for _, rest := range order {
				groups := byRest[rest]
				if len(groups) < 2 {
					continue // its total is itself
				}
				set, layer, found := r.totalOf(t, d, groups)
				for m := range measures {
					if skillDim && m < mDemand {
						continue
					}
					var line Line
					if k := (cellKey{m, set, layer}); found {
						if m == mOrganisations {
							k.layer = 0
						}
						if id, ok := r.cellIDs[k]; ok {
							line.Total = &r.cells[id].fig
						}
					}
					for _, g := range groups {
						line.Cells = append(line.Cells, &r.cells[r.cellID(cellKey{m, g.set, g.layer})].fig)
					}
					out[m] = append(out[m], line)
				}
			}
		}
	}
	return out
}

// totalOf is the set and layer of the figure a line of table t along dimension d adds up
// to: the organisations sharing the line's other dimensions (those evaluated in none of
// its skills count 0), over the skills of the table without d.
func (r *Release) totalOf(t *table, d int, groups []tableGroup) (set, layer int, ok bool) {
	orgDims := models.StatOrgDimensions()
	var atoms []int
	for a, at := range r.atoms {
		in := true
		for j, dim := range t.dims {
			if p := slices.Index(orgDims, dim); j != d && p >= 0 && at.keys[p] != groups[0].keys[j] {
				in = false
			}
		}
		if in {
			atoms = append(atoms, a)
		}
	}
	layer = groups[0].layer
	switch t.dims[d] {
	case "tier":
		layer = 0
	case "skill":
		layer = 0
		if slices.Contains(t.dims, "tier") {
			layer = r.layerOf(r.tierSkills(r.skills[r.layers[groups[0].layer].skills[0]].Tier))
		}
	}
	set, ok = r.setIDs[intsKey(atoms)]
	return set, layer, ok
}
