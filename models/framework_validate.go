package models

import (
	"fmt"
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
	v.Check(f.Name != "" && len(f.Name) <= 300, "name", "is required (at most 300 characters)")
	v.Check(len(f.Publisher) <= 300, "publisher", "must be at most 300 characters")
	v.Check(len(f.Licence) <= 300, "licence", "must be at most 300 characters")
	v.Check(len(f.Description) <= 10000, "description", "must be at most 10000 characters")
	levels := f.validateScale(&v)
	areas := f.validateAreas(&v)
	f.validateSkills(&v, levels, areas)
	return v.Err()
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
		checkEntry(v, codes, p, "level", l.Code, l.Name, 100)
		v.Check(len(l.Descriptor) <= 2000, p+".descriptor", "must be at most 2000 characters")
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
		checkEntry(v, codes, p, "area", a.Code, a.Name, 300)
		v.Check(len(a.Description) <= 10000, p+".description", "must be at most 10000 characters")
	}
	parent := map[string]string{}
	for i, a := range f.Areas {
		if a.Parent == "" {
			continue
		}
		p := fmt.Sprintf("areas[%d].parent", i)
		switch {
		case a.Parent == a.Code:
			v.Add(p, "an area cannot be its own parent")
		case !codes[a.Parent]:
			v.Add(p, "no area has this code")
		default:
			parent[a.Code] = a.Parent
		}
	}
	_, cyclic := ResolveChains(parent)
	for i, a := range f.Areas {
		if cyclic[a.Code] {
			v.Add(fmt.Sprintf("areas[%d].parent", i), "makes a cycle: an area cannot sit below itself")
		}
	}
	return codes
}

// validateSkills checks each skill and the supersession links between them.
func (f *Framework) validateSkills(v *Validator, levels, areas map[string]bool) {
	v.Check(len(f.Skills) <= MaxFrameworkSkills, "skills", fmt.Sprintf("must hold at most %d skills", MaxFrameworkSkills))
	codes := map[string]bool{}
	for _, s := range f.Skills {
		codes[s.Code] = true
	}
	seen := map[string]bool{}
	next := map[string]string{}
	for i, s := range f.Skills {
		p := fmt.Sprintf("skills[%d]", i)
		checkEntry(v, seen, p, "skill", s.Code, s.Name, 300)
		v.Check(len(s.Description) <= 10000, p+".description", "must be at most 10000 characters")
		v.Check(s.Area == "" || areas[s.Area], p+".area", "no area has this code")
		v.Check(s.Tier.Valid(), p+".tier", "must be one of basic, incident_response, advanced")
		v.Check(s.Status.Valid(), p+".status", "must be active or deprecated")
		for _, k := range numericKeys(s.Levels) {
			v.Check(levels[k], p+".levels."+k, "is not a level of the scale above 0")
			v.Check(len(s.Levels[k]) <= 2000, p+".levels."+k, "must be at most 2000 characters")
		}
		validateReferences(v, p, s.References)
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
}

// checkEntry checks what every entry of the scale, the areas and the skills has, under
// the entry's path p: a valid code that no other entry of its kind uses (seen holds the
// codes so far), and a name of at most maxName characters.
func checkEntry(v *Validator, seen map[string]bool, p, kind, code, name string, maxName int) {
	v.Check(ValidCode(code), p+".code", codeRule)
	v.Check(!seen[code], p+".code", "is used by another "+kind)
	seen[code] = true
	v.Check(name != "" && len(name) <= maxName, p+".name", fmt.Sprintf("is required (at most %d characters)", maxName))
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
