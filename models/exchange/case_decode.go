package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"cyberskills/models"
)

// DecodeCASEPackage reads a CASE 1.0 or 1.1 package as authoring tools write it: a
// reference to another object as a LinkURI object or as a bare URI string (OpenSALT's
// 2017 exports), numbers as numbers or numeric strings ("sequenceNumber": "1"), an
// education level as a list or a single string, under CASE 1.1's educationLevel or the
// educationalLevel of early exports, null for an absent field. Every value is brought to
// CASE 1.1's shape, and fields it does not know are kept as they are. A value of the
// wrong kind is reported under its path in the package, such as
// "CFItems[3].sequenceNumber"; nothing is returned then.
func DecodeCASEPackage(body []byte) (CFPackage, error) {
	var p CFPackage
	var top map[string]json.RawMessage
	if err := strictJSON(body, &top); err != nil || top == nil {
		return p, models.Invalid(models.FieldError{Field: "body", Message: "must be a CASE CFPackage: a JSON object with a CFDocument"})
	}
	var v models.Validator
	doc, ok := decodeObject(&v, "CFDocument", top["CFDocument"])
	if !ok || doc == nil {
		v.Add("CFDocument", "is required: an object describing the framework")
	} else {
		p.CFDocument.Extra = fromRecord(doc, &p.CFDocument)
	}
	for _, r := range decodeObjects(&v, "CFItems", top["CFItems"]) {
		var it CFItem
		it.Extra = fromRecord(r, &it)
		p.CFItems = append(p.CFItems, it)
	}
	for _, r := range decodeObjects(&v, "CFAssociations", top["CFAssociations"]) {
		var a CFAssociation
		a.Extra = fromRecord(r, &a)
		p.CFAssociations = append(p.CFAssociations, a)
	}
	if defs, ok := decodeObject(&v, "CFDefinitions", top["CFDefinitions"]); ok && defs != nil {
		p.CFDefinitions = &CFDefinitions{}
		p.CFDefinitions.Extra = fromRecord(defs, p.CFDefinitions)
	}
	for _, r := range decodeObjects(&v, "CFRubrics", top["CFRubrics"]) {
		var rub CFRubric
		fromRecord(r, &rub)
		p.CFRubrics = append(p.CFRubrics, rub)
	}
	for k, raw := range top {
		switch k {
		case "CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics":
			continue
		}
		var x any
		if json.Unmarshal(raw, &x) == nil && x != nil {
			if p.Extra == nil {
				p.Extra = models.CaseRecord{}
			}
			p.Extra[k] = x
		}
	}
	if v.Len() > 0 {
		return CFPackage{}, invalidImport("CASE", v.Fields())
	}
	return p, nil
}

// strictJSON decodes one JSON value and nothing after it, keeping numbers exact.
func strictJSON(b []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more after the JSON value")
	}
	return nil
}

// decodeObjects reads an array of objects (absent and null are none).
func decodeObjects(v *models.Validator, path string, raw json.RawMessage) []models.CaseRecord {
	if isNull(raw) {
		return nil
	}
	var items []json.RawMessage
	if err := strictJSON(raw, &items); err != nil {
		v.Add(path, "must be a list of objects")
		return nil
	}
	var out []models.CaseRecord
	for i, it := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		r, ok := decodeObject(v, p, it)
		if ok && r == nil {
			v.Add(p, "must be an object")
		}
		if r == nil {
			r = models.CaseRecord{}
		}
		out = append(out, r)
	}
	return out
}

// decodeObject reads one object, bringing its known fields to CASE 1.1's shapes; ok is
// false when it is not an object (absent and null give a nil record).
func decodeObject(v *models.Validator, path string, raw json.RawMessage) (models.CaseRecord, bool) {
	if isNull(raw) {
		return nil, true
	}
	var fields map[string]json.RawMessage
	if err := strictJSON(raw, &fields); err != nil {
		v.Add(path, "must be an object")
		return nil, false
	}
	r := models.CaseRecord{}
	for k, val := range fields {
		if isNull(val) {
			continue
		}
		key := k
		if k == "educationalLevel" {
			key = "educationLevel" // the name of CASE drafts and OpenSALT's 2017 exports
		}
		x, ok := canonicalField(v, path, key, val)
		if ok && x != nil {
			r[key] = x
		}
	}
	return r, true
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

// The shapes of CASE fields that tools write in more than one way.
var (
	caseLinkFields = set("CFDocumentURI", "CFItemTypeURI", "licenseURI", "conceptKeywordsURI", "originNodeURI",
		"destinationNodeURI", "CFAssociationGroupingURI", "CFPackageURI", "CFItemURI", "CFRubricURI")
	caseLinkListFields = set("subjectURI")
	caseListFields     = set("educationLevel", "conceptKeywords", "subject")
	caseIntFields      = set("sequenceNumber", "position")
	caseNumberFields   = set("score", "weight")
	caseObjectFields   = set("extensions")
	caseTextFields     = set("identifier", "uri", "fullStatement", "alternativeLabel", "CFItemType", "humanCodingScheme",
		"listEnumeration", "abbreviatedStatement", "notes", "language", "statusStartDate", "statusEndDate",
		"lastChangeDateTime", "creator", "title", "officialSourceURL", "publisher", "description", "version",
		"adoptionStatus", "caseVersion", "frameworkType", "associationType", "typeCode", "hierarchyCode",
		"licenseText", "quality", "feedback", "category", "rubricId", "rubricCriterionId", "keywords")
	caseNestedFields = map[string]bool{"CFRubricCriteria": true, "CFRubricCriterionLevels": true, "CFItemTypes": true,
		"CFLicenses": true, "CFConcepts": true, "CFSubjects": true, "CFAssociationGroupings": true}
)

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// canonicalField brings one field's value to its CASE 1.1 shape.
func canonicalField(v *models.Validator, path, key string, raw json.RawMessage) (any, bool) {
	at := path + "." + key
	var x any
	if err := strictJSON(raw, &x); err != nil {
		v.Add(at, "is not valid JSON")
		return nil, false
	}
	switch {
	case caseTextFields[key]:
		s, ok := text(x)
		v.Check(ok, at, "must be text")
		if s == "" {
			return nil, ok
		}
		return s, ok
	case caseLinkFields[key]:
		l, ok := link(x)
		v.Check(ok, at, "must be a LinkURI object (title, identifier, uri) or a URI")
		if len(l) == 0 {
			return nil, ok
		}
		return l, ok
	case caseLinkListFields[key]:
		return canonicalList(v, at, x, "must be a LinkURI object (title, identifier, uri) or a URI", func(e any) (any, bool) {
			l, ok := link(e)
			if len(l) == 0 {
				return nil, ok
			}
			return l, ok
		}), true
	case caseListFields[key]:
		return canonicalList(v, at, x, "must be text", func(e any) (any, bool) {
			s, ok := text(e)
			if s == "" {
				return nil, ok
			}
			return s, ok
		}), true
	case caseIntFields[key]:
		n, ok := number(x)
		ok = ok && n == math.Trunc(n) && math.Abs(n) <= math.MaxInt32
		v.Check(ok, at, "must be a whole number (or a numeric string)")
		return n, ok
	case caseNumberFields[key]:
		n, ok := number(x)
		v.Check(ok, at, "must be a number (or a numeric string)")
		return n, ok
	case caseObjectFields[key]:
		_, ok := x.(map[string]any)
		v.Check(ok, at, "must be an object")
		return plainJSON(x), ok
	case caseNestedFields[key]:
		var out []any
		for _, r := range decodeObjects(v, at, raw) {
			out = append(out, map[string]any(r))
		}
		if len(out) == 0 {
			return nil, true
		}
		return out, true
	}
	return plainJSON(x), true // a field CASE does not define: kept as it is
}

// canonicalList reads a list, or one value as a list of one, each element by one; nil
// when nothing is left.
func canonicalList(v *models.Validator, at string, x any, rule string, one func(any) (any, bool)) any {
	var out []any
	for i, e := range listOf(x) {
		c, ok := one(e)
		v.Check(ok, fmt.Sprintf("%s[%d]", at, i), rule)
		if c != nil {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// text reads a string, or a number written where text belongs.
func text(x any) (string, bool) {
	switch t := x.(type) {
	case string:
		return strings.TrimSpace(t), true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// number reads a number, or a string holding one.
func number(x any) (float64, bool) {
	var s string
	switch t := x.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
	default:
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil && !math.IsInf(n, 0) && !math.IsNaN(n)
}

// link reads a LinkURI object, or a bare URI, whose last segment is then the identifier
// (OpenSALT's URIs end in the object's identifier; so do urn:uuid: URNs).
func link(x any) (map[string]any, bool) {
	switch t := x.(type) {
	case string:
		uri := strings.TrimSpace(t)
		if uri == "" {
			return nil, true
		}
		return map[string]any{"uri": uri, "identifier": lastSegment(uri)}, true
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if e == nil {
				continue
			}
			switch k {
			case "title", "identifier", "uri":
				s, ok := text(e)
				if !ok {
					return nil, false
				}
				if s != "" {
					out[k] = s
				}
			default:
				out[k] = plainJSON(e)
			}
		}
		return out, true
	}
	return nil, false
}

func lastSegment(uri string) string {
	s := strings.TrimRight(uri, "/")
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// listOf reads a list, or a single value as a list of one.
func listOf(x any) []any {
	if l, ok := x.([]any); ok {
		return l
	}
	return []any{x}
}

// plainJSON turns decoded JSON with exact numbers into the values encoding/json decodes
// into any (numbers as float64), the form records are compared and stored in.
func plainJSON(x any) any {
	switch t := x.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = plainJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plainJSON(e)
		}
		return out
	}
	return x
}
