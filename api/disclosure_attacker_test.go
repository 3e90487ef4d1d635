package api

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/models/disclosure/disclosuretest"
)

// The attacker of TestSecurityCrossTableDisclosure: an analyst who knows the register
// (which organisation is in which region, ICB, sector and size band), the framework and
// every published figure, and who reasons as follows.
//
//   - A figure is a sum over organisations and skills. Two figures over the same
//     organisations and skills are one figure, however they were asked for.
//   - Staff figures are sums of whole, non-negative parts per group of identical
//     organisations ("atom") and skill: supply and shortfall (demand is their sum) and the
//     staff at each level. A published staff figure v > 0 was rounded from v-2..v+2 and is
//     at least 8; a published 0 is exact.
//   - with_gap counts organisations: per atom and skill set between 0 and the atom's
//     organisations, and an organisation with a gap in a skill has one in its tier and
//     overall, while one with a gap overall has one in some tier (and in some skill of a
//     gapped tier).
//   - A skill a breakdown does not list for a group has no figures there (all zero).
//
// It then looks for withheld figures that (1) lie in the linear span of what is known
// (published figures, and parts that published zeros or full counts settle), that is
// follow by addition and subtraction; and (2) are pinned to one value by propagating
// intervals through every sum and bound (a sound but incomplete solver).

// atkSpec is how one published figure was asked for.
type atkSpec struct {
	typ     string
	cons    map[string]string // organisation dimension -> value
	skill   string            // a skill, or "" for every skill
	tier    string            // a tier, or "" for every tier
	measure string
}

// atkCell is one distinct figure: an organisation set, a skill set and a measure.
type atkCell struct {
	key       string
	spec      atkSpec
	orgs      []int    // indexes into the type's organisations
	skills    []string // the skills it sums over, sorted
	published bool
	lo, hi    int64 // the published value's interval
	withheld  bool
	leaks     []string // shares published beside it while it is withheld
}

type atkType struct {
	orgs    []models.Organisation // active, of the type
	atomOf  []int                 // organisation -> atom
	atomN   []int                 // organisations per atom
	present map[string]bool       // skills some breakdown lists
	absent  map[[2]string]bool    // (atom, skill) known to have no figures
}

type attacker struct {
	t            *testing.T
	register     []models.Organisation
	tierOf       map[string]string // skill -> tier
	types        map[string]*atkType
	specs        []atkSpec
	figures      []disclosure.Figure
	shares       []atkShare
	cells        map[string]*atkCell
	observations int
}

// atkShare is a published percentage of a figure over the organisations.
type atkShare struct {
	spec  atkSpec // of the with_gap figure
	share *float64
}

func newAttacker(t *testing.T, register []models.Organisation, skills []models.SkillEntry) *attacker {
	a := &attacker{t: t, register: register, tierOf: map[string]string{}, types: map[string]*atkType{}, cells: map[string]*atkCell{}}
	for _, k := range skills {
		a.tierOf[k.Code] = string(k.Tier)
	}
	return a
}

// typeOf is the register's view of a type: its active organisations grouped into atoms.
func (a *attacker) typeOf(typ string) *atkType {
	if tt, ok := a.types[typ]; ok {
		return tt
	}
	tt := &atkType{present: map[string]bool{}, absent: map[[2]string]bool{}}
	atoms := map[string]int{}
	for _, o := range a.register {
		if string(o.Type) != typ || !o.Active {
			continue
		}
		key := strings.Join(orgValues(o), "\x00")
		id, ok := atoms[key]
		if !ok {
			id = len(tt.atomN)
			atoms[key] = id
			tt.atomN = append(tt.atomN, 0)
		}
		tt.orgs = append(tt.orgs, o)
		tt.atomOf = append(tt.atomOf, id)
		tt.atomN[id]++
	}
	a.types[typ] = tt
	return tt
}

// orgValues are an organisation's values of orgDims, as the statistics key them.
func orgValues(o models.Organisation) []string {
	sector := string(o.Sector)
	if sector == "" {
		sector = "unknown"
	}
	return []string{o.Region, o.ICB, sector, string(o.SizeBand)}
}

func (a *attacker) dimensionValues(typ string) map[string][]string {
	out := map[string][]string{}
	for _, o := range a.typeOf(typ).orgs {
		for i, v := range orgValues(o) {
			if !slices.Contains(out[orgDims[i]], v) {
				out[orgDims[i]] = append(out[orgDims[i]], v)
			}
		}
	}
	return out
}

func (a *attacker) observe(s atkSpec, f disclosure.Figure) {
	a.observations++
	a.specs = append(a.specs, s)
	a.figures = append(a.figures, f)
}

func consOf(f url.Values) map[string]string {
	out := map[string]string{}
	for _, d := range orgDims {
		if f.Has(d) {
			out[d] = f.Get(d)
		}
	}
	return out
}

func (a *attacker) headline(typ string, f url.Values, h disclosure.HeadlineStatistics) {
	cons := consOf(f)
	a.observe(atkSpec{typ, cons, "", "", "organisations"}, h.Organisations)
	for tier, m := range map[string]disclosure.GapMeasure{"basic": h.BasicSkillsGap,
		"incident_response": h.IncidentResponseGap, "advanced": h.AdvancedSkillsGap} {
		s := atkSpec{typ, cons, "", tier, "with_gap"}
		a.observe(s, m.Organisations)
		a.shares = append(a.shares, atkShare{s, m.Share})
	}
	for _, k := range h.Skills {
		s := atkSpec{typ, cons, k.Skill, "", "with_gap"}
		a.observe(s, k.Organisations)
		a.shares = append(a.shares, atkShare{s, k.Share})
	}
}

func (a *attacker) breakdown(typ string, f url.Values, b disclosure.BreakdownStatistics) {
	tt := a.typeOf(typ)
	group := func(keys map[string]string, g disclosure.StatGroup) {
		cons := consOf(f)
		var skill, tier string
		for d, v := range keys {
			switch d {
			case "skill":
				skill = v
				tt.present[v] = true
			case "tier":
				tier = v
			default:
				if old, ok := cons[d]; ok && old != v {
					a.t.Fatalf("group %s=%s in a breakdown filtered on %s=%s", d, v, d, old)
				}
				cons[d] = v
			}
		}
		for m, fig := range map[string]disclosure.Figure{"organisations": g.Organisations, "with_gap": g.OrganisationsWithGap,
			"demand": g.Demand, "supply": g.Supply, "shortfall": g.Shortfall, "held_1": g.StaffByLevel["1"],
			"held_2": g.StaffByLevel["2"], "held_3": g.StaffByLevel["3"], "held_4": g.StaffByLevel["4"]} {
			a.observe(atkSpec{typ, cons, skill, tier, m}, fig)
		}
		a.shares = append(a.shares, atkShare{atkSpec{typ, cons, skill, tier, "with_gap"}, g.ShareWithGap})
	}
	for _, g := range b.Groups {
		group(g.Group, g)
	}
	group(map[string]string{}, b.Total)
	if len(consOf(f)) == 0 {
		a.absences(tt, b)
	}
}

// absences records, from a breakdown of all organisations by an organisation dimension
// and the skill or the tier, the skills a group has no figures in.
func (a *attacker) absences(tt *atkType, b disclosure.BreakdownStatistics) {
	var dim, layer string
	for _, d := range b.GroupBy {
		if d == "skill" || d == "tier" {
			layer = d
		} else {
			dim = d
		}
	}
	if dim == "" || layer == "" {
		return
	}
	listed := map[[2]string]bool{}
	for _, g := range b.Groups {
		listed[[2]string{g.Group[dim], g.Group[layer]}] = true
	}
	for i, o := range tt.orgs {
		v := orgValues(o)[slices.Index(orgDims, dim)]
		for skill, tier := range a.tierOf {
			key := skill
			if layer == "tier" {
				key = tier
			}
			if !listed[[2]string{v, key}] {
				tt.absent[[2]string{fmt.Sprint(tt.atomOf[i]), skill}] = true
			}
		}
	}
}

// trendTiers are the tiers of the headline's share metrics.
var trendTiers = map[string]string{"basic_skills_gap_share": "basic", "incident_response_gap_share": "incident_response",
	"advanced_skills_gap_share": "advanced"}

func (a *attacker) trends(typ string, tr disclosure.Trends) {
	for _, s := range tr.Series {
		sp := atkSpec{typ: typ, cons: map[string]string{}, measure: tr.Metric}
		switch tr.GroupBy {
		case "":
		case "skill":
			sp.skill = s.Group["skill"]
		case "tier":
			sp.tier = s.Group["tier"]
		default:
			sp.cons[tr.GroupBy] = s.Group[tr.GroupBy]
		}
		for _, p := range s.Points {
			switch tier, isShare := trendTiers[tr.Metric]; {
			case tr.Metric == "coverage": // from published supply and demand
			case isShare:
				sp.tier, sp.measure = tier, "with_gap"
				a.shares = append(a.shares, atkShare{sp, p.Value})
			case tr.Metric == "share_with_gap":
				sp.measure = "with_gap"
				a.shares = append(a.shares, atkShare{sp, p.Value})
			default:
				if sp.measure == "organisations_with_gap" {
					sp.measure = "with_gap"
				}
				fig := disclosure.Figure{Suppressed: p.Suppressed}
				if p.Value != nil {
					v := int(*p.Value)
					fig.Value = &v
				}
				a.observe(sp, fig)
			}
		}
	}
}

// resolve turns every observation into its distinct figure.
func (a *attacker) resolve() {
	for i, s := range a.specs {
		c := a.cell(s)
		if c == nil {
			continue
		}
		f := a.figures[i]
		switch {
		case f.Value != nil:
			v := int64(*f.Value)
			lo, hi := v, v
			if isStaff(s.measure) && v > 0 {
				lo, hi = max(8, v-2), v+2
			}
			if c.published && (c.lo != lo || c.hi != hi) {
				a.t.Fatalf("%s published as both %d..%d and %d..%d", c.key, c.lo, c.hi, lo, hi)
			}
			c.published, c.lo, c.hi = true, lo, hi
		case f.Suppressed:
			c.withheld = true
		}
	}
	// A share is a published figure too: with the organisations known, 0.1% pins it.
	for _, sh := range a.shares {
		c := a.cell(sh.spec)
		if c == nil || sh.share == nil {
			continue
		}
		n := len(c.orgs)
		var fits []int64
		for k := 0; k <= n; k++ {
			if n > 0 && math.Abs(float64(int(1000*float64(k)/float64(n)+0.5))/10-*sh.share) < 1e-9 {
				fits = append(fits, int64(k))
			}
		}
		if len(fits) == 1 && !c.published {
			c.leaks = append(c.leaks, fmt.Sprintf("share %.1f%%", *sh.share))
		}
	}
}

// cell is the distinct figure a spec names, nil when it covers no organisation or skill.
func (a *attacker) cell(s atkSpec) *atkCell {
	key, orgs, skills, ok := a.cellKey(s)
	if !ok {
		return nil
	}
	c, found := a.cells[key]
	if !found {
		c = &atkCell{key: key, spec: s, orgs: orgs, skills: skills}
		a.cells[key] = c
	}
	return c
}

// cellKey names the figure a spec asks for; ok is false when it covers no organisation
// or no skill (it is then zero).
func (a *attacker) cellKey(s atkSpec) (key string, orgs []int, skills []string, ok bool) {
	tt := a.typeOf(s.typ)
	for i, o := range tt.orgs {
		if matches(o, s.cons) {
			orgs = append(orgs, i)
		}
	}
	if s.measure != "organisations" {
		for k := range tt.present {
			if (s.skill == "" || k == s.skill) && (s.tier == "" || a.tierOf[k] == s.tier) {
				skills = append(skills, k)
			}
		}
		sort.Strings(skills)
		if len(skills) == 0 {
			return "", nil, nil, false
		}
	}
	if len(orgs) == 0 {
		return "", nil, nil, false
	}
	return fmt.Sprintf("%s %s orgs=%v skills=%v", s.typ, s.measure, orgs, skills), orgs, skills, true
}

func matches(o models.Organisation, cons map[string]string) bool {
	v := orgValues(o)
	for i, d := range orgDims {
		if want, ok := cons[d]; ok && v[i] != want {
			return false
		}
	}
	return true
}

func isStaff(measure string) bool {
	return measure != "organisations" && measure != "with_gap"
}

// describe names a cell as an analyst would ask for it.
func (c *atkCell) describe() string {
	var cons []string
	for _, d := range orgDims {
		if v, ok := c.spec.cons[d]; ok {
			cons = append(cons, d+"="+v)
		}
	}
	layer := "all skills"
	switch {
	case c.spec.skill != "":
		layer = "skill " + c.spec.skill
	case c.spec.tier != "":
		layer = "tier " + c.spec.tier
	}
	return fmt.Sprintf("type=%s %s of [%s] in %s (%d organisations)", c.spec.typ, c.spec.measure, strings.Join(cons, " "), layer, len(c.orgs))
}

// atkReport is what the attack recovered.
type atkReport struct {
	withheld       int
	linear, pinned []string
}

func (a *attacker) solve() atkReport {
	a.resolve()
	var r atkReport
	sys := a.system()
	known := sys.propagate(a.t)
	span := sys.span(known)
	var keys []string
	for k := range a.cells {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := a.cells[k]
		if !c.withheld || c.spec.measure == "organisations" {
			continue
		}
		r.withheld++
		v := sys.cellVar[c]
		switch {
		case c.published:
			r.linear = append(r.linear, c.describe()+": published elsewhere")
		case len(c.leaks) > 0:
			r.linear = append(r.linear, c.describe()+": "+strings.Join(c.leaks, ", "))
		case span.Contains(sys.vector(c)):
			r.linear = append(r.linear, c.describe()+fmt.Sprintf(": in %d..%d", sys.lo[v], sys.hi[v]))
		}
		if sys.lo[v] == sys.hi[v] {
			r.pinned = append(r.pinned, fmt.Sprintf("%s = %d", c.describe(), sys.lo[v]))
		}
	}
	return r
}

// atkSystem is the attacker's equations: variables for every distinct figure and for
// the parts they sum (per atom and skill), their intervals, and the linear relations.
type atkSystem struct {
	names   []string
	lo, hi  []int64
	rels    []atkRel
	cellVar map[*atkCell]int
	inner   map[string]int // "type|quantity|atom|skill set" -> variable
	def     map[*atkCell]map[int]int64
}

// atkRel is sum(coef x) within [lo, hi].
type atkRel struct {
	coef   map[int]int64
	lo, hi int64
}

const atkInf = int64(1) << 50

func (s *atkSystem) variable(name string, lo, hi int64) int {
	s.names = append(s.names, name)
	s.lo, s.hi = append(s.lo, lo), append(s.hi, hi)
	return len(s.names) - 1
}

func (s *atkSystem) innerVar(key string, hi int64) int {
	if v, ok := s.inner[key]; ok {
		return v
	}
	v := s.variable(key, 0, hi)
	s.inner[key] = v
	return v
}

// staffParts are the quantities staff figures sum: demand is supply plus shortfall.
var staffParts = map[string][]string{"demand": {"S", "F"}, "supply": {"S"}, "shortfall": {"F"},
	"held_1": {"H1"}, "held_2": {"H2"}, "held_3": {"H3"}, "held_4": {"H4"}}

func (a *attacker) system() *atkSystem {
	s := &atkSystem{cellVar: map[*atkCell]int{}, inner: map[string]int{}, def: map[*atkCell]map[int]int64{}}
	for _, c := range a.sortedCells() {
		tt := a.types[c.spec.typ]
		lo, hi := int64(0), atkInf
		if c.spec.measure == "organisations" || c.spec.measure == "with_gap" {
			hi = int64(len(c.orgs))
		}
		if c.spec.measure == "organisations" {
			lo = hi
		}
		if c.published {
			lo, hi = max(lo, c.lo), min(hi, c.hi)
		}
		v := s.variable(c.describe(), lo, hi)
		s.cellVar[c] = v
		if c.spec.measure == "organisations" {
			continue
		}
		// The figure is the sum of its parts.
		def := map[int]int64{}
		atoms := map[int]bool{}
		for _, i := range c.orgs {
			atoms[tt.atomOf[i]] = true
		}
		for atom := range atoms {
			if c.spec.measure == "with_gap" {
				def[s.gapVar(tt, c.spec.typ, atom, c.skills)]++
				continue
			}
			for _, k := range c.skills {
				if tt.absent[[2]string{fmt.Sprint(atom), k}] {
					continue
				}
				for _, q := range staffParts[c.spec.measure] {
					def[s.innerVar(fmt.Sprintf("%s|%s|%d|%s", c.spec.typ, q, atom, k), atkInf)]++
				}
			}
		}
		s.def[c] = def
		rel := map[int]int64{v: -1}
		for x, n := range def {
			rel[x] += n
		}
		s.addRel(rel, 0, 0)
	}
	a.cellRelations(s)
	for typ, tt := range a.types {
		s.gapNesting(a, typ, tt)
	}
	return s
}

// gapVar is the organisations of an atom with a gap in a skill set.
func (s *atkSystem) gapVar(tt *atkType, typ string, atom int, skills []string) int {
	hi := int64(0)
	for _, k := range skills {
		if !tt.absent[[2]string{fmt.Sprint(atom), k}] {
			hi = int64(tt.atomN[atom])
		}
	}
	return s.innerVar(fmt.Sprintf("%s|G|%d|%v", typ, atom, skills), hi)
}

func (a *attacker) sortedCells() []*atkCell {
	var out []*atkCell
	for _, c := range a.cells {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// cellRelations adds, between figures, the relations the parts imply but interval
// propagation through the parts would not find: demand = supply + shortfall, and a
// figure equals the figures splitting it by one more dimension or by skill.
func (a *attacker) cellRelations(s *atkSystem) {
	find := func(sp atkSpec) *atkCell {
		key, _, _, ok := a.cellKey(sp)
		if !ok {
			return nil
		}
		return a.cells[key]
	}
	for _, c := range a.sortedCells() {
		sp := c.spec
		if sp.measure == "demand" {
			sup, sf := sp, sp
			sup.measure, sf.measure = "supply", "shortfall"
			if x, y := find(sup), find(sf); x != nil && y != nil {
				s.addRel(map[int]int64{s.cellVar[c]: 1, s.cellVar[x]: -1, s.cellVar[y]: -1}, 0, 0)
			}
		}
		if sp.measure == "organisations" {
			continue
		}
		split := func(children []atkSpec) {
			rel := map[int]int64{s.cellVar[c]: -1}
			for _, ch := range children {
				key, _, _, ok := a.cellKey(ch)
				if !ok {
					continue // no organisations or no skills: zero
				}
				cc := a.cells[key]
				if cc == nil {
					return // never fetched: no relation
				}
				rel[s.cellVar[cc]]++
			}
			s.addRel(rel, 0, 0)
		}
		values := a.dimensionValues(sp.typ)
		for _, d := range orgDims {
			if _, ok := sp.cons[d]; ok {
				continue
			}
			var children []atkSpec
			for _, v := range values[d] {
				ch := sp
				ch.cons = maps2(sp.cons, d, v)
				children = append(children, ch)
			}
			split(children)
		}
		if !isStaff(sp.measure) {
			continue
		}
		switch {
		case sp.skill == "" && sp.tier == "":
			split(layerChildren(sp, []string{"basic", "incident_response", "advanced"}, true))
		case sp.skill == "":
			var skills []string
			for k, tier := range a.tierOf {
				if tier == sp.tier {
					skills = append(skills, k)
				}
			}
			split(layerChildren(sp, skills, false))
		}
	}
}

func layerChildren(sp atkSpec, keys []string, tiers bool) []atkSpec {
	var out []atkSpec
	for _, k := range keys {
		ch := sp
		if tiers {
			ch.tier = k
		} else {
			ch.skill = k
		}
		out = append(out, ch)
	}
	return out
}

func maps2(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range m {
		out[a] = b
	}
	return out
}

// gapNesting adds, per atom, that an organisation with a gap in a skill has one in its
// tier and overall, and one with a gap in a tier (overall) has one in some skill (tier).
func (s *atkSystem) gapNesting(a *attacker, typ string, tt *atkType) {
	var all []string
	tiers := map[string][]string{}
	for k := range tt.present {
		all = append(all, k)
		tiers[a.tierOf[k]] = append(tiers[a.tierOf[k]], k)
	}
	sort.Strings(all)
	for atom := range tt.atomN {
		whole := s.gapVar(tt, typ, atom, all)
		var tierVars []int
		for _, skills := range tiers {
			sort.Strings(skills)
			tv := s.gapVar(tt, typ, atom, skills)
			tierVars = append(tierVars, tv)
			s.lessEq(tv, whole)
			sum := map[int]int64{tv: 1}
			for _, k := range skills {
				kv := s.gapVar(tt, typ, atom, []string{k})
				s.lessEq(kv, tv)
				sum[kv]--
			}
			s.addRel(sum, -atkInf, 0)
		}
		sum := map[int]int64{whole: 1}
		for _, tv := range tierVars {
			sum[tv]--
		}
		s.addRel(sum, -atkInf, 0)
	}
}

func (s *atkSystem) lessEq(x, y int) { s.addRel(map[int]int64{x: 1, y: -1}, -atkInf, 0) }

// addRel adds sum(coef x) within [lo, hi] (-atkInf: unbounded below), dropping zero
// coefficients.
func (s *atkSystem) addRel(coef map[int]int64, lo, hi int64) {
	for x, c := range coef {
		if c == 0 {
			delete(coef, x)
		}
	}
	if len(coef) > 0 {
		s.rels = append(s.rels, atkRel{coef, lo, hi})
	}
}

// propagate tightens every interval through every relation until nothing moves, and
// returns the variables it pinned. Bounds at atkInf are infinite.
func (s *atkSystem) propagate(t *testing.T) map[int]bool {
	for round := 0; round < 1000; round++ {
		changed := false
		for _, r := range s.rels {
			// The least and greatest value of each term, and of the sum (finite part and
			// how many terms are unbounded).
			type term struct {
				min, max       int64
				minInf, maxInf bool
			}
			terms := map[int]term{}
			var minSum, maxSum int64
			var minInfs, maxInfs int
			for x, c := range r.coef {
				lo, hi, loInf, hiInf := s.lo[x]*c, s.hi[x]*c, s.lo[x] <= -atkInf, s.hi[x] >= atkInf
				if c < 0 {
					lo, hi, loInf, hiInf = hi, lo, hiInf, loInf
				}
				terms[x] = term{lo, hi, loInf, hiInf}
				if loInf {
					minInfs++
				} else {
					minSum += lo
				}
				if hiInf {
					maxInfs++
				} else {
					maxSum += hi
				}
			}
			for x, c := range r.coef {
				tm := terms[x]
				restMin, restMinInf := minSum, minInfs > 0
				if tm.minInf {
					restMinInf = minInfs > 1
				} else {
					restMin -= tm.min
				}
				restMax, restMaxInf := maxSum, maxInfs > 0
				if tm.maxInf {
					restMaxInf = maxInfs > 1
				} else {
					restMax -= tm.max
				}
				// c*x lies in [r.lo - restMax, r.hi - restMin].
				lowInf, highInf := r.lo <= -atkInf || restMaxInf, r.hi >= atkInf || restMinInf
				low, high := r.lo-restMax, r.hi-restMin
				if c < 0 {
					low, high, lowInf, highInf = high, low, highInf, lowInf
				}
				if !lowInf {
					if v := ceilDiv(low, c); v > s.lo[x] {
						s.lo[x], changed = v, true
					}
				}
				if !highInf {
					if v := floorDiv(high, c); v < s.hi[x] {
						s.hi[x], changed = v, true
					}
				}
				if s.lo[x] > s.hi[x] {
					t.Fatalf("the attacker's model is wrong: %s has no value (%d..%d)", s.names[x], s.lo[x], s.hi[x])
				}
			}
		}
		if !changed {
			break
		}
	}
	known := map[int]bool{}
	for x := range s.names {
		if s.lo[x] == s.hi[x] {
			known[x] = true
		}
	}
	return known
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// vector is a figure as a combination of the parts (its defining sum).
func (s *atkSystem) vector(c *atkCell) map[int]int64 { return s.def[c] }

// span returns the linear span of everything known: published figures (as sums of
// their parts) and every part or figure the intervals pinned.
func (s *atkSystem) span(known map[int]bool) *disclosuretest.Span {
	sp := disclosuretest.NewSpan()
	for c, def := range s.def {
		if c.published || known[s.cellVar[c]] {
			sp.Add(def)
		}
	}
	for _, x := range s.inner {
		if known[x] {
			sp.Add(map[int]int64{x: 1})
		}
	}
	return sp
}
