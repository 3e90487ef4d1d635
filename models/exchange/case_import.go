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
	for k, it := range in.p.CFItems {
		r := record(it)
		in.items = append(in.items, r)
		id := r.Str("identifier")
		switch _, dup := in.index[id]; {
		case id == "":
			in.v.Add(fmt.Sprintf("CFItems[%d].identifier", k), "is required")
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
			if parent == origin || slicesContains(in.parents[origin], parent) {
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

// keepSources keeps with each object what the package says beyond the framework's own
// fields, unless it is what the export derives anyway: a package this service exported
// imports back to a framework without any.
func (in *caseImport) keepSources() {
	volatile := []string{"lastChangeDateTime", "CFDocumentURI"}
	// Derived identifiers come from the code of the framework the package was exported
	// from, which a copy imported under another code must not take for the source's own.
	code := cmpOr(CASEFrameworkCode(in.p), in.doc.Code)
	plain := stripSources(in.doc)
	plain.Code = code
	derived := newCaseWriter(plain, "")
	if !models.SameRecord(in.docRecord, record(derived.document()), "lastChangeDateTime", "version") {
		in.doc.Case = &models.CaseDocumentSource{Document: withoutOurExtension(in.docRecord)}
	}
	for i, a := range in.doc.Areas {
		k := in.areaItems[i]
		if !models.SameRecord(in.items[k], record(derived.item(derived.areaSpec(a))), volatile...) {
			in.doc.Areas[i].Case = &models.CaseSource{Item: withoutOurExtension(in.items[k]).Without("CFDocumentURI")}
		}
	}
	for i, s := range in.doc.Skills {
		k := in.skillItems[i]
		if !models.SameRecord(in.items[k], record(derived.item(derived.skillSpec(s))), volatile...) {
			in.doc.Skills[i].Case = &models.CaseSource{Item: withoutOurExtension(in.items[k]).Without("CFDocumentURI")}
		}
	}
	if defs := in.keptDefinitions(derived); len(defs) > 0 {
		in.docCase().Definitions = defs
	}
	if len(in.p.Extra) > 0 {
		in.docCase().Package = in.p.Extra.Clone()
	}
	// Associations are compared with what the export derives from the identities kept.
	kept := in.doc.Clone()
	kept.Code = code
	w := newCaseWriter(kept, "")
	for k, recs := range in.childOf {
		if in.skip[k] {
			continue
		}
		key, src := in.itemSource(k)
		origin := w.links[key]
		for j, r := range recs {
			parent := ""
			if p := in.parents[k][j]; p >= 0 && !in.skip[p] {
				parent = in.codes[p]
			}
			dest := w.parentLink(parent)
			want := w.link(nil, origin, models.AssociationChildOf, dest, w.sequence[placeKey(key, dest.Identifier)])
			if !models.SameRecord(r, record(want), volatile...) {
				if src().ChildOf == nil {
					src().ChildOf = map[string]models.CaseRecord{}
				}
				src().ChildOf[parent] = keptLinks(r, origin, dest, w.derived(key), w.derived(parentKey(parent)))
			}
		}
	}
	for k, r := range in.replaceRec {
		s := in.doc.Skills[in.skillOf[k]]
		key, src := in.itemSource(k)
		if want := w.replacedBy(s); !models.SameRecord(r, record(want), volatile...) {
			src().ReplacedBy = keptLinks(r, w.links[key], want.DestinationNodeURI, w.derived(key), w.derived(skillKey(s.SupersededBy)))
		}
	}
	for i, a := range in.doc.Associations {
		r := in.recOf(in.assocOf[i])
		if !models.SameRecord(r, record(w.association(a)), volatile...) {
			in.doc.Associations[i].Case = r.Without("CFDocumentURI", "associationType", "originNodeURI", "destinationNodeURI")
		}
	}
}

// itemSource is an item's key, with a function giving its CaseSource (made when it has
// none).
func (in *caseImport) itemSource(k int) (key string, src func() *models.CaseSource) {
	if i, ok := in.areaOf[k]; ok {
		a := &in.doc.Areas[i]
		return areaKey(a.Code), func() *models.CaseSource {
			if a.Case == nil {
				a.Case = &models.CaseSource{}
			}
			return a.Case
		}
	}
	s := &in.doc.Skills[in.skillOf[k]]
	return skillKey(s.Code), func() *models.CaseSource {
		if s.Case == nil {
			s.Case = &models.CaseSource{}
		}
		return s.Case
	}
}

// keptLinks is a tree or supersession association as the framework keeps it: without
// what its own fields carry, and without the links the export derives anyway: a link to
// an item whose identifier is derived (which follows the framework's code, so an export
// under another code writes it anew), or one exactly as derived.
func keptLinks(r models.CaseRecord, origin, dest LinkURI, originDerived, destDerived bool) models.CaseRecord {
	out := r.Without("CFDocumentURI", "associationType")
	for key, end := range map[string]struct {
		l       LinkURI
		derived bool
	}{"originNodeURI": {origin, originDerived}, "destinationNodeURI": {dest, destDerived}} {
		if out.Link(key) == end.l.Identifier &&
			(end.derived || models.SameRecord(models.CaseRecord{"l": out[key]}, models.CaseRecord{"l": map[string]any(record(end.l))})) {
			delete(out, key)
		}
	}
	return out
}

func (in *caseImport) docCase() *models.CaseDocumentSource {
	if in.doc.Case == nil {
		in.doc.Case = &models.CaseDocumentSource{}
	}
	return in.doc.Case
}

// keptDefinitions are the package's CFDefinitions less what the export derives itself
// (its item types and licence), or nil when that leaves nothing of note.
func (in *caseImport) keptDefinitions(derived *caseWriter) models.CaseRecord {
	if in.defsRecord == nil {
		return nil
	}
	ours := map[string]bool{derived.licenceLink().Identifier: true}
	for _, t := range derivedTypes {
		ours[typeLink(t.title).Identifier] = true
	}
	out := models.CaseRecord{}
	for k, v := range in.defsRecord {
		list, ok := v.([]any)
		if !ok || (k != "CFItemTypes" && k != "CFLicenses") {
			out[k] = v
			continue
		}
		var kept []any
		for _, e := range list {
			if m, ok := e.(map[string]any); !ok || !ours[fmt.Sprint(m["identifier"])] {
				kept = append(kept, e)
			}
		}
		if len(kept) > 0 {
			out[k] = kept
		}
	}
	for k, v := range out {
		if l, ok := v.([]any); ok && len(l) == 0 {
			delete(out, k)
		}
	}
	return out
}

// stripSources is the framework without anything kept from a package: what the export
// writes of a framework this service authored.
func stripSources(f models.Framework) models.Framework {
	f = f.Clone()
	f.Case = nil
	for i := range f.Areas {
		f.Areas[i].Case = nil
	}
	for i := range f.Skills {
		f.Skills[i].Case = nil
	}
	for i := range f.Associations {
		f.Associations[i].Case = nil
	}
	return f
}

func slicesContains(list []int, x int) bool {
	for _, e := range list {
		if e == x {
			return true
		}
	}
	return false
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

var assocPath = regexp.MustCompile(`^associations\[(\d+)\](.*)$`)

// caseFieldNames maps document fields to where a package carries them.
var caseFieldNames = map[string]string{
	"code": "humanCodingScheme", "name": "fullStatement", "description": "notes",
	"tier": "extensions.cyberskills.tier", "status": "extensions.cyberskills.status",
	"statement_type": "extensions.cyberskills.statement_type",
	"area":           "isChildOf", "parent": "isChildOf", "superseded_by": "replacedBy",
}

var caseDocumentFields = map[string]string{
	"name": "CFDocument.title", "description": "CFDocument.description", "publisher": "CFDocument.publisher",
	"licence": "CFDocument.licenseURI", "code": "code", "case": "CFDocument",
}

// field turns a document path such as skills[3].code into the package's terms,
// CFItems[7].humanCodingScheme.
func (in *caseImport) field(path string) string {
	if n, ok := caseDocumentFields[path]; ok {
		return n
	}
	if strings.HasPrefix(path, "tiers") {
		return "CFDocument.extensions.cyberskills." + path
	}
	if m := assocPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= len(in.assocOf) {
			return path
		}
		p := fmt.Sprintf("CFAssociations[%d]", in.assocOf[i])
		switch {
		case strings.HasPrefix(m[2], ".from"):
			p += ".originNodeURI"
		case strings.HasPrefix(m[2], ".to"):
			p += ".destinationNodeURI"
		case m[2] == ".type":
			p += ".associationType"
		}
		return p
	}
	m := docPath.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	items := in.skillItems
	if m[1] == "areas" {
		items = in.areaItems
	}
	if i >= len(items) {
		return path
	}
	rest := m[3]
	if j := strings.IndexByte(rest, '['); j > 0 && (strings.HasPrefix(rest, "other_areas") || strings.HasPrefix(rest, "other_parents")) {
		rest = "isChildOf"
	}
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
