package models

import (
	"encoding/json"
	"maps"
)

// CaseRecord is one object of a 1EdTech CASE package (a CFItem, a CFAssociation, the
// CFDocument or the CFDefinitions) as its author wrote it: CASE's own field names, with
// values in CASE 1.1's shapes (a URI reference as a LinkURI object, a sequence number as
// a number, an education level as a list). Fields CASE does not define are kept as given.
type CaseRecord map[string]any

// CaseSource keeps what a CASE package said about an area or a skill beyond the
// framework's own fields (its identifier and URI, item type, education levels, list
// enumeration, statements as written, the associations that place it in the tree), so
// that an export gives the package back as it was authored. It is empty for what this
// service wrote itself: exports then derive every field from the framework.
type CaseSource struct {
	Item CaseRecord `json:"item,omitempty" swaggertype:"object"`
	// ChildOf holds the item's isChildOf associations, one per place in the tree, by the
	// code of the area it places the item under ("" for the top of the tree).
	ChildOf map[string]CaseRecord `json:"child_of,omitempty" swaggertype:"object"`
	// ReplacedBy holds the replacedBy association of a superseded skill.
	ReplacedBy CaseRecord `json:"replaced_by,omitempty" swaggertype:"object"`
}

// CaseDocumentSource keeps what a CASE package said about the framework as a whole:
// its CFDocument (identifier, URI, adoption status, version, language, subject...), its
// CFDefinitions (item types, licences, concepts, subjects, association groupings) and
// any package-level fields.
type CaseDocumentSource struct {
	Document    CaseRecord `json:"document,omitempty" swaggertype:"object"`
	Definitions CaseRecord `json:"definitions,omitempty" swaggertype:"object"`
	Package     CaseRecord `json:"package,omitempty" swaggertype:"object"`
}

// MaxCaseRecordBytes bounds one record's encoding, so that one field cannot exhaust the
// service.
const MaxCaseRecordBytes = 64 << 10

// Clone returns a deep copy of r.
func (r CaseRecord) Clone() CaseRecord {
	if r == nil {
		return nil
	}
	return cloneValue(map[string]any(r)).(map[string]any)
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	case CaseRecord:
		return CaseRecord(cloneValue(map[string]any(x)).(map[string]any))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return append([]string(nil), x...)
	}
	return v
}

// Str is the text of a field, or "" when it is absent or not text.
func (r CaseRecord) Str(key string) string {
	s, _ := r[key].(string)
	return s
}

// Link is the identifier of a LinkURI field, or "" when there is none.
func (r CaseRecord) Link(key string) string {
	switch l := r[key].(type) {
	case map[string]any:
		s, _ := l["identifier"].(string)
		return s
	case CaseRecord:
		return l.Str("identifier")
	}
	return ""
}

// Without returns a copy of r without the given keys.
func (r CaseRecord) Without(keys ...string) CaseRecord {
	out := maps.Clone(r)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// SameRecord reports whether two records say the same, ignoring the given keys.
func SameRecord(a, b CaseRecord, ignore ...string) bool {
	ja, errA := json.Marshal(a.Without(ignore...))
	jb, errB := json.Marshal(b.Without(ignore...))
	return errA == nil && errB == nil && string(ja) == string(jb)
}

func (c *CaseSource) clone() *CaseSource {
	if c == nil {
		return nil
	}
	out := &CaseSource{Item: c.Item.Clone(), ReplacedBy: c.ReplacedBy.Clone()}
	for p, r := range c.ChildOf {
		if out.ChildOf == nil {
			out.ChildOf = map[string]CaseRecord{}
		}
		out.ChildOf[p] = r.Clone()
	}
	return out
}

func (c *CaseDocumentSource) clone() *CaseDocumentSource {
	if c == nil {
		return nil
	}
	return &CaseDocumentSource{Document: c.Document.Clone(), Definitions: c.Definitions.Clone(), Package: c.Package.Clone()}
}

// ReplacedByRecord is the replacedBy record kept, or nil.
func (c *CaseSource) ReplacedByRecord() CaseRecord {
	if c == nil {
		return nil
	}
	return c.ReplacedBy
}

// empty reports whether c keeps nothing.
func (c *CaseSource) empty() bool {
	return c == nil || (len(c.Item) == 0 && len(c.ChildOf) == 0 && len(c.ReplacedBy) == 0)
}

func (c *CaseDocumentSource) empty() bool {
	return c == nil || (len(c.Document) == 0 && len(c.Definitions) == 0 && len(c.Package) == 0)
}

// checkCaseSize reports a record whose encoding is over MaxCaseRecordBytes.
func checkCaseSize(v *Validator, field string, c any) {
	if c == nil {
		return
	}
	b, err := json.Marshal(c)
	v.Check(err == nil && len(b) <= MaxCaseRecordBytes, field, "must encode to at most 64 KiB of JSON")
}
