package xapi

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"cyberskills/models"
)

// The validation here is the LRS's duty of rejecting malformed statements, as far as the
// service relies on them: structure, the identifiers it reads (actor, verb, object,
// ids) and the formats it interprets (UUIDs, IRIs, timestamps, mailboxes). Nested
// properties it does not read are checked only for the ban on nulls.

// statementProperties are the properties a statement may have; a SubStatement may not
// have the ones the LRS sets.
var statementProperties = map[string]bool{
	"id": true, "actor": true, "verb": true, "object": true, "result": true, "context": true,
	"timestamp": true, "stored": true, "authority": true, "version": true, "attachments": true,
}

var sha1Hex = regexp.MustCompile(`^[0-9a-f]{40}$`)

// checkStatement validates a statement (top) or a SubStatement into v under prefix.
func checkStatement(m map[string]any, prefix string, top bool, v *models.Validator) {
	if top {
		checkNulls(m, prefix, v)
	}
	for k := range m {
		switch {
		case k == "objectType" && !top:
		case !statementProperties[k]:
			v.Add(join(prefix, k), "is not a property of an xAPI statement")
		case !top && (k == "id" || k == "stored" || k == "authority" || k == "version"):
			v.Add(join(prefix, k), "is not allowed in a SubStatement")
		}
	}
	if id, ok := m["id"]; ok {
		s, isStr := id.(string)
		v.Check(isStr && ValidUUID(s), join(prefix, "id"), "must be a UUID in standard string form")
	}
	if a, ok := object(m, "actor", prefix, true, v); ok {
		checkAgent(a, join(prefix, "actor"), "Agent", v)
	}
	if verb, ok := object(m, "verb", prefix, true, v); ok {
		checkIRI(verb, "id", join(prefix, "verb"), true, v)
		if d, ok := verb["display"]; ok {
			checkLanguageMap(d, join(prefix, "verb.display"), v)
		}
	}
	if obj, ok := object(m, "object", prefix, true, v); ok {
		checkObject(obj, join(prefix, "object"), top, v)
	}
	if res, ok := object(m, "result", prefix, false, v); ok {
		checkResult(res, join(prefix, "result"), v)
	}
	if ctx, ok := object(m, "context", prefix, false, v); ok {
		if r, ok := ctx["registration"]; ok {
			s, isStr := r.(string)
			v.Check(isStr && ValidUUID(s), join(prefix, "context.registration"), "must be a UUID in standard string form")
		}
	}
	for _, k := range []string{"timestamp", "stored"} {
		if t, ok := m[k]; ok {
			s, isStr := t.(string)
			at, err := ParseTime(s)
			if !isStr || err != nil {
				v.Add(join(prefix, k), "must be an ISO 8601 (RFC 3339) timestamp such as 2015-11-18T12:17:00+00:00")
			} else if !models.InTimeRange(at) {
				v.Add(join(prefix, k), models.ErrOutOfRange.Error())
			}
		}
	}
	if ver, ok := m["version"]; ok {
		s, isStr := ver.(string)
		v.Check(isStr && xapiVersion.MatchString(s), join(prefix, "version"), "must be 1.0.x or 2.0.x")
	}
}

// object reads property k of m as a JSON object, recording a problem when it is absent
// but required, or not an object.
func object(m map[string]any, k, prefix string, required bool, v *models.Validator) (map[string]any, bool) {
	raw, present := m[k]
	if !present {
		v.Check(!required, join(prefix, k), "is required")
		return nil, false
	}
	obj, ok := raw.(map[string]any)
	v.Check(ok, join(prefix, k), "must be an object")
	return obj, ok
}

// checkAgent validates an Agent or Group (def is the objectType assumed when absent).
func checkAgent(a map[string]any, path, def string, v *models.Validator) {
	kind := objectType(a, def)
	v.Check(kind == "Agent" || kind == "Group", join(path, "objectType"), "must be Agent or Group")
	ifis := 0
	for _, k := range []string{"mbox", "mbox_sha1sum", "openid", "account"} {
		if _, ok := a[k]; ok {
			ifis++
		}
	}
	if mbox, ok := a["mbox"]; ok {
		s, _ := mbox.(string)
		addr, err := mail.ParseAddress(strings.TrimPrefix(s, "mailto:"))
		v.Check(strings.HasPrefix(s, "mailto:") && err == nil && addr.Address == s[len("mailto:"):], join(path, "mbox"), `must be a mailto IRI such as "mailto:a.patel@nhs.net"`)
	}
	if sum, ok := a["mbox_sha1sum"]; ok {
		s, _ := sum.(string)
		v.Check(sha1Hex.MatchString(s), join(path, "mbox_sha1sum"), "must be a lower-case hex SHA-1 digest")
	}
	if _, ok := a["openid"]; ok {
		checkIRI(a, "openid", path, true, v)
	}
	if acc, ok := object(a, "account", path, false, v); ok {
		checkIRI(acc, "homePage", join(path, "account"), true, v)
		name, _ := acc["name"].(string)
		v.Check(name != "", join(path, "account.name"), "is required: the person's id on that system")
	}
	switch {
	case kind == "Agent":
		v.Check(ifis == 1, path, "must be identified by exactly one of mbox, mbox_sha1sum, openid or account")
	case kind == "Group":
		v.Check(ifis <= 1, path, "must have at most one of mbox, mbox_sha1sum, openid or account")
		members, isList := a["member"].([]any)
		_, present := a["member"]
		v.Check(ifis == 1 || (isList && len(members) > 0), join(path, "member"), "is required for an anonymous Group")
		v.Check(!present || isList, join(path, "member"), "must be an array of Agents")
		for i, m := range members {
			mp := join(path, "member["+strconv.Itoa(i)+"]")
			if agent, ok := m.(map[string]any); ok {
				checkAgent(agent, mp, "Agent", v)
				v.Check(objectType(agent, "Agent") == "Agent", join(mp, "objectType"), "must be Agent")
			} else {
				v.Add(mp, "must be an Agent object")
			}
		}
	}
}

// checkObject validates the object of a statement by its objectType.
func checkObject(obj map[string]any, path string, top bool, v *models.Validator) {
	switch kind := objectType(obj, "Activity"); kind {
	case "Activity":
		checkIRI(obj, "id", path, true, v)
		if d, ok := obj["definition"]; ok {
			_, isObj := d.(map[string]any)
			v.Check(isObj, join(path, "definition"), "must be an object")
		}
	case "Agent", "Group":
		checkAgent(obj, path, kind, v)
	case "StatementRef":
		id, _ := obj["id"].(string)
		v.Check(ValidUUID(id), join(path, "id"), "must be a UUID in standard string form")
	case "SubStatement":
		if top {
			checkStatement(obj, path, false, v)
		} else {
			v.Add(join(path, "objectType"), "a SubStatement cannot contain another SubStatement")
		}
	default:
		v.Add(join(path, "objectType"), "must be Activity, Agent, Group, StatementRef or SubStatement")
	}
}

// checkResult validates the result properties with a fixed type.
func checkResult(res map[string]any, path string, v *models.Validator) {
	for _, k := range []string{"success", "completion"} {
		if b, ok := res[k]; ok {
			_, isBool := b.(bool)
			v.Check(isBool, join(path, k), "must be true or false")
		}
	}
	for _, k := range []string{"response", "duration"} {
		if s, ok := res[k]; ok {
			_, isStr := s.(string)
			v.Check(isStr, join(path, k), "must be a string")
		}
	}
	score, ok := object(res, "score", path, false, v)
	if !ok {
		return
	}
	for _, k := range []string{"scaled", "raw", "min", "max"} {
		if n, present := score[k]; present {
			num, isNum := n.(json.Number)
			f, err := num.Float64()
			switch {
			case !isNum || err != nil:
				v.Add(join(path, "score."+k), "must be a number")
			case k == "scaled" && (f < -1 || f > 1):
				v.Add(join(path, "score."+k), "must be a number from -1 to 1")
			}
		}
	}
}

// checkIRI requires property k of m, when present or required, to be an absolute IRI.
func checkIRI(m map[string]any, k, path string, required bool, v *models.Validator) {
	raw, present := m[k]
	if !present {
		v.Check(!required, join(path, k), "is required")
		return
	}
	s, _ := raw.(string)
	v.Check(models.ValidIRI(s), join(path, k), "must be an absolute IRI")
}

// checkLanguageMap requires an object of strings.
func checkLanguageMap(raw any, path string, v *models.Validator) {
	m, ok := raw.(map[string]any)
	if !ok {
		v.Add(path, "must be a language map")
		return
	}
	for tag, s := range m {
		_, isStr := s.(string)
		v.Check(isStr && tag != "", path, "must map language tags to strings")
	}
}

// checkNulls refuses null anywhere but inside extensions, as the specification requires.
func checkNulls(raw any, path string, v *models.Validator) {
	switch x := raw.(type) {
	case nil:
		v.Add(path, "must not be null")
	case map[string]any:
		for k, e := range x {
			if k == "extensions" {
				continue
			}
			checkNulls(e, join(path, k), v)
		}
	case []any:
		for i, e := range x {
			checkNulls(e, path+"["+strconv.Itoa(i)+"]", v)
		}
	}
}
