package exchange

import (
	"strconv"
	"strings"
	"time"

	"cyberskills/models"
)

// CASE item types of this service's exports.
const (
	CASETypeSkill     = "Skill"
	CASETypeSkillArea = "Skill Area"
)

// CASEPackage maps a framework version, published at published, to a CASE 1.1 package:
// areas and skills are CFItems placed in the tree by isChildOf associations (one per
// place: an item may sit in several), a superseded skill is linked to its replacement
// by replacedBy, the framework's other associations follow, the scale and the level
// descriptors form a CFRubric, and tiers, tier, status, statement type and references
// ride in extensions. What the framework keeps from the CASE package it was imported
// from (identifiers, item types, statements as written, education levels, sequence
// numbers, adoption status...) is written back as it was, unless the framework has since
// changed what it derives from (a renamed item gets its new name); everything else is
// derived, with name-based UUIDs so that exports of any version are stable.
func CASEPackage(f models.Framework, published time.Time) CFPackage {
	w := newCaseWriter(f, published.UTC().Format("2006-01-02T15:04:05Z"))
	p := CFPackage{CFDocument: w.document(), CFItems: []CFItem{}, CFAssociations: []CFAssociation{}}
	if f.Case != nil {
		p.Extra = f.Case.Package.Clone()
	}
	for _, a := range f.Areas {
		p.CFItems = append(p.CFItems, w.item(w.areaSpec(a)))
	}
	for _, s := range f.Skills {
		p.CFItems = append(p.CFItems, w.item(w.skillSpec(s)))
	}
	for _, a := range f.Areas {
		p.CFAssociations = append(p.CFAssociations, w.placements(areaKey(a.Code), a.Parent, a.OtherParents, a.Case)...)
	}
	for _, s := range f.Skills {
		p.CFAssociations = append(p.CFAssociations, w.placements(skillKey(s.Code), s.Area, s.OtherAreas, s.Case)...)
	}
	for _, s := range f.Skills {
		if s.SupersededBy != "" {
			p.CFAssociations = append(p.CFAssociations, w.replacedBy(s))
		}
	}
	for _, a := range f.Associations {
		p.CFAssociations = append(p.CFAssociations, w.association(a))
	}
	p.CFDefinitions = w.definitions()
	p.CFRubrics = []CFRubric{caseRubric(f, w.links, w.ts)}
	return p
}

// caseWriter writes one framework version's CASE objects.
type caseWriter struct {
	f        models.Framework
	ts       string
	docLink  LinkURI
	links    map[string]LinkURI // by areaKey or skillKey
	children map[string]int     // areas' children, by area code
	sequence map[string]int     // the derived sequence number of each place, by placeKey
	types    map[string]bool    // the derived item types written, by title
	licence  bool               // whether the derived licence was written
}

func areaKey(code string) string  { return "area/" + code }
func skillKey(code string) string { return "skill/" + code }

// parentKey is the key of the area code names, or "" for the document.
func parentKey(code string) string {
	if code == "" {
		return ""
	}
	return areaKey(code)
}

// derived reports whether the object of a key ("" the document) has a derived identifier
// rather than one a package gave it.
func (w *caseWriter) derived(key string) bool {
	if key == "" {
		return w.docLink.Identifier == CASEIdentifier("framework", w.f.Code)
	}
	kind, code, _ := strings.Cut(key, "/")
	return w.links[key].Identifier == CASEIdentifier(kind, w.f.Code, code)
}
func placeKey(item, parentIdentifier string) string {
	return item + "\x00" + parentIdentifier
}

func newCaseWriter(f models.Framework, ts string) *caseWriter {
	w := &caseWriter{f: f, ts: ts, links: map[string]LinkURI{}, children: map[string]int{}, sequence: map[string]int{},
		types: map[string]bool{}}
	var docCase models.CaseRecord
	if f.Case != nil {
		docCase = f.Case.Document
	}
	w.docLink = identity(docCase, f.Name, "framework", f.Code)
	for _, a := range f.Areas {
		w.links[areaKey(a.Code)] = identity(itemCase(a.Case), a.Name, "area", f.Code, a.Code)
	}
	for _, s := range f.Skills {
		w.links[skillKey(s.Code)] = identity(itemCase(s.Case), s.Name, "skill", f.Code, s.Code)
	}
	counted := map[string]int{} // children so far per parent identifier
	place := func(key, parent string, others []string) {
		for _, p := range append([]string{parent}, others...) {
			dest := w.parentLink(p)
			counted[dest.Identifier]++
			w.sequence[placeKey(key, dest.Identifier)] = counted[dest.Identifier]
			if p != "" {
				w.children[p]++
			}
		}
	}
	for _, a := range f.Areas {
		place(areaKey(a.Code), a.Parent, a.OtherParents)
	}
	for _, s := range f.Skills {
		place(skillKey(s.Code), s.Area, s.OtherAreas)
	}
	return w
}

func itemCase(c *models.CaseSource) models.CaseRecord {
	if c == nil {
		return nil
	}
	return c.Item
}

// identity is the link to an object: its identifier and URI as its package gave them,
// or derived from its names.
func identity(c models.CaseRecord, title string, parts ...string) LinkURI {
	if id := c.Str("identifier"); id != "" {
		return LinkURI{Title: title, Identifier: id, URI: c.Str("uri")}
	}
	id := CASEIdentifier(parts...)
	return LinkURI{Title: title, Identifier: id, URI: "urn:uuid:" + id}
}

// parentLink is the link to an area, or to the document for "".
func (w *caseWriter) parentLink(area string) LinkURI {
	if area == "" {
		return w.docLink
	}
	return w.links[areaKey(area)]
}

// document writes the CFDocument.
func (w *caseWriter) document() CFDocument {
	f := w.f
	ext := CaseExtension{Code: f.Code, Tiers: f.Tiers}
	if f.Case == nil || len(f.Case.Document) == 0 {
		return w.defaultDocument(ext)
	}
	out := f.Case.Document.Clone()
	name, description, publisher := caseDocumentText(out)
	if name != f.Name {
		out["title"] = f.Name
	}
	if description != f.Description {
		setText(out, "description", f.Description)
	}
	if publisher != f.Publisher {
		setText(out, "publisher", f.Publisher)
		out["creator"] = cmpOr(f.Publisher, f.Name)
	}
	var defs models.CaseRecord
	if f.Case != nil {
		defs = f.Case.Definitions
	}
	if caseLicenceOf(out, defs) != f.Licence {
		delete(out, "licenseURI")
		if f.Licence != "" {
			out["licenseURI"] = map[string]any(record(w.licenceLink()))
			w.licence = true
		}
	}
	setOurExtension(out, ext)
	var d CFDocument
	d.Extra = fromRecord(out, &d)
	return d
}

func (w *caseWriter) defaultDocument(ext CaseExtension) CFDocument {
	f := w.f
	d := CFDocument{Identifier: w.docLink.Identifier, URI: w.docLink.URI, CaseVersion: "1.1", Creator: cmpOr(f.Publisher, f.Name),
		Title: f.Name, LastChangeDateTime: w.ts, Publisher: f.Publisher, Description: f.Description, Language: "en",
		Version: strconv.Itoa(f.Version), AdoptionStatus: "Adopted", Extensions: ext.raw()}
	if f.Licence != "" {
		lic := w.licenceLink()
		d.LicenseURI = &lic
		w.licence = true
	}
	return d
}

func (w *caseWriter) licenceLink() LinkURI {
	id := CASEIdentifier("licence", w.f.Code)
	return LinkURI{Title: w.f.Licence, Identifier: id, URI: "urn:uuid:" + id}
}

// itemSpec is what an item's CFItem is written from.
type itemSpec struct {
	key, code, name, description string
	area                         bool
	statementType                models.StatementType
	ext                          *CaseExtension // ours, on skills
	source                       models.CaseRecord
}

func (w *caseWriter) areaSpec(a models.SkillArea) itemSpec {
	return itemSpec{key: areaKey(a.Code), code: a.Code, name: a.Name, description: a.Description, area: true, source: itemCase(a.Case)}
}

func (w *caseWriter) skillSpec(s models.Skill) itemSpec {
	return itemSpec{key: skillKey(s.Code), code: s.Code, name: s.Name, description: s.Description, statementType: s.StatementType,
		ext:    &CaseExtension{Tier: s.Tier, Status: s.Status, StatementType: s.StatementType, References: s.References},
		source: itemCase(s.Case)}
}

// item writes an area's or a skill's CFItem: as its package wrote it when the framework
// keeps that, with what the framework has changed since, or derived.
func (w *caseWriter) item(sp itemSpec) CFItem {
	if len(sp.source) == 0 {
		return w.defaultItem(sp)
	}
	out := sp.source.Clone()
	doc := w.docLink
	out["CFDocumentURI"] = map[string]any(record(doc))
	if name, description := caseStatementsOf(out); name != sp.name || description != sp.description {
		out["fullStatement"] = sp.name
		delete(out, "abbreviatedStatement")
		setText(out, "notes", sp.description)
	}
	if !codeFrom(out, sp.code) {
		out["humanCodingScheme"] = sp.code
	}
	typed := isSkillAreaType(out)
	if (sp.area && !typed && w.children[sp.code] == 0) || (!sp.area && typed) {
		t := w.itemType(sp)
		out["CFItemType"] = t.Title
		out["CFItemTypeURI"] = map[string]any(record(t))
	}
	if sp.ext != nil {
		setOurExtension(out, *sp.ext)
	}
	var it CFItem
	it.Extra = fromRecord(out, &it)
	return it
}

func (w *caseWriter) defaultItem(sp itemSpec) CFItem {
	l, t, doc := w.links[sp.key], w.itemType(sp), w.docLink
	it := CFItem{Identifier: l.Identifier, URI: l.URI, FullStatement: sp.name, HumanCodingScheme: sp.code, Notes: sp.description,
		Language: "en", CFItemType: t.Title, CFItemTypeURI: &t, CFDocumentURI: &doc, LastChangeDateTime: w.ts}
	if sp.ext != nil {
		it.Extensions = sp.ext.raw()
	}
	return it
}

// derivedTypes are the item types this service writes, by title: areas are Skill Areas,
// skills Skills, or their statement type.
var derivedTypes = []struct{ title, code, hierarchy, description string }{
	{CASETypeSkillArea, "skill-area", "1", "A group of related skills; areas form a tree."},
	{CASETypeSkill, "skill", "2", "A skill that staff are assessed against on the framework's proficiency scale."},
	{"Task", "task", "2", "A task statement: work a role does, assessed on the framework's proficiency scale."},
	{"Knowledge", "knowledge", "2", "A knowledge statement, assessed on the framework's proficiency scale."},
}

// itemType is the derived item type of an item, recorded as written.
func (w *caseWriter) itemType(sp itemSpec) LinkURI {
	title := CASETypeSkill
	switch {
	case sp.area:
		title = CASETypeSkillArea
	case sp.statementType != "":
		title = sp.statementType.Title()
	}
	w.types[title] = true
	return typeLink(title)
}

func typeLink(title string) LinkURI {
	for _, t := range derivedTypes {
		if t.title == title {
			id := CASEIdentifier("item-type", t.code)
			return LinkURI{Title: t.title, Identifier: id, URI: "urn:uuid:" + id}
		}
	}
	return LinkURI{}
}

// placements writes an item's isChildOf associations, one per place in the tree.
func (w *caseWriter) placements(key, parent string, others []string, c *models.CaseSource) []CFAssociation {
	var out []CFAssociation
	origin := w.links[key]
	for _, p := range append([]string{parent}, others...) {
		dest := w.parentLink(p)
		var source models.CaseRecord
		if c != nil {
			source = c.ChildOf[p]
		}
		out = append(out, w.link(source, origin, models.AssociationChildOf, dest, w.sequence[placeKey(key, dest.Identifier)]))
	}
	return out
}

// replacedBy writes a superseded skill's replacedBy association.
func (w *caseWriter) replacedBy(s models.Skill) CFAssociation {
	dest := w.links[skillKey(s.SupersededBy)]
	var source models.CaseRecord
	if to := s.Case.ReplacedByRecord().Link("destinationNodeURI"); to == "" || to == dest.Identifier {
		source = s.Case.ReplacedByRecord()
	}
	return w.link(source, w.links[skillKey(s.Code)], models.AssociationReplacedBy, dest, 0)
}

// association writes one of the framework's other associations.
func (w *caseWriter) association(a models.Association) CFAssociation {
	return w.link(a.Case, w.end(a.From), a.Type, w.end(a.To), 0)
}

func (w *caseWriter) end(e models.AssociationEnd) LinkURI {
	if !e.Internal() {
		return LinkURI{Title: e.Title, Identifier: e.Identifier, URI: e.URI}
	}
	l, ok := w.links[skillKey(e.Code)]
	if !ok {
		l = w.links[areaKey(e.Code)]
	}
	if e.Title != "" {
		l.Title = e.Title
	}
	return l
}

// link writes an association between origin and dest: the package's own record when
// there is one (its links as it wrote them, or derived when it kept none), else derived
// (seq 0 writes no sequence number).
func (w *caseWriter) link(source models.CaseRecord, origin LinkURI, kind string, dest LinkURI, seq int) CFAssociation {
	if len(source) == 0 {
		return caseAssociation(origin, kind, dest, seq, w.docLink, w.ts)
	}
	out := source.Clone()
	out["associationType"] = kind
	// The package's own links, titles as it wrote them, while they still point at the ends.
	if out.Link("originNodeURI") != origin.Identifier {
		out["originNodeURI"] = map[string]any(record(origin))
	}
	if out.Link("destinationNodeURI") != dest.Identifier {
		out["destinationNodeURI"] = map[string]any(record(dest))
	}
	out["CFDocumentURI"] = map[string]any(record(w.docLink))
	var a CFAssociation
	a.Extra = fromRecord(out, &a)
	return a
}

func caseAssociation(origin LinkURI, kind string, dest LinkURI, seq int, doc LinkURI, ts string) CFAssociation {
	id := CASEIdentifier("association", origin.Identifier, kind, dest.Identifier)
	return CFAssociation{Identifier: id, URI: "urn:uuid:" + id, AssociationType: kind, SequenceNumber: seq,
		OriginNodeURI: origin, DestinationNodeURI: dest, CFDocumentURI: &doc, LastChangeDateTime: ts}
}

// definitions writes the CFDefinitions: the package's own, with the derived item types
// and licence that the export wrote added.
func (w *caseWriter) definitions() *CFDefinitions {
	var defs CFDefinitions
	if w.f.Case != nil && len(w.f.Case.Definitions) > 0 {
		defs.Extra = fromRecord(w.f.Case.Definitions, &defs)
	} else {
		w.types[CASETypeSkillArea], w.types[CASETypeSkill] = true, true
	}
	have := map[string]bool{}
	for _, t := range defs.CFItemTypes {
		have[t.Identifier] = true
	}
	for _, t := range derivedTypes {
		if l := typeLink(t.title); w.types[t.title] && !have[l.Identifier] {
			defs.CFItemTypes = append(defs.CFItemTypes, CFItemTypeDefinition{Identifier: l.Identifier, URI: l.URI, Title: t.title,
				Description: t.description, HierarchyCode: t.hierarchy, TypeCode: t.code, LastChangeDateTime: w.ts})
		}
	}
	if w.licence {
		l := w.licenceLink()
		defs.CFLicenses = append(defs.CFLicenses, CFLicense{Identifier: l.Identifier, URI: l.URI, Title: w.f.Licence,
			LicenseText: w.f.Licence, LastChangeDateTime: w.ts})
	}
	return &defs
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// setText sets a text field, or removes it when s is empty.
func setText(r models.CaseRecord, key, s string) {
	if s == "" {
		delete(r, key)
		return
	}
	r[key] = s
}
