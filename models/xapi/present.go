package xapi

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Stored is a statement as the store keeps it, with what the LRS assigned on receipt.
type Stored struct {
	ID        string
	Statement json.RawMessage // as received (jsonb's serialisation of it)
	Stored    time.Time
	Version   string // as received, or assigned (StoredVersion)
	Provider  string // whose credentials stored it: the authority
}

// AuthorityHomePage is the home page of the accounts that name providers as the
// authority of their statements.
const AuthorityHomePage = "https://cyberskills.dev/providers"

// Authority is the Agent the LRS records as the authority of a provider's statements:
// the LRS overwrites any authority a statement brings (Data 2.4.9), because only the
// credentials say who asserted it.
func Authority(provider string) map[string]any {
	return map[string]any{"objectType": "Agent", "name": provider,
		"account": map[string]any{"homePage": AuthorityHomePage, "name": provider}}
}

// StoredTime is how the LRS writes stored, and timestamp when it sets it: UTC, to the
// millisecond.
func StoredTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Present returns a stored statement as GET statements answers it: with the properties
// the LRS sets (id, stored, authority, version, and timestamp when it had none) and in
// format f. Canonical format takes the LRS's definitions of Activities (by id) and the
// caller's languages (from Accept-Language, preferred first).
func Present(s Stored, f Format, languages []string, definitions map[string]json.RawMessage) (json.RawMessage, error) {
	var m map[string]any
	if err := decodeNumbers(s.Statement, &m); err != nil {
		return nil, err
	}
	m["id"] = s.ID
	m["stored"] = StoredTime(s.Stored)
	m["version"] = s.Version
	m["authority"] = Authority(s.Provider)
	if _, ok := m["timestamp"]; !ok {
		m["timestamp"] = m["stored"]
	}
	listContextActivities(m)
	switch f {
	case FormatIDs:
		idsStatement(m)
	case FormatCanonical:
		canonicalStatement(m, languages, definitions)
	}
	return json.Marshal(m)
}

// listContextActivities makes every kind of context activities a list, in the statement
// and its SubStatement: version 1.0.0 allowed one Activity, and the LRS returns lists.
func listContextActivities(m map[string]any) {
	if ctx, ok := m["context"].(map[string]any); ok {
		eachContextActivity(ctx, func(a map[string]any) map[string]any { return a })
	}
	if obj, ok := m["object"].(map[string]any); ok && objectType(obj, "") == "SubStatement" {
		listContextActivities(obj)
	}
}

// idsStatement reduces Agents, Groups, Activities and Verbs to what identifies them.
func idsStatement(m map[string]any) {
	for _, k := range []string{"actor", "authority"} {
		if a, ok := m[k].(map[string]any); ok {
			m[k] = idsAgent(a)
		}
	}
	if v, ok := m["verb"].(map[string]any); ok {
		m["verb"] = map[string]any{"id": v["id"]}
	}
	if obj, ok := m["object"].(map[string]any); ok {
		switch objectType(obj, "Activity") {
		case "Activity":
			m["object"] = idsActivity(obj)
		case "Agent", "Group":
			m["object"] = idsAgent(obj)
		case "SubStatement":
			idsStatement(obj)
		}
	}
	ctx, ok := m["context"].(map[string]any)
	if !ok {
		return
	}
	for _, k := range []string{"instructor", "team"} {
		if a, ok := ctx[k].(map[string]any); ok {
			ctx[k] = idsAgent(a)
		}
	}
	eachContextActivity(ctx, idsActivity)
	for list, key := range map[string]string{"contextAgents": "agent", "contextGroups": "group"} {
		items, _ := ctx[list].([]any)
		for _, x := range items {
			if item, ok := x.(map[string]any); ok {
				if a, ok := item[key].(map[string]any); ok {
					item[key] = idsAgent(a)
				}
			}
		}
	}
}

// idsAgent keeps an Agent's or identified Group's identifier, an anonymous Group's members'.
func idsAgent(a map[string]any) map[string]any {
	out := map[string]any{}
	if t, ok := a["objectType"]; ok {
		out["objectType"] = t
	}
	for _, k := range ifiProperties {
		if v, ok := a[k]; ok {
			out[k] = v
			return out
		}
	}
	if members, ok := a["member"].([]any); ok {
		ids := make([]any, len(members))
		for i, x := range members {
			if m, ok := x.(map[string]any); ok {
				ids[i] = idsAgent(m)
			}
		}
		out["member"] = ids
	}
	return out
}

func idsActivity(a map[string]any) map[string]any { return map[string]any{"id": a["id"]} }

// eachContextActivity replaces each context Activity by f's version of it, making every
// kind a list.
func eachContextActivity(ctx map[string]any, f func(map[string]any) map[string]any) {
	ca, ok := ctx["contextActivities"].(map[string]any)
	if !ok {
		return
	}
	for k, x := range ca {
		list, isList := x.([]any)
		if !isList {
			list = []any{x}
		}
		out := make([]any, len(list))
		for i, a := range list {
			if act, ok := a.(map[string]any); ok {
				out[i] = f(act)
			} else {
				out[i] = a
			}
		}
		ca[k] = out
	}
}

// canonicalStatement puts the LRS's definition of each Activity in place of the one
// received, and keeps one language in every language map of Activities and Verbs.
func canonicalStatement(m map[string]any, languages []string, definitions map[string]json.RawMessage) {
	activity := func(a map[string]any) map[string]any {
		id, _ := a["id"].(string)
		if d, ok := definitions[id]; ok {
			var def map[string]any
			if decodeNumbers(d, &def) == nil && len(def) > 0 {
				a["definition"] = def
			}
		}
		if def, ok := a["definition"].(map[string]any); ok {
			oneLanguageDefinition(def, languages)
		}
		return a
	}
	if v, ok := m["verb"].(map[string]any); ok {
		oneLanguage(v, "display", languages)
	}
	if obj, ok := m["object"].(map[string]any); ok {
		switch objectType(obj, "Activity") {
		case "Activity":
			activity(obj)
		case "SubStatement":
			canonicalStatement(obj, languages, definitions)
		}
	}
	if ctx, ok := m["context"].(map[string]any); ok {
		eachContextActivity(ctx, activity)
	}
}

func oneLanguageDefinition(def map[string]any, languages []string) {
	oneLanguage(def, "name", languages)
	oneLanguage(def, "description", languages)
	for _, list := range allComponentLists {
		components, _ := def[list].([]any)
		for _, x := range components {
			if comp, ok := x.(map[string]any); ok {
				oneLanguage(comp, "description", languages)
			}
		}
	}
}

// oneLanguage keeps, of the language map m[k], the entry the caller's languages prefer
// (RFC 2616 matching: a range matches a tag or its prefix; * matches any), or the first
// tag in order when none matches.
func oneLanguage(m map[string]any, k string, languages []string) {
	lm, ok := m[k].(map[string]any)
	if !ok || len(lm) <= 1 {
		return
	}
	tags := make([]string, 0, len(lm))
	for t := range lm {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	pick := tags[0]
	for _, want := range languages {
		if found := matchLanguage(tags, want); found != "" {
			pick = found
			break
		}
	}
	m[k] = map[string]any{pick: lm[pick]}
}

func matchLanguage(tags []string, want string) string {
	for _, t := range tags {
		lt, lw := strings.ToLower(t), strings.ToLower(want)
		if want == "*" || lt == lw || strings.HasPrefix(lt, lw+"-") {
			return t
		}
	}
	return ""
}

// AcceptLanguages reads an Accept-Language header into language ranges, most preferred
// first (ranges with q=0 are left out).
func AcceptLanguages(header string) []string {
	type ranked struct {
		tag string
		q   float64
		n   int
	}
	var rs []ranked
	for i, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		tag := strings.TrimSpace(fields[0])
		q := 1.0
		for _, p := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if tag != "" && q > 0 {
			rs = append(rs, ranked{tag, q, i})
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].q > rs[j].q })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.tag
	}
	return out
}
