package exchange

import (
	"fmt"

	"cyberskills/models"
)

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
			if kept := keptLinks(r, origin, dest, w.derived(key), w.derived(parentKey(parent))); !derivedAnyway(kept, want, volatile) {
				if src().ChildOf == nil {
					src().ChildOf = map[string]models.CaseRecord{}
				}
				src().ChildOf[parent] = kept
			}
		}
	}
	for k, r := range in.replaceRec {
		s := in.doc.Skills[in.skillOf[k]]
		key, src := in.itemSource(k)
		want := w.replacedBy(s)
		if kept := keptLinks(r, w.links[key], want.DestinationNodeURI, w.derived(key), w.derived(skillKey(s.SupersededBy))); !derivedAnyway(kept, want, volatile) {
			src().ReplacedBy = kept
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

// derivedAnyway reports whether kept, a tree or supersession association as keptLinks
// leaves it, says nothing the export would not write anyway. An end that keptLinks drops
// is written from its item, so an association whose only difference was such an end (a
// link's URI other than the item's own) keeps nothing, as its export imports back.
func derivedAnyway(kept models.CaseRecord, want CFAssociation, volatile []string) bool {
	derived := record(want).Without("CFDocumentURI", "associationType")
	for _, end := range []string{"originNodeURI", "destinationNodeURI"} {
		if _, ok := kept[end]; !ok {
			delete(derived, end)
		}
	}
	return models.SameRecord(kept, derived, volatile...)
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
