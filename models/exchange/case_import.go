package exchange

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"cyberskills/models"
)

// ParseCASEPackage maps a CASE package to a complete, validated framework document, the
// inverse of CASEPackage. base supplies the framework's code and, when the package has no
// scale criterion, the scale (the current version's, or the default). Packages from other
// tools work too: an item is an area when its type says "Skill Area" or other items are
// its children, and a skill otherwise; its code is its humanCodingScheme (else its
// identifier), its name the abbreviatedStatement or fullStatement. A skill without a tier
// in our extension takes defaultTier; without one it is an error. Every problem is
// reported under the package's own path, such as "CFItems[4].humanCodingScheme".
func ParseCASEPackage(p CFPackage, base models.Framework, defaultTier models.Tier) (models.Framework, error) {
	d := p.CFDocument
	doc := models.Framework{Code: base.Code, Name: d.Title, Publisher: d.Publisher, Description: d.Description,
		Licence: caseLicence(p), Scale: base.Scale}
	// CASE requires a creator, so an export without a publisher names the framework's
	// title as its creator: that is no publisher, or a package would not import back as
	// the framework it was exported from.
	if doc.Publisher == "" && d.Creator != d.Title {
		doc.Publisher = d.Creator
	}
	var v models.Validator
	index := map[string]int{}
	skip := map[int]bool{} // items without a usable identifier, reported once and left out
	for k, it := range p.CFItems {
		id := strings.TrimSpace(it.Identifier)
		switch _, dup := index[id]; {
		case id == "":
			v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "is required")
			skip[k] = true
		case dup:
			v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "repeats another item's identifier")
			skip[k] = true
		default:
			index[id] = k
		}
	}
	parent, children := caseTree(p, index, &v)
	isArea := make([]bool, len(p.CFItems))
	for k, it := range p.CFItems {
		switch strings.ToLower(strings.TrimSpace(caseItemType(it))) {
		case "skill area":
			isArea[k] = true
		case "skill":
			v.Check(children[k] == 0, fmt.Sprintf("CFItems[%d].CFItemType", k), "a Skill cannot have child items; make it a Skill Area")
		default:
			isArea[k] = children[k] > 0
		}
	}
	code := func(k int) string {
		if c := strings.TrimSpace(p.CFItems[k].HumanCodingScheme); c != "" {
			return c
		}
		return strings.TrimSpace(p.CFItems[k].Identifier)
	}
	var skillItems, areaItems []int
	skillOf := map[int]int{} // item -> index in doc.Skills
	for k, it := range p.CFItems {
		if skip[k] {
			continue
		}
		name, description := caseStatements(it)
		parentCode := ""
		if pk, ok := parent[k]; ok {
			parentCode = code(pk)
		}
		if isArea[k] {
			doc.Areas = append(doc.Areas, models.SkillArea{Code: code(k), Name: name, Description: description, Parent: parentCode})
			areaItems = append(areaItems, k)
			continue
		}
		ext := readExtension(it.Extensions)
		s := models.Skill{Code: code(k), Name: name, Description: description, Area: parentCode, Tier: ext.Tier,
			Status: ext.Status, References: ext.References}
		if s.Tier == "" {
			s.Tier = defaultTier
		}
		v.Check(s.Tier != "", fmt.Sprintf("CFItems[%d].extensions.cyberskills.tier", k),
			"is required: the item does not say which tier it is; give default_tier to import such items")
		skillOf[k] = len(doc.Skills)
		doc.Skills = append(doc.Skills, s)
		skillItems = append(skillItems, k)
	}
	for i, a := range p.CFAssociations {
		if a.AssociationType != "replacedBy" {
			continue
		}
		from, okFrom := index[a.OriginNodeURI.Identifier]
		to, okTo := index[a.DestinationNodeURI.Identifier]
		if !okFrom || !okTo || isArea[from] || isArea[to] {
			v.Add(fmt.Sprintf("CFAssociations[%d]", i), "replacedBy must link two skills of this package")
			continue
		}
		doc.Skills[skillOf[from]].SupersededBy = code(to)
	}
	caseRubrics(p, index, skillOf, &doc, &v)
	fields := validateImport(&doc, v.Fields(), func(path string) string { return caseField(path, skillItems, areaItems) })
	if len(fields) > 0 {
		return doc, invalidImport("CASE", fields)
	}
	return doc, nil
}

// caseTree reads the isChildOf associations: each item's parent item (absent for items
// under the document) and how many children each item has.
func caseTree(p CFPackage, index map[string]int, v *models.Validator) (parent map[int]int, children map[int]int) {
	parent, children = map[int]int{}, map[int]int{}
	placed := map[int]bool{}
	for i, a := range p.CFAssociations {
		if a.AssociationType != "isChildOf" {
			continue
		}
		at := fmt.Sprintf("CFAssociations[%d]", i)
		origin, ok := index[a.OriginNodeURI.Identifier]
		if !ok {
			v.Add(at+".originNodeURI", "is not an item of this package")
			continue
		}
		if placed[origin] {
			v.Add(at, "the item already has a parent: an item may sit in one place of the tree only")
			continue
		}
		placed[origin] = true
		dest := a.DestinationNodeURI.Identifier
		if dest == p.CFDocument.Identifier {
			continue
		}
		pk, ok := index[dest]
		if !ok {
			v.Add(at+".destinationNodeURI", "is neither an item of this package nor its CFDocument")
			continue
		}
		parent[origin] = pk
		children[pk]++
	}
	return parent, children
}

// caseRubrics reads the scale (a criterion without an item) and skills' level descriptors.
func caseRubrics(p CFPackage, index map[string]int, skillOf map[int]int, doc *models.Framework, v *models.Validator) {
	scaleRead := false
	for r, rub := range p.CFRubrics {
		for c, crit := range rub.CFRubricCriteria {
			at := fmt.Sprintf("CFRubrics[%d].CFRubricCriteria[%d]", r, c)
			if crit.CFItemURI == nil || crit.CFItemURI.Identifier == "" {
				if !scaleRead {
					doc.Scale = caseScale(crit, at, v)
					scaleRead = true
				}
				continue
			}
			k, ok := index[crit.CFItemURI.Identifier]
			si, isSkill := skillOf[k]
			if !ok || !isSkill {
				v.Add(at+".CFItemURI", "is not a skill of this package")
				continue
			}
			levels := map[string]string{}
			for l, lv := range crit.CFRubricCriterionLevels {
				if n, ok := caseScore(lv.Score, fmt.Sprintf("%s.CFRubricCriterionLevels[%d].score", at, l), v); ok {
					levels[models.LevelKey(n)] = lv.Description
				}
			}
			doc.Skills[si].Levels = levels
		}
	}
}

func caseScale(crit CFRubricCriterion, at string, v *models.Validator) []models.ProficiencyLevel {
	var scale []models.ProficiencyLevel
	for l, lv := range crit.CFRubricCriterionLevels {
		n, ok := caseScore(lv.Score, fmt.Sprintf("%s.CFRubricCriterionLevels[%d].score", at, l), v)
		if !ok {
			continue
		}
		c := readExtension(lv.Extensions).Code
		if c == "" {
			c = slug(lv.Quality, "level-"+strconv.Itoa(n))
		}
		scale = append(scale, models.ProficiencyLevel{Level: n, Code: c, Name: lv.Quality, Descriptor: lv.Description})
	}
	sort.SliceStable(scale, func(i, j int) bool { return scale[i].Level < scale[j].Level })
	return scale
}

func caseScore(score float64, at string, v *models.Validator) (int, bool) {
	if score != math.Trunc(score) || score < 0 || score > models.MaxScaleLevel {
		v.Add(at, fmt.Sprintf("must be a whole level number from 0 to %d", models.MaxScaleLevel))
		return 0, false
	}
	return int(score), true
}

func caseItemType(it CFItem) string {
	if it.CFItemType != "" {
		return it.CFItemType
	}
	if it.CFItemTypeURI != nil {
		return it.CFItemTypeURI.Title
	}
	return ""
}

// caseStatements picks an item's name and description: the short statement names it when
// there is one, and the full statement then describes it unless notes do.
func caseStatements(it CFItem) (name, description string) {
	full, short, notes := strings.TrimSpace(it.FullStatement), strings.TrimSpace(it.AbbreviatedStatement), strings.TrimSpace(it.Notes)
	if short == "" {
		return full, notes
	}
	if notes == "" {
		notes = full
	}
	return short, notes
}

func caseLicence(p CFPackage) string {
	l := p.CFDocument.LicenseURI
	if l == nil {
		return ""
	}
	if p.CFDefinitions != nil {
		for _, lic := range p.CFDefinitions.CFLicenses {
			if lic.Identifier == l.Identifier && lic.Title != "" {
				return lic.Title
			}
		}
	}
	return l.Title
}

var nonCode = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a code from a name, or returns fallback when that gives no valid code.
func slug(name, fallback string) string {
	s := strings.Trim(nonCode.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	if !models.ValidCode(s) {
		return fallback
	}
	return s
}

// caseFieldNames maps document fields to where a package carries them.
var caseFieldNames = map[string]string{
	"code": "humanCodingScheme", "name": "fullStatement", "description": "notes",
	"tier": "extensions.cyberskills.tier", "status": "extensions.cyberskills.status",
	"area": "isChildOf", "parent": "isChildOf", "superseded_by": "replacedBy",
}

// caseField turns a document path such as skills[3].code into the package's terms,
// CFItems[7].humanCodingScheme.
func caseField(path string, skillItems, areaItems []int) string {
	m := docPath.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	items := skillItems
	if m[1] == "areas" {
		items = areaItems
	}
	if i >= len(items) {
		return path
	}
	rest := m[3]
	if n, ok := caseFieldNames[rest]; ok {
		rest = n
	} else if strings.HasPrefix(rest, "references") {
		rest = "extensions.cyberskills." + rest
	}
	p := fmt.Sprintf("CFItems[%d]", items[i])
	if rest != "" {
		p += "." + rest
	}
	return p
}
