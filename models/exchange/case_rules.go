package exchange

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"

	"cyberskills/models"
)

// The rules below read the framework's own fields from a CASE record. The import applies
// them to build the framework; the export applies them again to the record it keeps, to
// tell whether the framework still says what the record says (then the record is written
// as it was) or has been changed since (then the changed fields are written anew).

// caseStatementsOf picks an item's name and description: the short statement names it
// when there is one, and the full statement then describes it unless notes do.
func caseStatementsOf(r models.CaseRecord) (name, description string) {
	full, short, notes := r.Str("fullStatement"), r.Str("abbreviatedStatement"), r.Str("notes")
	if short == "" {
		return full, notes
	}
	if notes == "" {
		notes = full
	}
	return short, notes
}

// caseDocumentText reads the framework's name, description and publisher from its
// CFDocument. CASE requires a creator, so an export without a publisher names the
// framework's title as its creator: that is no publisher.
func caseDocumentText(r models.CaseRecord) (name, description, publisher string) {
	name, description, publisher = r.Str("title"), r.Str("description"), r.Str("publisher")
	if creator := r.Str("creator"); publisher == "" && creator != name {
		publisher = creator
	}
	return name, description, publisher
}

// caseLicenceOf is the framework's licence: the title of the CFLicense the document
// links to, or the link's own title.
func caseLicenceOf(doc, defs models.CaseRecord) string {
	l, ok := doc["licenseURI"].(map[string]any)
	if !ok {
		return ""
	}
	id, _ := l["identifier"].(string)
	lics, _ := defs["CFLicenses"].([]any)
	for _, x := range lics {
		if lic, ok := x.(map[string]any); ok && lic["identifier"] == id && lic["title"] != nil {
			if t, _ := lic["title"].(string); t != "" {
				return t
			}
		}
	}
	t, _ := l["title"].(string)
	return t
}

// codeCandidates are the codes an item may take, in order of preference: its
// humanCodingScheme, made into a code when it is not one (spaces and other characters
// become '-'), its identifier, and a code derived from the identifier. An item takes the
// first that no other item has taken, so that codes are unique however the package
// repeats or spells them; the record keeps what the package wrote.
func codeCandidates(r models.CaseRecord) []string {
	var out []string
	hcs, id := r.Str("humanCodingScheme"), r.Str("identifier")
	if models.ValidCode(hcs) {
		out = append(out, hcs)
	} else if s := codeOf(hcs); s != "" {
		out = append(out, s)
	}
	if models.ValidCode(id) {
		out = append(out, id)
	}
	sum := sha1.Sum([]byte(id))
	return append(out, "item-"+hex.EncodeToString(sum[:8]))
}

// codeFrom reports whether code is one the import gives the item the record describes.
func codeFrom(r models.CaseRecord, code string) bool {
	for _, c := range codeCandidates(r) {
		if c == code {
			return true
		}
	}
	return false
}

var notCodeRun = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// codeOf makes a code of a humanCodingScheme that is not one, or "".
func codeOf(s string) string {
	c := strings.Trim(notCodeRun.ReplaceAllString(s, "-"), "-._")
	if len(c) > 64 {
		c = strings.TrimRight(c[:64], "-._")
	}
	if !models.ValidCode(c) {
		return ""
	}
	return c
}

// caseItemType is an item's type: CFItemType, else the title of CFItemTypeURI.
func caseItemType(r models.CaseRecord) string {
	if t := r.Str("CFItemType"); t != "" {
		return t
	}
	if l, ok := r["CFItemTypeURI"].(map[string]any); ok {
		t, _ := l["title"].(string)
		return t
	}
	return ""
}

// isSkillAreaType reports whether a record types its item as a skill area, which makes
// it an area even without children.
func isSkillAreaType(r models.CaseRecord) bool {
	return strings.EqualFold(strings.TrimSpace(caseItemType(r)), CASETypeSkillArea)
}

// ourExtension reads our extension from a record's extensions; present says whether
// there is one.
func ourExtension(r models.CaseRecord) (e CaseExtension, present bool) {
	ext, ok := r["extensions"].(map[string]any)
	if !ok || ext["cyberskills"] == nil {
		return e, false
	}
	b, _ := json.Marshal(ext["cyberskills"])
	_ = json.Unmarshal(b, &e)
	return e, true
}

// withOurExtension is an extensions value with ours set to e (left out when e is empty)
// and other parties' kept.
func withOurExtension(existing any, e CaseExtension) any {
	out := map[string]any{}
	if m, ok := existing.(map[string]any); ok {
		for k, v := range m {
			out[k] = v
		}
	}
	delete(out, "cyberskills")
	if ours := record(e); len(ours) > 0 {
		out["cyberskills"] = map[string]any(ours)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// setOurExtension sets our extension of a record to e, keeping other parties'.
func setOurExtension(r models.CaseRecord, e CaseExtension) {
	if ext := withOurExtension(r["extensions"], e); ext != nil {
		r["extensions"] = ext
	} else {
		delete(r, "extensions")
	}
}

// withoutOurExtension is a record as the framework keeps it: without our extension, which
// the framework's own fields carry.
func withoutOurExtension(r models.CaseRecord) models.CaseRecord {
	out := r.Clone()
	setOurExtension(out, CaseExtension{})
	return out
}
