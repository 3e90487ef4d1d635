package models

import (
	"maps"
	"slices"
	"time"
)

// ProjectionUnit is an organisation below the one projected, judged in a roll-up on its
// own subtree, targets and coverage.
type ProjectionUnit struct {
	Organisation string // its code, as people's Organisation names it
	Parent       string // its parent's code: another unit, or the organisation projected
	Targets      map[string]Target
	Coverage     map[string][]ExternalCoverage
}

// cellFigures are the additive expected figures of one month and skill over a set
// of people: a subtree's figures are the sums of its organisations'.
type cellFigures struct {
	demand, supply, essentialDemand, essentialShortfall float64
	holders                                             [MaxLevel + 1]float64 // expected people at each level or above
}

// addCounts adds maintained counts: holders of a level or above are those held at it or
// above; the essential shortfall is the essential demand not met.
func (f *cellFigures) addCounts(c SkillCounts) {
	f.demand += float64(c.Demand)
	f.supply += float64(c.Supply)
	f.essentialDemand += float64(c.DemandEssential)
	f.essentialShortfall += float64(c.DemandEssential - c.SupplyEssential)
	atOrAbove := 0
	for l := MaxLevel; l >= 1; l-- {
		atOrAbove += c.Held[l]
		f.holders[l] += float64(atOrAbove)
	}
}

func (f *cellFigures) add(g cellFigures) {
	f.demand += g.demand
	f.supply += g.supply
	f.essentialDemand += g.essentialDemand
	f.essentialShortfall += g.essentialShortfall
	for l := range f.holders {
		f.holders[l] += g.holders[l]
	}
}

// projection is one run of Project or ProjectRollUp: the months and skills of the grid
// (month-major, one cell per skill) that each set of people is summed into.
type projection struct {
	in       ProjectionInput
	skills   []string // every skill a person requires or any target names, sorted
	index    map[string]int
	months   []time.Time // row labels (first days)
	ats      []time.Time // the moments they are judged at
	root     string      // the code of the organisation projected (units name it as a parent)
	units    []ProjectionUnit
	children map[string][]int // organisation code -> units whose parent it is
	peopleOf map[string][]int // organisation code -> people counted directly there
	baseOf   map[string][]int // organisation code -> its Base rows
	inBaseOf map[string][]int // organisation code -> its InBase people
	gaps     []int            // per cell, the units with a gap
}

func newProjection(in ProjectionInput, root string, units []ProjectionUnit) *projection {
	pr := &projection{in: in, root: root, index: map[string]int{}, units: units, children: map[string][]int{},
		peopleOf: map[string][]int{}, baseOf: map[string][]int{}, inBaseOf: map[string][]int{}}
	seen := map[string]bool{}
	for _, b := range in.Base {
		seen[b.Skill] = true
	}
	for _, s := range projectionSkills(in) {
		seen[s] = true
	}
	for _, u := range units {
		for s := range u.Targets {
			seen[s] = true
		}
	}
	pr.skills = slices.Sorted(maps.Keys(seen))
	for i, s := range pr.skills {
		pr.index[s] = i
	}
	for m := 0; m <= max(in.Months, 0); m++ {
		month, at := projectionMonth(in.Start, m)
		pr.months, pr.ats = append(pr.months, month), append(pr.ats, at)
	}
	isUnit := map[string]bool{}
	for i, u := range units {
		isUnit[u.Organisation] = true
		pr.children[u.Parent] = append(pr.children[u.Parent], i)
	}
	place := func(org string) string {
		if !isUnit[org] {
			return "" // the organisation projected, or a person not placed
		}
		return org
	}
	for i, p := range in.People {
		pr.peopleOf[place(p.Organisation)] = append(pr.peopleOf[place(p.Organisation)], i)
	}
	for i, p := range in.InBase {
		pr.inBaseOf[place(p.Organisation)] = append(pr.inBaseOf[place(p.Organisation)], i)
	}
	for i, b := range in.Base {
		pr.baseOf[place(b.Organisation)] = append(pr.baseOf[place(b.Organisation)], i)
	}
	pr.gaps = make([]int, len(pr.ats)*len(pr.skills))
	return pr
}

// ProjectRollUp is Project for an organisation (root, its code) and, judged each on its own subtree,
// targets and coverage, the units below it: each row also counts the units with a gap
// that month, and the organisation has a gap where it or any unit below has, as the gap
// report's roll-up does. Each person is projected once, into their organisation's
// figures, and a unit's figures are its own people's plus its children's, so the cost
// grows with the people and the organisations, not with their product.
func ProjectRollUp(in ProjectionInput, root string, units []ProjectionUnit) []ProjectedSkillMonth {
	pr := newProjection(in, root, units)
	return pr.rows(pr.rootGrid(), true)
}

// rootGrid sums every person: the organisation's own, then each child unit's subtree
// (counting the gaps of every unit on the way).
func (pr *projection) rootGrid() []cellFigures {
	grid := pr.gridOf("")
	for _, c := range pr.children[pr.root] {
		pr.addUnit(grid, c)
	}
	return grid
}

// addUnit adds unit u's subtree figures to its parent's grid, having counted its gaps.
func (pr *projection) addUnit(parent []cellFigures, u int) {
	unit := pr.units[u]
	grid := pr.gridOf(unit.Organisation)
	for _, c := range pr.children[unit.Organisation] {
		pr.addUnit(grid, c)
	}
	for i := range grid {
		skill, at := pr.skills[i%len(pr.skills)], pr.ats[i/len(pr.skills)]
		if pr.row(grid[i], at, skill, unit.Targets, unit.Coverage).Gap {
			pr.gaps[i]++
		}
		parent[i].add(grid[i])
	}
}

// gridOf sums the people counted directly in an organisation ("": the one projected):
// its Base counts, carried forward row by row, less the people Base counts whom People
// lists, plus People.
func (pr *projection) gridOf(org string) []cellFigures {
	n := len(pr.skills)
	grid := make([]cellFigures, len(pr.ats)*n)
	if rows := pr.baseOf[org]; len(rows) > 0 {
		for _, b := range rows {
			if r := pr.in.Base[b]; r.Row < len(pr.ats) {
				grid[r.Row*n+pr.index[r.Skill]].addCounts(r.Counts)
			}
		}
		for i := n; i < len(grid); i++ {
			grid[i].add(grid[i-n])
		}
	}
	for _, p := range pr.inBaseOf[org] {
		pr.add(grid, pr.in.InBase[p], -1)
	}
	for _, p := range pr.peopleOf[org] {
		pr.add(grid, pr.in.People[p], 1)
	}
	return grid
}

// add sums one person, weighted (-1 takes them out), into a grid, month by month while they count: each skill their
// role requires (demand, supply, the essential shortfall) and, for target holders, the
// probability of holding each level of every skill they have evidence or training in.
func (pr *projection) add(grid []cellFigures, p ProjectedPerson, weight float64) {
	n := len(pr.skills)
	var held []int
	for s := range p.Evidence {
		if i, ok := pr.index[s]; ok {
			held = append(held, i)
		}
	}
	for _, e := range p.Enrolments {
		for s := range e.Confers {
			if i, ok := pr.index[s]; ok {
				held = append(held, i)
			}
		}
	}
	held = uniqueInts(held)
	for m, at := range pr.ats {
		if !p.countsAt(at) {
			continue
		}
		row := grid[m*n : (m+1)*n]
		for s, req := range p.Requirements {
			c, h := &row[pr.index[s]], p.holdsAtLeast(s, req.Level, at)
			c.demand += weight
			c.supply += weight * h
			if req.Essential {
				c.essentialDemand += weight
				c.essentialShortfall += weight * (1 - h)
			}
		}
		for _, i := range held {
			// Holding a level is never likelier than holding the one below.
			for l := 1; l <= MaxLevel; l++ {
				h := p.holdsAtLeast(pr.skills[i], l, at)
				if h == 0 {
					break
				}
				row[i].holders[l] += weight * h
			}
		}
	}
}

// row judges one cell's figures with a target and coverage.
func (pr *projection) row(f cellFigures, at time.Time, skill string, targets map[string]Target, coverage map[string][]ExternalCoverage) ProjectedSkillMonth {
	r := ProjectedSkillMonth{At: at, Skill: skill, Demand: f.demand, Supply: f.supply,
		EssentialDemand: f.essentialDemand, EssentialShortfall: f.essentialShortfall}
	if tg, ok := targets[skill]; ok {
		r.Target = &tg
		r.TargetHolders = f.holders[min(max(tg.MinLevel, 1), MaxLevel)]
	}
	r.finish(coverage)
	return r
}

// rows are the organisation's own rows: month by month, the skills its people require
// or its targets name, with, in a roll-up, the units below with a gap.
func (pr *projection) rows(grid []cellFigures, rollUp bool) []ProjectedSkillMonth {
	own := projectionSkills(pr.in)
	out := make([]ProjectedSkillMonth, 0, len(pr.ats)*len(own))
	for m, at := range pr.ats {
		for _, s := range own {
			i := m*len(pr.skills) + pr.index[s]
			r := pr.row(grid[i], at, s, pr.in.Targets, pr.in.Coverage)
			r.Month = pr.months[m]
			if rollUp {
				n := pr.gaps[i]
				r.OrganisationsWithGap = &n
				r.Gap = r.Gap || n > 0
			}
			out = append(out, r)
		}
	}
	return out
}

func uniqueInts(xs []int) []int {
	seen := map[int]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
