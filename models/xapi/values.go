package xapi

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"cyberskills/models"
)

// The formats of the values the specification types (Data 4): language tags and maps,
// ISO 8601 durations, mailboxes and their digests, IRIs, UUIDs and extensions. The LRS
// must reject a value that does not follow its format, the empty string included.

// langTag is RFC 5646's Language-Tag: the sequence of subtags and their lengths, which the
// LRS must at least check, and the irregular grandfathered tags.
var langTag = regexp.MustCompile(`^(?:` +
	`(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})` + // language, extlang
	`(?:-[A-Za-z]{4})?` + // script
	`(?:-(?:[A-Za-z]{2}|[0-9]{3}))?` + // region
	`(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*` + // variants
	`(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*` + // extensions
	`(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?` + // private use
	`|[Xx](?:-[A-Za-z0-9]{1,8})+` +
	`|(?i:en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE)` +
	`)$`)

// ValidLanguageTag reports whether s is a well-formed RFC 5646 language tag.
func ValidLanguageTag(s string) bool { return langTag.MatchString(s) }

// duration is an ISO 8601 duration: PnYnMnDTnHnMnS with at least one part (the last may
// have a fraction), or PnW.
var duration = regexp.MustCompile(`^P(?:[0-9]+(?:[.,][0-9]+)?Y)?(?:[0-9]+(?:[.,][0-9]+)?M)?(?:[0-9]+(?:[.,][0-9]+)?D)?` +
	`(?:T(?:[0-9]+(?:[.,][0-9]+)?H)?(?:[0-9]+(?:[.,][0-9]+)?M)?(?:[0-9]+(?:[.,][0-9]+)?S)?)?$|^P[0-9]+W$`)

// ValidDuration reports whether s is an ISO 8601 duration such as PT1H30M.
func ValidDuration(s string) bool {
	return duration.MatchString(s) && s != "P" && !strings.HasSuffix(s, "T")
}

var sha1Hex = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// validMbox reports whether s is a mailto IRI naming one address.
func validMbox(s string) bool {
	if !strings.HasPrefix(s, "mailto:") {
		return false
	}
	addr, err := mail.ParseAddress(s[len("mailto:"):])
	return err == nil && addr.Address == s[len("mailto:"):]
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidUUID reports whether s is a UUID in standard string form.
func ValidUUID(s string) bool { return uuidPattern.MatchString(s) }

// check is a Validator with the vocabulary of statement checking: each method checks one
// property of an object, present or required, and records what is wrong under its path.
type check struct{ v *models.Validator }

func (c check) add(path, message string) { c.v.Add(path, message) }

// only refuses the properties of m not in allowed (the specification's names, case
// included).
func (c check) only(m map[string]any, path string, allowed ...string) {
	for k := range m {
		found := false
		for _, a := range allowed {
			found = found || k == a
		}
		if !found {
			c.add(join(path, k), "is not a property here")
		}
	}
}

// present reports whether property k of m is there, recording that it is required when
// it is not and required is set.
func (c check) present(m map[string]any, k, path string, required bool) bool {
	_, ok := m[k]
	if !ok && required {
		c.add(join(path, k), "is required")
	}
	return ok
}

// object reads property k of m as a JSON object.
func (c check) object(m map[string]any, k, path string, required bool) (map[string]any, bool) {
	if !c.present(m, k, path, required) {
		return nil, false
	}
	obj, ok := m[k].(map[string]any)
	if !ok {
		c.add(join(path, k), "must be an object")
	}
	return obj, ok
}

// list reads property k of m as a JSON array.
func (c check) list(m map[string]any, k, path string, required bool) ([]any, bool) {
	if !c.present(m, k, path, required) {
		return nil, false
	}
	l, ok := m[k].([]any)
	if !ok {
		c.add(join(path, k), "must be an array")
	}
	return l, ok
}

// str reads property k of m as a string; the empty string is refused when nonEmpty.
func (c check) str(m map[string]any, k, path string, required, nonEmpty bool) (string, bool) {
	if !c.present(m, k, path, required) {
		return "", false
	}
	s, ok := m[k].(string)
	switch {
	case !ok:
		c.add(join(path, k), "must be a string")
	case nonEmpty && s == "":
		c.add(join(path, k), "must not be empty")
		ok = false
	}
	return s, ok
}

// format reads property k of m as a string that valid accepts.
func (c check) format(m map[string]any, k, path string, required bool, valid func(string) bool, what string) (string, bool) {
	if !c.present(m, k, path, required) {
		return "", false
	}
	s, ok := m[k].(string)
	if !ok || !valid(s) {
		c.add(join(path, k), "must be "+what)
		return s, false
	}
	return s, true
}

func (c check) iri(m map[string]any, k, path string, required bool) (string, bool) {
	return c.format(m, k, path, required, models.ValidIRI, "an absolute IRI")
}

func (c check) uuid(m map[string]any, k, path string, required bool) (string, bool) {
	return c.format(m, k, path, required, ValidUUID, "a UUID in standard string form")
}

func (c check) boolean(m map[string]any, k, path string) {
	if c.present(m, k, path, false) {
		if _, ok := m[k].(bool); !ok {
			c.add(join(path, k), "must be true or false")
		}
	}
}

// number reads property k of m as a JSON number (decoded with UseNumber).
func (c check) number(m map[string]any, k, path string) (float64, bool) {
	if !c.present(m, k, path, false) {
		return 0, false
	}
	n, ok := m[k].(json.Number)
	f, err := n.Float64()
	if !ok || err != nil {
		c.add(join(path, k), "must be a number")
		return 0, false
	}
	return f, true
}

// integer reads property k of m as a non-negative whole number.
func (c check) integer(m map[string]any, k, path string, required bool) {
	if !c.present(m, k, path, required) {
		return
	}
	n, ok := m[k].(json.Number)
	if _, err := n.Int64(); !ok || err != nil || strings.HasPrefix(string(n), "-") {
		c.add(join(path, k), "must be a whole number, 0 or more")
	}
}

// languageMap checks property k of m: an object mapping RFC 5646 tags to strings.
func (c check) languageMap(m map[string]any, k, path string, required bool) {
	lm, ok := c.object(m, k, path, required)
	if !ok {
		return
	}
	for tag, s := range lm {
		if !ValidLanguageTag(tag) {
			c.add(join(join(path, k), tag), "is not an RFC 5646 language tag")
		}
		if _, isStr := s.(string); !isStr {
			c.add(join(join(path, k), tag), "must be a string")
		}
	}
}

// extensions checks property k of m: an object whose keys are IRIs (values are free,
// null included).
func (c check) extensions(m map[string]any, k, path string) {
	ext, ok := c.object(m, k, path, false)
	if !ok {
		return
	}
	for key := range ext {
		if !models.ValidIRI(key) {
			c.add(join(join(path, k), key), "an extension's key must be an absolute IRI")
		}
	}
}

// eachObject calls f with each element of list that is an object, and its path
// (path[i]); an element that is not is refused as not what it should be.
func (c check) eachObject(list []any, path, what string, f func(m map[string]any, path string)) {
	for i, x := range list {
		p := path + "[" + strconv.Itoa(i) + "]"
		if m, ok := x.(map[string]any); ok {
			f(m, p)
		} else {
			c.add(p, "must be "+what)
		}
	}
}

// objectType reads the objectType of m, def when it has none ("" when it is not a
// string, which no check accepts).
func objectType(m map[string]any, def string) string {
	t, present := m["objectType"]
	if !present {
		return def
	}
	s, _ := t.(string)
	return s
}

// join names property name under path (see models.FieldName).
func join(path, name string) string {
	name = models.FieldName(name)
	if path == "" {
		return name
	}
	return path + "." + name
}

// sortedSet lists a set's members in order.
func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
