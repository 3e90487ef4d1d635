package exchange

import (
	"strconv"
	"time"

	"cyberskills/models"
)

// CASE item types of this service's exports.
const (
	CASETypeSkill     = "Skill"
	CASETypeSkillArea = "Skill Area"
)

// CASEPackage maps a framework version, published at published, to a CASE 1.1 package:
// areas and skills are CFItems under the CFDocument by isChildOf associations, a
// superseded skill is linked to its replacement by replacedBy, the scale and the level
// descriptors form a CFRubric, and tier, status and references ride in extensions.
// Identifiers are name-based UUIDs, so exports of any version are stable.
func CASEPackage(f models.Framework, published time.Time) CFPackage {
	ts := published.UTC().Format("2006-01-02T15:04:05Z")
	link := func(title string, parts ...string) LinkURI {
		id := CASEIdentifier(parts...)
		return LinkURI{Title: title, Identifier: id, URI: "urn:uuid:" + id}
	}
	docLink := link(f.Name, "framework", f.Code)
	creator := f.Publisher
	if creator == "" {
		creator = f.Name
	}
	p := CFPackage{
		CFDocument: CFDocument{
			Identifier: docLink.Identifier, URI: docLink.URI, CaseVersion: "1.1", Creator: creator, Title: f.Name,
			LastChangeDateTime: ts, Publisher: f.Publisher, Description: f.Description, Language: "en",
			Version: strconv.Itoa(f.Version), AdoptionStatus: "Adopted",
			Extensions: CaseExtension{Code: f.Code}.raw(),
		},
		CFItems: []CFItem{}, CFAssociations: []CFAssociation{},
	}
	areaType, skillType := link(CASETypeSkillArea, "item-type", "skill-area"), link(CASETypeSkill, "item-type", "skill")
	defs := &CFDefinitions{CFItemTypes: []CFItemTypeDefinition{
		{Identifier: areaType.Identifier, URI: areaType.URI, Title: CASETypeSkillArea, HierarchyCode: "1", TypeCode: "skill-area",
			Description: "A group of related skills; areas form a tree.", LastChangeDateTime: ts},
		{Identifier: skillType.Identifier, URI: skillType.URI, Title: CASETypeSkill, HierarchyCode: "2", TypeCode: "skill",
			Description: "A skill that staff are assessed against on the framework's proficiency scale.", LastChangeDateTime: ts},
	}}
	if f.Licence != "" {
		lic := link(f.Licence, "licence", f.Code)
		p.CFDocument.LicenseURI = &lic
		defs.CFLicenses = []CFLicense{{Identifier: lic.Identifier, URI: lic.URI, Title: f.Licence, LicenseText: f.Licence, LastChangeDateTime: ts}}
	}
	p.CFDefinitions = defs

	areaLinks := map[string]LinkURI{}
	for _, a := range f.Areas {
		areaLinks[a.Code] = link(a.Name, "area", f.Code, a.Code)
	}
	skillLinks := map[string]LinkURI{}
	for _, s := range f.Skills {
		skillLinks[s.Code] = link(s.Name, "skill", f.Code, s.Code)
	}
	sequence := map[string]int{} // children so far per parent identifier
	childOf := func(origin LinkURI, parentArea string) {
		dest := docLink
		if parentArea != "" {
			dest = areaLinks[parentArea]
		}
		sequence[dest.Identifier]++
		p.CFAssociations = append(p.CFAssociations, caseAssociation(origin, "isChildOf", dest, sequence[dest.Identifier], docLink, ts))
	}
	for _, a := range f.Areas {
		l := areaLinks[a.Code]
		p.CFItems = append(p.CFItems, CFItem{Identifier: l.Identifier, URI: l.URI, FullStatement: a.Name, HumanCodingScheme: a.Code,
			Notes: a.Description, Language: "en", CFItemType: CASETypeSkillArea, CFItemTypeURI: &areaType, CFDocumentURI: &docLink,
			LastChangeDateTime: ts})
		childOf(l, a.Parent)
	}
	for _, s := range f.Skills {
		l := skillLinks[s.Code]
		p.CFItems = append(p.CFItems, CFItem{Identifier: l.Identifier, URI: l.URI, FullStatement: s.Name, HumanCodingScheme: s.Code,
			Notes: s.Description, Language: "en", CFItemType: CASETypeSkill, CFItemTypeURI: &skillType, CFDocumentURI: &docLink,
			LastChangeDateTime: ts, Extensions: CaseExtension{Tier: s.Tier, Status: s.Status, References: s.References}.raw()})
		childOf(l, s.Area)
	}
	for _, s := range f.Skills {
		if s.SupersededBy != "" {
			p.CFAssociations = append(p.CFAssociations, caseAssociation(skillLinks[s.Code], "replacedBy", skillLinks[s.SupersededBy], 0, docLink, ts))
		}
	}
	p.CFRubrics = []CFRubric{caseRubric(f, skillLinks, ts)}
	return p
}

func caseAssociation(origin LinkURI, kind string, dest LinkURI, seq int, doc LinkURI, ts string) CFAssociation {
	id := CASEIdentifier("association", origin.Identifier, kind, dest.Identifier)
	return CFAssociation{Identifier: id, URI: "urn:uuid:" + id, AssociationType: kind, SequenceNumber: seq,
		OriginNodeURI: origin, DestinationNodeURI: dest, CFDocumentURI: &doc, LastChangeDateTime: ts}
}

// caseRubric holds the scale as its first criterion and each described skill's levels.
func caseRubric(f models.Framework, skills map[string]LinkURI, ts string) CFRubric {
	rubricID := CASEIdentifier("rubric", f.Code)
	r := CFRubric{Identifier: rubricID, URI: "urn:uuid:" + rubricID, Title: f.Name + ": proficiency levels",
		Description:        "The proficiency scale (the criterion without an item) and, per skill, what each level looks like.",
		LastChangeDateTime: ts}
	criterion := func(key, category string, item *LinkURI, pos int) CFRubricCriterion {
		id := CASEIdentifier("criterion", f.Code, key)
		return CFRubricCriterion{Identifier: id, URI: "urn:uuid:" + id, Category: category, CFItemURI: item, Position: pos,
			RubricID: rubricID, LastChangeDateTime: ts, CFRubricCriterionLevels: []CFRubricCriterionLevel{}}
	}
	level := func(c *CFRubricCriterion, key string, l models.ProficiencyLevel, descriptor string, ext *CaseExtension) {
		id := CASEIdentifier("level", f.Code, key, strconv.Itoa(l.Level))
		cl := CFRubricCriterionLevel{Identifier: id, URI: "urn:uuid:" + id, Description: descriptor, Quality: l.Name,
			Score: float64(l.Level), Position: len(c.CFRubricCriterionLevels), RubricCriterionID: c.Identifier, LastChangeDateTime: ts}
		if ext != nil {
			cl.Extensions = ext.raw()
		}
		c.CFRubricCriterionLevels = append(c.CFRubricCriterionLevels, cl)
	}
	scale := criterion("scale", "Proficiency scale", nil, 0)
	scale.Description = "The levels at which every skill of the framework is assessed."
	for _, l := range f.Scale {
		level(&scale, "scale", l, l.Descriptor, &CaseExtension{Code: l.Code})
	}
	r.CFRubricCriteria = append(r.CFRubricCriteria, scale)
	for i, s := range f.Skills {
		if len(s.Levels) == 0 {
			continue
		}
		item := skills[s.Code]
		c := criterion("skill/"+s.Code, s.Name, &item, i+1)
		for _, l := range f.Scale {
			if d := s.Levels[models.LevelKey(l.Level)]; d != "" {
				level(&c, "skill/"+s.Code, l, d, nil)
			}
		}
		r.CFRubricCriteria = append(r.CFRubricCriteria, c)
	}
	return r
}
