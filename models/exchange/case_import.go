package exchange

import (
	"fmt"
	"slices"
	"sort"

	"cyberskills/models"
)

// ParseCASEPackage maps a CASE package (as DecodeCASEPackage reads it) to a complete,
// validated framework document, the inverse of CASEPackage. base supplies the
// framework's code, its tiers when the package names none, and, when the package has no
// scale criterion, the scale (the current version's, or the default).
//
// An item with children, or typed "Skill Area", is an area; any other item is a skill.
// Its code is its humanCodingScheme (made into a code when it is not one, and another
// candidate when two items share it: see codeCandidates), its name the
// abbreviatedStatement or fullStatement. An item may sit in several places of the tree
// (several isChildOf). replacedBy between two skills is supersession; every other
// association, and isChildOf or replacedBy reaching outside the package, is kept as one
// of the framework's associations. Whatever the package says beyond the framework's own
// fields is kept with the object it belongs to (models.CaseSource), unless it is exactly
// what CASEPackage derives, so that an export gives the package back as authored. A skill
// without a tier in our extension takes defaultTier; in a framework with tiers one is
// required. Every problem is reported under the package's own path, such as
// "CFItems[4].fullStatement".
func ParseCASEPackage(p CFPackage, base models.Framework, defaultTier models.Tier) (models.Framework, error) {
	in := caseImport{p: p, base: base, defaultTier: defaultTier, index: map[string]int{}}
	in.readDocument()
	in.readItems()
	in.readAssociations()
	in.build()
	caseRubrics(p, in.index, in.skillOf, &in.doc, &in.v)
	in.keepSources()
	fields := validateImport(&in.doc, in.v.Fields(), in.field)
	if len(fields) > 0 {
		return in.doc, invalidImport("CASE", fields)
	}
	return in.doc, nil
}

// caseImport is one import's state.
type caseImport struct {
	p           CFPackage
	base        models.Framework
	defaultTier models.Tier
	v           models.Validator
	doc         models.Framework

	docRecord, defsRecord models.CaseRecord
	items                 []models.CaseRecord // each item's record
	index                 map[string]int      // item by identifier
	skip                  map[int]bool        // items without a usable identifier
	codes                 []string

	parents    map[int][]int                 // each item's places: parent items, -1 for the document
	childOf    map[int][]models.CaseRecord   // the isChildOf records behind them
	children   map[int]int                   // each item's children
	replacedBy map[int]int                   // supersession: skill item -> skill item
	replaceRec map[int]models.CaseRecord     // the replacedBy record behind it
	others     []int                         // associations kept as the framework's
	area       []bool                        // whether each item is an area
	skillOf    map[int]int                   // item -> index in doc.Skills
	areaOf     map[int]int                   // item -> index in doc.Areas
	assocOf    []int                         // doc.Associations[i] -> CFAssociations index
	skillItems []int                         // doc.Skills[i] -> item
	areaItems  []int                         // doc.Areas[i] -> item
	tierOf     map[int]models.Tier           // skills' tiers as the package gives them
	recOf      func(i int) models.CaseRecord // CFAssociations[i]'s record
}

func (in *caseImport) readDocument() {
	in.docRecord = record(in.p.CFDocument)
	if in.p.CFDefinitions != nil {
		in.defsRecord = record(in.p.CFDefinitions)
	}
	name, description, publisher := caseDocumentText(in.docRecord)
	in.doc = models.Framework{Code: in.base.Code, Name: name, Description: description, Publisher: publisher,
		Licence: caseLicenceOf(in.docRecord, in.defsRecord), Scale: in.base.Scale}
	in.v.Check(in.docRecord.Str("identifier") != "", "CFDocument.identifier", "is required")
	ext, _ := ourExtension(in.docRecord)
	in.doc.Tiers = ext.Tiers
	if in.doc.Tiers == nil {
		in.doc.Tiers = in.base.Tiers
	}
}

func (in *caseImport) readItems() {
	in.skip = map[int]bool{}
	docID := in.docRecord.Str("identifier")
	for k, it := range in.p.CFItems {
		r := record(it)
		in.items = append(in.items, r)
		id := r.Str("identifier")
		switch _, dup := in.index[id]; {
		case id == "":
			in.v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "is required")
			in.skip[k] = true
		case id == docID:
			// An association names its ends by identifier alone: an item sharing the
			// document's could not be told from it (CASE identifiers are unique in a package).
			in.v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "repeats the CFDocument's identifier")
			in.skip[k] = true
		case dup:
			in.v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "repeats another item's identifier")
			in.skip[k] = true
		default:
			in.index[id] = k
		}
	}
	// Codes: every item's first choice first, so that a later item's fallback never takes
	// an earlier... or later item's own humanCodingScheme.
	in.codes = make([]string, len(in.items))
	taken := map[string]bool{}
	for k, r := range in.items {
		if c := codeCandidates(r)[0]; !in.skip[k] && !taken[c] && models.ValidCode(r.Str("humanCodingScheme")) {
			in.codes[k], taken[c] = c, true
		}
	}
	for k, r := range in.items {
		if in.codes[k] != "" || in.skip[k] {
			continue
		}
		for _, c := range codeCandidates(r) {
			if !taken[c] {
				in.codes[k], taken[c] = c, true
				break
			}
		}
	}
}

// readAssociations sorts the associations into places in the tree, supersession and the
// framework's other associations.
func (in *caseImport) readAssociations() {
	in.parents, in.childOf, in.children = map[int][]int{}, map[int][]models.CaseRecord{}, map[int]int{}
	in.replacedBy, in.replaceRec = map[int]int{}, map[int]models.CaseRecord{}
	records := make([]models.CaseRecord, len(in.p.CFAssociations))
	for i, a := range in.p.CFAssociations {
		records[i] = record(a)
	}
	in.recOf = func(i int) models.CaseRecord { return records[i] }
	docID := in.docRecord.Str("identifier")
	var replaced []int
	for i, r := range records {
		at := fmt.Sprintf("CFAssociations[%d]", i)
		kind := r.Str("associationType")
		in.v.Check(kind != "", at+".associationType", "is required")
		origin, okOrigin := in.index[r.Link("originNodeURI")]
		in.v.Check(r.Link("originNodeURI") != "", at+".originNodeURI", "needs an identifier")
		in.v.Check(r.Link("destinationNodeURI") != "", at+".destinationNodeURI", "needs an identifier")
		dest, okDest := in.index[r.Link("destinationNodeURI")]
		switch {
		case kind == models.AssociationChildOf && okOrigin && (okDest || r.Link("destinationNodeURI") == docID):
			parent := -1
			if okDest {
				parent = dest
			}
			if parent == origin || slices.Contains(in.parents[origin], parent) {
				in.v.Add(at, "repeats a place of the item in the tree, or puts it under itself")
				continue
			}
			in.parents[origin] = append(in.parents[origin], parent)
			in.childOf[origin] = append(in.childOf[origin], r)
			if parent >= 0 {
				in.children[parent]++
			}
		case kind == models.AssociationReplacedBy && okOrigin && okDest && in.replacedBy[origin] == 0 && origin != dest:
			in.replacedBy[origin] = dest + 1 // +1: 0 is "none"
			in.replaceRec[origin] = r
			replaced = append(replaced, i)
		default:
			in.others = append(in.others, i)
		}
	}
	in.area = make([]bool, len(in.items))
	for k, r := range in.items {
		in.area[k] = in.children[k] > 0 || isSkillAreaType(r)
	}
	// Supersession links two skills; a replacedBy touching an area is kept as it is.
	for _, i := range replaced {
		r := records[i]
		origin, dest := in.index[r.Link("originNodeURI")], in.index[r.Link("destinationNodeURI")]
		if in.area[origin] || in.area[dest] {
			delete(in.replacedBy, origin)
			delete(in.replaceRec, origin)
			in.others = append(in.others, i)
		}
	}
	sort.Ints(in.others)
}

// build makes the areas, skills and associations of the document.
func (in *caseImport) build() {
	in.skillOf, in.areaOf, in.tierOf = map[int]int{}, map[int]int{}, map[int]models.Tier{}
	tiered := false
	for k, r := range in.items {
		if in.skip[k] {
			continue
		}
		name, description := caseStatementsOf(r)
		parent, others := in.places(k)
		if in.area[k] {
			in.areaOf[k] = len(in.doc.Areas)
			in.doc.Areas = append(in.doc.Areas, models.SkillArea{Code: in.codes[k], Name: name, Description: description,
				Parent: parent, OtherParents: others})
			in.areaItems = append(in.areaItems, k)
			continue
		}
		ext, ours := ourExtension(r)
		s := models.Skill{Code: in.codes[k], Name: name, Description: description, Area: parent, OtherAreas: others,
			Tier: ext.Tier, Status: ext.Status, StatementType: ext.StatementType, References: ext.References}
		if !ours {
			s.StatementType = models.StatementTypeOf(caseItemType(r))
		}
		in.tierOf[k] = s.Tier
		if s.Tier == "" {
			s.Tier = in.defaultTier
		}
		tiered = tiered || s.Tier != ""
		in.skillOf[k] = len(in.doc.Skills)
		in.doc.Skills = append(in.doc.Skills, s)
		in.skillItems = append(in.skillItems, k)
	}
	if in.doc.Tiers == nil && tiered {
		in.doc.Tiers = models.SurveyTiers()
	}
	for i, s := range in.doc.Skills {
		k := in.skillItems[i]
		in.v.Check(s.Tier != "" || len(in.doc.Tiers) == 0 || s.Status == models.SkillDeprecated,
			fmt.Sprintf("CFItems[%d].extensions.cyberskills.tier", k),
			"is required: the framework has tiers and the item does not say which it is in; give default_tier to import such items")
		if to := in.replacedBy[k]; to > 0 && !in.skip[to-1] {
			in.doc.Skills[i].SupersededBy = in.codes[to-1]
		}
	}
	for _, i := range in.others {
		r := in.recOf(i)
		in.assocOf = append(in.assocOf, i)
		in.doc.Associations = append(in.doc.Associations, models.Association{Type: r.Str("associationType"),
			From: in.end(r, "originNodeURI"), To: in.end(r, "destinationNodeURI")})
	}
}

// places are an item's parent code and other parents' ("" is the document).
func (in *caseImport) places(k int) (string, []string) {
	var codes []string
	for _, p := range in.parents[k] {
		if p < 0 || in.skip[p] {
			codes = append(codes, "")
		} else {
			codes = append(codes, in.codes[p])
		}
	}
	if len(codes) == 0 {
		return "", nil
	}
	// The document is "no parent": it goes first, so that other places stay listed.
	for i, c := range codes {
		if c == "" && i > 0 {
			codes[0], codes[i] = codes[i], codes[0]
		}
	}
	return codes[0], codes[1:]
}

// end is an association's end: an item of the package by code, or a node outside it.
func (in *caseImport) end(r models.CaseRecord, key string) models.AssociationEnd {
	l, _ := r[key].(map[string]any)
	id, _ := l["identifier"].(string)
	uri, _ := l["uri"].(string)
	title, _ := l["title"].(string)
	if k, ok := in.index[id]; ok && !in.skip[k] {
		name, _ := caseStatementsOf(in.items[k])
		if title == name {
			title = ""
		}
		return models.AssociationEnd{Code: in.codes[k], Title: title}
	}
	return models.AssociationEnd{Identifier: id, URI: uri, Title: title}
}
