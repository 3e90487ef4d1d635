package disclosure

import (
	"slices"
	"strconv"
	"strings"

	"cyberskills/models"
)

// A Release is every canonical table of one organisation type, published together:
// the national figures, the breakdowns by one and by two dimensions, and the per-skill and
// per-tier figures. Tables share figures (a region and an ICB covering the same trusts are
// one figure; a region is the total of its row of the region x sector table), so
// disclosure control decides once over all of them, on the figures themselves: a figure
// withheld anywhere is withheld everywhere, and none can be worked out from the others
// (see suppress.go). Analysts' answers, filtered or not, are slices of a release.
type Release struct {
	skills  []models.StatSkill
	atoms   []atom
	layers  []layer
	sets    []orgSet
	setIDs  map[string]int
	cells   []cell
	cellIDs map[cellKey]int
	tables  map[string]*table
	// tableOrder is the tables' keys in the order they were built: every pass over the
	// tables follows it, so that the same data is always published the same way.
	tableOrder []string
	gaps       [][]bool // organisation -> layer -> has a gap in it
	orgAtom    []int    // organisation -> atom
	orgs       []models.StatOrg

	controlled bool
}

// An atom is the organisations sharing every dimension's value: no published figure
// separates them.
type atom struct {
	keys, labels [4]string
	orgs         []int
	skills       []atomSkill // by population skill
}

// atomSkill is an atom's sums in one skill.
type atomSkill struct {
	present        bool // some organisation of the atom is evaluated in it
	demand, supply int
	held           [models.MaxLevel + 1]int
}

// A layer is the skills a figure sums over: all of them, a tier's, or one skill. Layers
// with the same skills are one layer.
type layer struct {
	skills []int
}

// An orgSet is the organisations (as atoms) a figure covers.
type orgSet struct {
	atoms []int
	n     int // organisations
	dims  int // the fewest organisation dimensions naming it: 0 national, 1 or 2
}

// The measures of a group.
const (
	mOrganisations = iota
	mWithGap
	mDemand
	mSupply
	mShortfall
	mHeld1   // mHeld1 + level - 1
	measures = mHeld1 + models.MaxLevel
)

type cellKey struct{ measure, set, layer int }

// A cell is one distinct figure.
type cell struct {
	cellKey
	raw       int
	fig       Figure
	weight    int  // how much publishing it matters: national figures most
	witnessed bool // a perturbation shows it cannot be worked out
}

// A table is a canonical breakdown: its dimensions (sorted) and groups.
type table struct {
	dims   []string
	groups []tableGroup
}

type tableGroup struct {
	keys, labels []string
	set, layer   int
}

// NewRelease builds every canonical table of a population and, when controlled,
// applies disclosure control to all of them at once.
func NewRelease(p models.StatPopulation, controlled bool) *Release {
	r := &Release{skills: p.Skills, orgs: p.Orgs, setIDs: map[string]int{}, cellIDs: map[cellKey]int{}, tables: map[string]*table{},
		controlled: controlled}
	r.buildAtoms(p)
	r.buildLayers()
	r.buildGaps(p)
	dims := models.StatisticsDimensions()
	all := make([]int, len(r.atoms))
	for i := range all {
		all[i] = i
	}
	for m := range measures {
		r.cellID(cellKey{m, r.set(all, 0), 0}) // the national figures, even of no organisation
	}
	r.buildTable(nil)
	for i, d := range dims {
		r.buildTable([]string{d})
		for _, d2 := range dims[i+1:] {
			r.buildTable([]string{d, d2})
		}
	}
	for i := range r.cells {
		c := &r.cells[i]
		c.raw = r.value(c.cellKey)
		c.fig = Raw(c.raw)
		if controlled && c.measure >= mDemand {
			c.fig = StaffCount(c.raw)
		}
		c.weight = r.weight(c.cellKey)
	}
	if controlled {
		r.suppress()
	}
	return r
}

func (r *Release) buildAtoms(p models.StatPopulation) {
	ids := map[[4]string]int{}
	r.orgAtom = make([]int, len(p.Orgs))
	for i, o := range p.Orgs {
		id, ok := ids[o.Keys]
		if !ok {
			id = len(r.atoms)
			ids[o.Keys] = id
			r.atoms = append(r.atoms, atom{keys: o.Keys, labels: o.Labels, skills: make([]atomSkill, len(p.Skills))})
		}
		a := &r.atoms[id]
		a.orgs = append(a.orgs, i)
		r.orgAtom[i] = id
		for _, s := range o.Skills {
			as := &a.skills[s.Skill]
			as.present = true
			as.demand += s.Demand
			as.supply += s.Supply
			for l := range s.Held {
				as.held[l] += s.Held[l]
			}
		}
	}
}

// buildLayers makes layer 0 every skill, then each tier's and each skill's, merging
// layers with the same skills.
func (r *Release) buildLayers() {
	seen := map[string]int{}
	add := func(skills []int) {
		key := intsKey(skills)
		if _, ok := seen[key]; !ok {
			seen[key] = len(r.layers)
			r.layers = append(r.layers, layer{skills: skills})
		}
	}
	var all []int
	for i := range r.skills {
		all = append(all, i)
	}
	add(all)
	for _, t := range r.tiers() {
		add(r.tierSkills(t))
	}
	for i := range r.skills {
		add([]int{i})
	}
}

// layerOf is the layer of exactly these skills.
func (r *Release) layerOf(skills []int) int {
	for i, l := range r.layers {
		if slices.Equal(l.skills, skills) {
			return i
		}
	}
	return -1
}

// tiers are the population's tiers, in the order they first appear.
func (r *Release) tiers() []string {
	var out []string
	for _, s := range r.skills {
		if !slices.Contains(out, s.Tier) {
			out = append(out, s.Tier)
		}
	}
	return out
}

func (r *Release) tierSkills(tier string) []int {
	var out []int
	for i, s := range r.skills {
		if s.Tier == tier {
			out = append(out, i)
		}
	}
	return out
}

// buildGaps records, per organisation and layer, whether it has a gap in the layer.
func (r *Release) buildGaps(p models.StatPopulation) {
	r.gaps = make([][]bool, len(p.Orgs))
	for i, o := range p.Orgs {
		r.gaps[i] = make([]bool, len(r.layers))
		for _, s := range o.Skills {
			if !s.Gap {
				continue
			}
			for l, ly := range r.layers {
				if slices.Contains(ly.skills, s.Skill) {
					r.gaps[i][l] = true
				}
			}
		}
	}
}

func intsKey(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}
