package disclosure

import (
	"slices"
	"time"

	"cyberskills/models"
)

// figure is the published figure of a measure of a set in a layer. A figure no table
// holds (a headline's tier for two filters) is computed raw, or withheld under control.
func (r *Release) figure(m, set, layer int) Figure {
	k := cellKey{m, set, layer}
	if m == mOrganisations {
		k.layer = 0
	}
	if id, ok := r.cellIDs[k]; ok {
		return r.cells[id].fig
	}
	if r.controlled {
		return Suppressed(0)
	}
	return Raw(r.value(k))
}

// group is the published figures of a set in a layer.
func (r *Release) group(set, layer int) StatGroup {
	g := StatGroup{Group: map[string]string{}, Labels: map[string]string{}, StaffByLevel: map[string]Figure{},
		Suppressed: r.controlled && r.sets[set].n < MinOrganisations}
	g.Organisations, g.OrganisationsWithGap = r.figure(mOrganisations, set, layer), r.figure(mWithGap, set, layer)
	g.Demand, g.Supply, g.Shortfall = r.figure(mDemand, set, layer), r.figure(mSupply, set, layer), r.figure(mShortfall, set, layer)
	for l := 1; l <= models.MaxLevel; l++ {
		g.levels[l] = r.figure(mHeld1+l-1, set, layer)
	}
	g.finish()
	return g
}

// Table is the published canonical table by dims (in any order): every group, named by
// every dimension of the table, and the total; ok is false for a table not built.
func (r *Release) Table(dims []string) (groups []StatGroup, total StatGroup, ok bool) {
	t, ok := r.tables[tableKey(dims)]
	if !ok {
		return nil, StatGroup{}, false
	}
	groups = make([]StatGroup, len(t.groups))
	for i, tg := range t.groups {
		g := r.group(tg.set, tg.layer)
		for j, d := range t.dims {
			g.Group[d], g.Labels[d] = tg.keys[j], models.GroupLabel(d, tg.keys[j], tg.labels[j])
		}
		groups[i] = g
	}
	return groups, r.group(0, 0), true
}

// Cell is the published group of the organisations whose dims take values (all of
// them when dims is empty), over every skill; ok is false when no organisation matches.
func (r *Release) Cell(dims, values []string) (StatGroup, bool) {
	set, ok := r.setOf(dims, values)
	if !ok {
		return StatGroup{}, false
	}
	return r.group(set, 0), true
}

// setOf finds the set of organisations whose dims take values, from the canonical
// table by dims.
func (r *Release) setOf(dims, values []string) (int, bool) {
	if len(dims) == 0 {
		return 0, true
	}
	t, ok := r.tables[tableKey(dims)]
	if !ok {
		return 0, false
	}
	for _, tg := range t.groups {
		match := true
		for i, d := range dims {
			if tg.keys[slices.Index(t.dims, d)] != values[i] {
				match = false
			}
		}
		if match {
			return tg.set, true
		}
	}
	return 0, false
}

// headlineTiers are the survey's three measures.
var headlineTiers = []string{"basic", "incident_response", "advanced"}

// Headline is the published headline of the organisations the filter names (at most one
// dimension under control). A filter matching no organisation gives an empty, withheld
// headline.
func (r *Release) Headline(f models.StatisticsFilter, at time.Time) HeadlineStatistics {
	dims, values := FilteredDims(f)
	set, found := r.setOf(dims, values)
	if !found {
		return PublishHeadline(models.Headline{}, f, true, true, at)
	}
	small := r.controlled && r.sets[set].n < MinOrganisations
	orgs := r.figure(mOrganisations, set, 0)
	measure := func(skills []int) GapMeasure {
		fig := Raw(0) // no organisation is evaluated in these skills: none has a gap
		switch {
		case len(skills) > 0 && r.present(r.sets[set].atoms, skills):
			fig = r.figure(mWithGap, set, r.layerOf(skills))
		case small:
			fig = Suppressed(0)
		}
		return GapMeasure{Organisations: fig, Share: Share(fig, orgs)}
	}
	if f.Type == "" {
		f.Type = "trust"
	}
	h := HeadlineStatistics{Metadata: Metadata(r.controlled, at), Filter: f, Organisations: orgs,
		BasicSkillsGap: measure(r.tierSkills(headlineTiers[0])), IncidentResponseGap: measure(r.tierSkills(headlineTiers[1])),
		AdvancedSkillsGap: measure(r.tierSkills(headlineTiers[2])), Skills: []SkillMeasure{}}
	for i, s := range r.skills {
		if r.present(r.sets[set].atoms, []int{i}) {
			h.Skills = append(h.Skills, SkillMeasure{Skill: s.Code, Name: s.Name, Tier: s.Tier, GapMeasure: measure([]int{i})})
		}
	}
	return h
}
