package disclosure

import (
	"slices"
	"strings"

	"cyberskills/models"
)

// tableKey names a canonical table: its dimensions sorted, so that a table asked for in
// either order is the same table.
func tableKey(dims []string) string {
	d := slices.Clone(dims)
	slices.Sort(d)
	return strings.Join(d, ",")
}

// buildTable adds the canonical table by dims: its groups, and their figures to the cells.
func (r *Release) buildTable(dims []string) {
	dims = slices.Clone(dims)
	slices.Sort(dims)
	t := &table{dims: dims}
	orgDims := models.StatOrgDimensions()
	var orgPos []int // for each of dims, its index in StatOrg.Keys, or -1
	for _, d := range dims {
		orgPos = append(orgPos, slices.Index(orgDims, d))
	}
	// The organisation groups: atoms sharing the table's organisation dimensions.
	tuples := map[string][]int{}
	var order []string
	for a, at := range r.atoms {
		var parts []string
		for _, p := range orgPos {
			if p >= 0 {
				parts = append(parts, at.keys[p])
			}
		}
		key := strings.Join(parts, "\x00")
		if _, ok := tuples[key]; !ok {
			order = append(order, key)
		}
		tuples[key] = append(tuples[key], a)
	}
	orgCount := 0
	for _, p := range orgPos {
		if p >= 0 {
			orgCount++
		}
	}
	skillDim, tierDim := slices.Index(dims, "skill"), slices.Index(dims, "tier")
	for _, key := range order {
		atoms := tuples[key]
		set := r.set(atoms, orgCount)
		at := r.atoms[atoms[0]]
		group := func(layer int, skill, tier string) {
			g := tableGroup{set: set, layer: layer}
			for i := range dims {
				k, l := "", ""
				switch {
				case orgPos[i] >= 0:
					k, l = at.keys[orgPos[i]], at.labels[orgPos[i]]
				case i == skillDim:
					k, l = skill, r.skillNamed(skill)
				case i == tierDim:
					k, l = tier, tier
				}
				g.keys, g.labels = append(g.keys, k), append(g.labels, l)
			}
			t.groups = append(t.groups, g)
			for m := range measures {
				r.cellID(cellKey{m, set, layer})
			}
		}
		switch {
		case skillDim >= 0:
			for i, s := range r.skills {
				if r.present(atoms, []int{i}) {
					group(r.layerOf([]int{i}), s.Code, s.Tier)
				}
			}
		case tierDim >= 0:
			for _, tier := range r.tiers() {
				if skills := r.tierSkills(tier); r.present(atoms, skills) {
					group(r.layerOf(skills), "", tier)
				}
			}
		default:
			group(0, "", "")
		}
	}
	slices.SortStableFunc(t.groups, func(a, b tableGroup) int { return slices.Compare(a.keys, b.keys) })
	r.tables[tableKey(dims)] = t
	r.tableOrder = append(r.tableOrder, tableKey(dims))
}

func (r *Release) skillNamed(code string) string {
	for _, s := range r.skills {
		if s.Code == code {
			return s.Name
		}
	}
	return code
}

// present reports whether some organisation of the atoms is evaluated in one of skills.
func (r *Release) present(atoms []int, skills []int) bool {
	for _, a := range atoms {
		for _, s := range skills {
			if r.atoms[a].skills[s].present {
				return true
			}
		}
	}
	return false
}

// set is the organisation set of these atoms, named by dims dimensions.
func (r *Release) set(atoms []int, dims int) int {
	atoms = slices.Clone(atoms)
	slices.Sort(atoms)
	key := intsKey(atoms)
	if id, ok := r.setIDs[key]; ok {
		r.sets[id].dims = min(r.sets[id].dims, dims)
		return id
	}
	n := 0
	for _, a := range atoms {
		n += len(r.atoms[a].orgs)
	}
	r.setIDs[key] = len(r.sets)
	r.sets = append(r.sets, orgSet{atoms: atoms, n: n, dims: dims})
	return len(r.sets) - 1
}

// cellID is the cell of a figure, added when new. The organisations of a set are the
// same whatever the skills.
func (r *Release) cellID(k cellKey) int {
	if k.measure == mOrganisations {
		k.layer = 0
	}
	if id, ok := r.cellIDs[k]; ok {
		return id
	}
	r.cellIDs[k] = len(r.cells)
	r.cells = append(r.cells, cell{cellKey: k})
	return len(r.cells) - 1
}

// value is a figure's raw value.
func (r *Release) value(k cellKey) int {
	set, skills := r.sets[k.set], r.layers[k.layer].skills
	n := 0
	for _, a := range set.atoms {
		at := r.atoms[a]
		switch k.measure {
		case mOrganisations:
			n += len(at.orgs)
		case mWithGap:
			for _, o := range at.orgs {
				if r.gaps[o][k.layer] {
					n++
				}
			}
		default:
			for _, s := range skills {
				n += quantity(at.skills[s], k.measure)
			}
		}
	}
	return n
}

// quantity is an atom's value of a staff measure in one skill.
func quantity(s atomSkill, measure int) int {
	switch measure {
	case mDemand:
		return s.demand
	case mSupply:
		return s.supply
	case mShortfall:
		return s.demand - s.supply
	}
	return s.held[measure-mHeld1+1]
}

// weight is how much withholding a figure costs: a national figure most, one of a
// two-way table least.
func (r *Release) weight(k cellKey) int {
	dims := r.sets[k.set].dims
	if k.layer != 0 {
		dims++
	}
	return [...]int{1_000_000, 10_000, 100, 1}[min(dims, 3)]
}
