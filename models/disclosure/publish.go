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

// Publish turns raw groups (and their total) into published groups, as they are: the
// raw figures admins may ask for. Analysts' figures come from a Release.
func Publish(dims []string, groups []models.RawGroup, total models.RawGroup) ([]StatGroup, StatGroup) {
	out := make([]StatGroup, len(groups))
	for i, g := range groups {
		out[i] = newStatGroup(dims, g)
	}
	return out, newStatGroup(nil, total)
}

// newStatGroup is a raw group as published: every figure as it is.
func newStatGroup(dims []string, g models.RawGroup) StatGroup {
	sg := StatGroup{Group: map[string]string{}, Labels: map[string]string{}, StaffByLevel: map[string]Figure{}}
	for i, d := range dims {
		sg.Group[d], sg.Labels[d] = g.Keys[i], models.GroupLabel(d, g.Keys[i], g.Labels[i])
	}
	sg.Organisations, sg.OrganisationsWithGap = Raw(g.Organisations), Raw(g.WithGap)
	sg.Demand, sg.Supply, sg.Shortfall = Raw(g.Demand), Raw(g.Supply), Raw(g.Demand-g.Supply)
	for l := 1; l <= models.MaxLevel; l++ {
		sg.levels[l] = Raw(g.Held[l])
	}
	sg.finish()
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
