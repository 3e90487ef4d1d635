package models

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Validate normalises f and checks it is a complete, consistent framework document. Every
// problem is reported, each under the path of the field at fault, such as "skills[3].tier"
// (indexes count from 0).
func (f *Framework) Validate() error {
	f.Normalize()
	var v Validator
	v.Check(ValidCode(f.Code), "code", codeRule)
	checkText(&v, "name", f.Name, true)
	checkText(&v, "publisher", f.Publisher, false)
	checkText(&v, "licence", f.Licence, false)
	checkDescription(&v, "description", f.Description)
	tiers := f.validateTiers(&v)
	levels := f.validateScale(&v)
	areas := f.validateAreas(&v)
	skills := f.validateSkills(&v, levels, areas, tiers)
	f.validateAssociations(&v, areas, skills)
	checkCaseSize(&v, "case", f.Case)
	return v.Err()
}

// checkText checks a name, title or statement: at most MaxTextLength characters, and
// present when required.
func checkText(v *Validator, field, s string, required bool) {
	if required {
		v.Check(s != "" && len(s) <= MaxTextLength, field, fmt.Sprintf("is required (at most %d characters)", MaxTextLength))
		return
	}
	v.Check(len(s) <= MaxTextLength, field, fmt.Sprintf("must be at most %d characters", MaxTextLength))
}

func checkDescription(v *Validator, field, s string) {
	v.Check(len(s) <= MaxDescriptionLength, field, fmt.Sprintf("must be at most %d characters", MaxDescriptionLength))
}

// validateTiers checks the framework's tiers and returns their codes.
func (f *Framework) validateTiers(v *Validator) map[string]bool {
	v.Check(len(f.Tiers) <= MaxFrameworkTiers, "tiers", fmt.Sprintf("must hold at most %d tiers", MaxFrameworkTiers))
	codes := map[string]bool{}
	for i, t := range f.Tiers {
		p := fmt.Sprintf("tiers[%d]", i)
		checkEntry(v, codes, p, "tier", t.Code, t.Name)
		checkDescription(v, p+".description", t.Description)
	}
	return codes
}

// validateScale checks the scale is contiguous and ascending from 0 or 1, and returns the
// set of levels skills may describe.
func (f *Framework) validateScale(v *Validator) map[string]bool {
	if len(f.Scale) < 2 {
		v.Add("scale", "needs at least two levels")
		return map[string]bool{}
	}
	codes := map[string]bool{}
	for i, l := range f.Scale {
		p := fmt.Sprintf("scale[%d]", i)
		want := f.Scale[0].Level + i
		switch {
		case i == 0 && l.Level != 0 && l.Level != 1:
			v.Add(p+".level", "the scale must start at level 0 or 1")
		case i > 0 && l.Level != want:
			v.Add(p+".level", fmt.Sprintf("must be %d: levels go up one at a time", want))
		case l.Level > MaxScaleLevel:
			v.Add(p+".level", fmt.Sprintf("must be at most %d", MaxScaleLevel))
		}
		checkEntry(v, codes, p, "level", l.Code, l.Name)
		checkText(v, p+".descriptor", l.Descriptor, false)
	}
	described := map[string]bool{}
	for _, n := range DescribedLevels(f.Scale) {
		described[LevelKey(n)] = true
	}
	return described
}

// validateAreas checks codes are unique, parents exist and the tree has no cycle, and
// returns the set of area codes.
func (f *Framework) validateAreas(v *Validator) map[string]bool {
	v.Check(len(f.Areas) <= MaxFrameworkAreas, "areas", fmt.Sprintf("must hold at most %d areas", MaxFrameworkAreas))
	codes := map[string]bool{}
	for i, a := range f.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		checkEntry(v, codes, p, "area", a.Code, a.Name)
		checkDescription(v, p+".description", a.Description)
		checkCaseSize(v, p+".case", a.Case)
	}
	parents := map[string][]string{}
	for i, a := range f.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		if a.Parent != "" {
			switch {
			case a.Parent == a.Code:
				v.Add(p+".parent", "an area cannot be its own parent")
			case !codes[a.Parent]:
				v.Add(p+".parent", "no area has this code")
			default:
				parents[a.Code] = append(parents[a.Code], a.Parent)
			}
		}
		for _, o := range placementsOK(v, p+".other_parents", a.Code, a.Parent, a.OtherParents, codes, "an area cannot be its own parent") {
			parents[a.Code] = append(parents[a.Code], o)
		}
	}
	cyclic := OnCycles(parents)
	for i, a := range f.Areas {
		if !cyclic[a.Code] {
			continue
		}
		field := fmt.Sprintf("areas[%d].other_parents", i)
		if cyclic[a.Parent] {
			field = fmt.Sprintf("areas[%d].parent", i)
		}
		v.Add(field, "makes a cycle: an area cannot sit below itself")
	}
	return codes
}

// placementsOK checks the further places of an item in the tree (others, besides first)
// against the area codes, and returns those that exist.
func placementsOK(v *Validator, field, self, first string, others []string, areas map[string]bool, selfRule string) []string {
	seen := map[string]bool{first: true}
	var ok []string
	for j, o := range others {
		p := fmt.Sprintf("%s[%d]", field, j)
		switch {
		case o == self:
			v.Add(p, selfRule)
		case !areas[o]:
			v.Add(p, "no area has this code")
		case seen[o]:
			v.Add(p, "is listed twice: an item sits in a place of the tree once")
		default:
			ok = append(ok, o)
		}
		seen[o] = true
	}
	return ok
}

// OnCycles returns the nodes of a directed graph (each node's successors in next) that
// lie on a cycle.
func OnCycles(next map[string][]string) map[string]bool {
	// Tarjan's strongly connected components: a node is on a cycle when its component
	// has more than one node or it links to itself.
	index, low := map[string]int{}, map[string]int{}
	onStack, out := map[string]bool{}, map[string]bool{}
	var stack []string
	n := 0
	var visit func(u string)
	visit = func(u string) {
		index[u], low[u] = n, n
		n++
		stack = append(stack, u)
		onStack[u] = true
		for _, w := range next[u] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[u] = min(low[u], low[w])
			} else if onStack[w] {
				low[u] = min(low[u], index[w])
			}
		}
		if low[u] != index[u] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == u {
				break
			}
		}
		if len(comp) > 1 || slices.Contains(next[u], u) {
			for _, w := range comp {
				out[w] = true
			}
		}
	}
	keys := slices.Sorted(maps.Keys(next))
	for _, k := range keys {
		if _, seen := index[k]; !seen {
			visit(k)
		}
	}
	return out
}

// validateSkills checks each skill and the supersession links between them, and returns
// the set of skill codes.
func (f *Framework) validateSkills(v *Validator, levels, areas, tiers map[string]bool) map[string]bool {
	v.Check(len(f.Skills) <= MaxFrameworkSkills, "skills", fmt.Sprintf("must hold at most %d skills", MaxFrameworkSkills))
	codes := map[string]bool{}
	for _, s := range f.Skills {
		codes[s.Code] = true
	}
	tierRule := "this framework has no tiers: leave tier empty, or list the framework's tiers"
	if len(f.Tiers) > 0 {
		tierRule = "must be one of " + strings.Join(TierCodes(f.Tiers), ", ")
	}
	seen := map[string]bool{}
	next := map[string]string{}
	for i, s := range f.Skills {
		p := fmt.Sprintf("skills[%d]", i)
		checkEntry(v, seen, p, "skill", s.Code, s.Name)
		checkDescription(v, p+".description", s.Description)
		v.Check(s.Area == "" || areas[s.Area], p+".area", "no area has this code")
		placementsOK(v, p+".other_areas", "", s.Area, s.OtherAreas, areas, "")
		// A deprecated skill may have lost its tier with the tier itself.
		v.Check(tiers[string(s.Tier)] || (s.Tier == "" && (len(tiers) == 0 || s.Status == SkillDeprecated)), p+".tier", tierRule)
		v.Check(s.StatementType.Valid(), p+".statement_type", "must be task, knowledge or skill")
		v.Check(s.Status.Valid(), p+".status", "must be active or deprecated")
		for _, k := range numericKeys(s.Levels) {
			v.Check(levels[k], p+".levels."+k, "is not a level of the scale above 0")
			checkText(v, p+".levels."+k, s.Levels[k], false)
		}
		validateReferences(v, p, s.References)
		checkCaseSize(v, p+".case", s.Case)
		if s.SupersededBy == "" {
			continue
		}
		switch {
		case s.SupersededBy == s.Code:
			v.Add(p+".superseded_by", "a skill cannot supersede itself")
		case !codes[s.SupersededBy]:
			v.Add(p+".superseded_by", "no skill in this document has this code")
		case s.Status != SkillDeprecated:
			v.Add(p+".superseded_by", "only a deprecated skill can be superseded")
		default:
			next[s.Code] = s.SupersededBy
		}
	}
	_, cyclic := ResolveChains(next)
	for i, s := range f.Skills {
		if cyclic[s.Code] {
			v.Add(fmt.Sprintf("skills[%d].superseded_by", i), "makes a supersession cycle")
		}
	}
	return codes
}

// checkEntry checks what every entry of the scale, the areas and the skills has, under
// the entry's path p: a valid code that no other entry of its kind uses (seen holds the
// codes so far), and a name.
func checkEntry(v *Validator, seen map[string]bool, p, kind, code, name string) {
	v.Check(ValidCode(code), p+".code", codeRule)
	v.Check(!seen[code], p+".code", "is used by another "+kind)
	seen[code] = true
	checkText(v, p+".name", name, true)
}

// referenceForbidden are characters that would make a reference ambiguous in the CSV
// form, where references are written as scheme|id|label separated by semicolons.
const referenceForbidden = "|;\n\r"

func validateReferences(v *Validator, prefix string, refs []SkillReference) {
	seen := map[string]bool{}
	for j, r := range refs {
		p := fmt.Sprintf("%s.references[%d]", prefix, j)
		v.Check(r.Scheme != "" && len(r.Scheme) <= 50 && !strings.ContainsAny(r.Scheme, referenceForbidden+":"),
			p+".scheme", "is required (at most 50 characters, without | ; :)")
		v.Check(r.ID != "" && len(r.ID) <= 200 && !strings.ContainsAny(r.ID, referenceForbidden),
			p+".id", "is required (at most 200 characters, without | or ;)")
		v.Check(len(r.Label) <= 300 && !strings.ContainsAny(r.Label, referenceForbidden),
			p+".label", "must be at most 300 characters, without | or ;")
		key := strings.ToLower(r.Scheme) + "|" + r.ID
		v.Check(!seen[key], p, "repeats another reference")
		seen[key] = true
	}
}

// ResolveChains follows links such as "superseded by" or "child of" to the end of each
// chain. It returns, for every key that has a link, the end of its chain, and the set of
// keys on or leading into a cycle (which have no end).
func ResolveChains[K comparable](next map[K]K) (ends map[K]K, cyclic map[K]bool) {
	ends, cyclic = map[K]K{}, map[K]bool{}
	for start := range next {
		path := []K{start}
		onPath := map[K]bool{start: true}
		cur := start
		for {
			n, ok := next[cur]
			if !ok {
				break
			}
			if end, done := ends[n]; done {
				cur = end
				break
			}
			if onPath[n] || cyclic[n] {
				for _, k := range path {
					cyclic[k] = true
				}
				break
			}
			path = append(path, n)
			onPath[n] = true
			cur = n
		}
		if cyclic[start] {
			continue
		}
		for _, k := range path {
			if _, linked := next[k]; linked {
				ends[k] = cur
			}
		}
	}
	return ends, cyclic
}

// numericKeys returns the keys of m in numeric order where they are numbers.
func numericKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, ea := strconv.Atoi(keys[i])
		b, eb := strconv.Atoi(keys[j])
		if ea == nil && eb == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
	return keys
}
