package models

import (
	"fmt"
	"strings"
	"unicode"
)

// AssociationEnd is one end of an association: an area or skill of the framework, by
// code, or a node outside it (an item of another framework, a resource), by its CASE
// identifier and URI.
type AssociationEnd struct {
	Code       string `json:"code,omitempty" example:"T0167"`
	Identifier string `json:"identifier,omitempty" example:""`
	URI        string `json:"uri,omitempty" example:""`
	// Title is the link's title as the package wrote it; empty takes the item's name.
	Title string `json:"title,omitempty" example:""`
}

// Internal reports whether the end is an area or skill of the framework.
func (e AssociationEnd) Internal() bool { return e.Code != "" }

// Association is a link between two nodes other than the area tree and supersession:
// every other CASE association type (exactMatchOf, isRelatedTo, precedes, exemplar,
// isPeerOf, isPartOf, hasSkillLevel, isTranslationOf, "ext:" types), and links of those
// two kinds that reach outside the framework. Associations are kept and exported; they
// play no part in gap calculations.
type Association struct {
	Type string         `json:"type" example:"isRelatedTo"`
	From AssociationEnd `json:"from"`
	To   AssociationEnd `json:"to"`
	// Case keeps the CFAssociation's other fields as the package wrote them.
	Case CaseRecord `json:"case,omitempty" swaggertype:"object"`
}

// The association types that the framework's own fields carry between its items.
const (
	AssociationChildOf    = "isChildOf"
	AssociationReplacedBy = "replacedBy"
)

// MaxFrameworkAssociations bounds a document's associations.
const MaxFrameworkAssociations = 100000

func (a *Association) normalize() {
	a.Type = strings.TrimSpace(a.Type)
	for _, e := range []*AssociationEnd{&a.From, &a.To} {
		e.Code, e.Identifier, e.URI, e.Title = strings.TrimSpace(e.Code), strings.TrimSpace(e.Identifier), strings.TrimSpace(e.URI), strings.TrimSpace(e.Title)
	}
	if len(a.Case) == 0 {
		a.Case = nil
	}
}

// validateAssociations checks each association's type and ends. areas and skills are the
// codes of the document's areas and skills.
func (f *Framework) validateAssociations(v *Validator, areas, skills map[string]bool) {
	v.Check(len(f.Associations) <= MaxFrameworkAssociations, "associations", fmt.Sprintf("must hold at most %d associations", MaxFrameworkAssociations))
	for i, a := range f.Associations {
		p := fmt.Sprintf("associations[%d]", i)
		v.Check(a.Type != "" && len(a.Type) <= 200 && !strings.ContainsFunc(a.Type, unicode.IsControl), p+".type",
			"is required (at most 200 characters, such as exactMatchOf, isRelatedTo or precedes)")
		validateEnd(v, p+".from", a.From, areas, skills)
		validateEnd(v, p+".to", a.To, areas, skills)
		switch {
		case a.Type == AssociationChildOf && a.From.Internal() && a.To.Internal():
			v.Add(p+".type", "isChildOf between two items of the framework is its area tree: give the area or parent instead")
		case a.Type == AssociationReplacedBy && skills[a.From.Code] && skills[a.To.Code]:
			v.Add(p+".type", "replacedBy between two skills of the framework is supersession: give superseded_by instead")
		}
		checkCaseSize(v, p+".case", a.Case)
	}
}

func validateEnd(v *Validator, p string, e AssociationEnd, areas, skills map[string]bool) {
	v.Check(len(e.Title) <= MaxTextLength, p+".title", fmt.Sprintf("must be at most %d characters", MaxTextLength))
	if e.Internal() {
		v.Check(areas[e.Code] || skills[e.Code], p+".code", "no area or skill of this framework has this code")
		v.Check(!areas[e.Code] || !skills[e.Code], p+".code", "names both an area and a skill; give the other end's identifier instead")
		v.Check(e.Identifier == "" && e.URI == "", p, "names an item of this framework by code; identifier and uri are for nodes outside it")
		return
	}
	v.Check(e.Identifier != "" && len(e.Identifier) <= 1000, p+".identifier", "is required for a node outside the framework (at most 1000 characters), or give the code of one of its items")
	v.Check(len(e.URI) <= 4000, p+".uri", "must be at most 4000 characters")
}
