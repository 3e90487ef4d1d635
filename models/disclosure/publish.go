package disclosure

import (
	"strconv"

	"cyberskills/models"
)

// StatGroup is a published group of a breakdown.
type StatGroup struct {
	Group  map[string]string `json:"group"`  // dimension -> key, e.g. {"region": "Y56"}
	Labels map[string]string `json:"labels"` // dimension -> name, e.g. {"region": "London"}
	// Suppressed is set when the group has fewer than 5 organisations: all its figures are withheld.
	Suppressed           bool              `json:"suppressed,omitempty"`
	Organisations        Figure            `json:"organisations"`
	OrganisationsWithGap Figure            `json:"organisations_with_gap"`
	ShareWithGap         *float64          `json:"share_with_gap" extensions:"x-nullable"` // percent, from the published figures
	Demand               Figure            `json:"demand"`                                 // staff x skill requirements
	Supply               Figure            `json:"supply"`                                 // of those, met
	Shortfall            Figure            `json:"shortfall"`
	Coverage             *float64          `json:"coverage" extensions:"x-nullable"` // percent supply / demand, from the published figures
	StaffByLevel         map[string]Figure `json:"staff_by_level"`

	levels [models.MaxLevel + 1]Figure // published into StaffByLevel by finish
}

// Publish turns raw groups (and their total) into published groups. Controlled applies
// disclosure control: small staff counts suppressed, the rest rounded, groups of fewer
// than MinOrganisations organisations withheld, and complementary suppression along
// every dimension the figures add up on: organisation dimensions for every figure, skill
// dimensions (additive only for staff counts) for staff figures. orgDim says, per
// dimension, whether it groups organisations.
func Publish(dims []string, orgDim []bool, groups []models.RawGroup, total models.RawGroup, controlled bool) ([]StatGroup, StatGroup) {
	out := make([]StatGroup, len(groups))
	for i, g := range groups {
		out[i] = newStatGroup(dims, g, controlled, controlled && g.Organisations < MinOrganisations)
	}
	tot := newStatGroup(nil, total, controlled, controlled && total.Organisations < MinOrganisations)
	if controlled {
		staff := []func(*StatGroup) *Figure{
			func(g *StatGroup) *Figure { return &g.Demand },
			func(g *StatGroup) *Figure { return &g.Supply },
			func(g *StatGroup) *Figure { return &g.Shortfall },
		}
		for l := 1; l <= models.MaxLevel; l++ {
			staff = append(staff, func(g *StatGroup) *Figure { return &g.levels[l] })
		}
		organisations := []func(*StatGroup) *Figure{
			func(g *StatGroup) *Figure { return &g.Organisations },
			func(g *StatGroup) *Figure { return &g.OrganisationsWithGap },
		}
		for _, pick := range staff {
			ProtectLines(lines(out, groups, dims, nil, pick), SuppressBelow)
		}
		for _, pick := range organisations {
			ProtectLines(lines(out, groups, dims, orgDim, pick), MinOrganisations)
		}
	}
	for i := range out {
		out[i].finish()
	}
	tot.finish()
	return out, tot
}

// lines gathers one measure's cells into the lines that add up to published totals:
// for each dimension (only organisation dimensions when only is given), the groups that
// differ in it alone.
func lines(out []StatGroup, groups []models.RawGroup, dims []string, only []bool, pick func(*StatGroup) *Figure) [][]*Figure {
	var all [][]*Figure
	for d := range dims {
		if only != nil && !only[d] {
			continue
		}
		for _, line := range linesAlong(groups, d) {
			cells := make([]*Figure, len(line))
			for i, gi := range line {
				cells[i] = pick(&out[gi])
			}
			all = append(all, cells)
		}
	}
	return all
}

func newStatGroup(dims []string, g models.RawGroup, controlled, withheld bool) StatGroup {
	sg := StatGroup{Group: map[string]string{}, Labels: map[string]string{}, StaffByLevel: map[string]Figure{}, Suppressed: withheld}
	for i, d := range dims {
		sg.Group[d], sg.Labels[d] = g.Keys[i], g.Labels[i]
	}
	staff := func(n int) Figure {
		switch {
		case withheld:
			return Suppressed(n)
		case controlled:
			return StaffCount(n)
		}
		return Raw(n)
	}
	orgs := func(n int) Figure {
		if withheld {
			return Suppressed(n)
		}
		return Raw(n)
	}
	sg.Organisations, sg.OrganisationsWithGap = orgs(g.Organisations), orgs(g.WithGap)
	sg.Demand, sg.Supply, sg.Shortfall = staff(g.Demand), staff(g.Supply), staff(g.Demand-g.Supply)
	for l := 1; l <= models.MaxLevel; l++ {
		sg.levels[l] = staff(g.Held[l])
	}
	return sg
}

// finish computes the percentages from the published figures.
func (g *StatGroup) finish() {
	for l := 1; l <= models.MaxLevel; l++ {
		g.StaffByLevel[strconv.Itoa(l)] = g.levels[l]
	}
	g.ShareWithGap = Share(g.OrganisationsWithGap, g.Organisations)
	g.Coverage = Share(g.Supply, g.Demand)
}

// linesAlong returns, for dimension d, the sets of groups that differ only in d: the
// cells that add up to a total published elsewhere (the total, or the breakdown by the
// other dimension).
func linesAlong(groups []models.RawGroup, d int) [][]int {
	byRest := map[string][]int{}
	var order []string
	for i, g := range groups {
		rest := ""
		for j, k := range g.Keys {
			if j != d {
				rest += k + "\x00"
			}
		}
		if _, ok := byRest[rest]; !ok {
			order = append(order, rest)
		}
		byRest[rest] = append(byRest[rest], i)
	}
	out := make([][]int, len(order))
	for i, k := range order {
		out[i] = byRest[k]
	}
	return out
}
