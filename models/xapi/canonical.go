package xapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
)

// The xAPI specification (Data, 2.3.1 "Statement Immutability" and the statement
// comparison requirements) says that when a statement arrives under an id already stored,
// differences that the exceptions to immutability could have caused must be ignored, and
// all others must not. The canonical form below drops or normalises exactly those:
//
//   - properties the LRS may assign: id, authority, stored, version, and timestamp (which
//     the LRS sets when absent, so it is compared apart: see StatementContent.Matches);
//   - Activity Definitions and the Verb's display, which are not part of the statement;
//   - attachments, which are not part of the statement either;
//   - the serialisation of timestamps: the same instant in another zone, or beyond
//     millisecond precision, is the same timestamp;
//   - the order of a Group's members, an unordered list;
//   - case where it is insensitive: the domain of a mailbox, UUIDs, language tags;
//   - durations beyond 0.01 s, which comparisons must not include;
//   - property order, and objectType where it only restates the default (an Activity as
//     object, an Agent as actor), which the LRS fills in when it returns statements.
//
// Everything else, numbers included, is compared as sent.

// StatementContent is what two statements must share to be the same statement.
type StatementContent struct {
	Hash      []byte     // SHA-256 of the canonical form, timestamp left out
	Timestamp *time.Time // the statement's timestamp, nil when it had none
}

// Matches applies the comparison rules: the same canonical form, and the same
// timestamp unless one of the two has none (the LRS would have set it).
func (a StatementContent) Matches(b StatementContent) bool {
	if !bytes.Equal(a.Hash, b.Hash) {
		return false
	}
	return a.Timestamp == nil || b.Timestamp == nil || a.Timestamp.Truncate(time.Millisecond).Equal(b.Timestamp.Truncate(time.Millisecond))
}

// CanonicalStatement returns the canonical JSON of a statement (decoded with UseNumber),
// without its timestamp.
func CanonicalStatement(m map[string]any) []byte {
	b, _ := json.Marshal(canonStatement(m, true))
	return b
}

func statementContent(m map[string]any) StatementContent {
	h := sha256.Sum256(append([]byte("xapi-statement/v1\n"), CanonicalStatement(m)...))
	c := StatementContent{Hash: h[:]}
	if s, ok := m["timestamp"].(string); ok {
		if t, err := ParseTime(s); err == nil {
			c.Timestamp = &t
		}
	}
	return c
}

func canonStatement(m map[string]any, top bool) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch k {
		case "id", "authority", "stored", "version", "attachments":
		case "timestamp":
			if !top {
				out[k] = canonTime(v)
			}
		case "actor":
			out[k] = canonAgent(v, "Agent")
		case "verb":
			out[k] = without(v, "display")
		case "object":
			out[k] = canonObject(v)
		case "context":
			out[k] = canonContext(v)
		case "result":
			out[k] = canonResult(v)
		default:
			out[k] = v
		}
	}
	return out
}

// canonAgent normalises an Agent or Group; def is the objectType assumed when absent,
// dropped when stated.
func canonAgent(v any, def string) any {
	a, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range a {
		switch k {
		case "objectType":
			if x != def {
				out[k] = x
			}
		case "mbox":
			out[k] = canonMbox(x)
		case "member":
			out[k] = canonMembers(x)
		default:
			out[k] = x
		}
	}
	return out
}

// canonMembers sorts a Group's members, whose order carries no meaning.
func canonMembers(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	type keyed struct {
		key string
		val any
	}
	ms := make([]keyed, len(list))
	for i, m := range list {
		c := canonAgent(m, "Agent")
		b, _ := json.Marshal(c)
		ms[i] = keyed{string(b), c}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m.val
	}
	return out
}

// canonMbox lower-cases the scheme and the domain of a mailto IRI; the local part is
// case sensitive.
func canonMbox(v any) any {
	s, ok := v.(string)
	if !ok || len(s) < len("mailto:") || !strings.EqualFold(s[:len("mailto:")], "mailto:") {
		return v
	}
	addr := s[len("mailto:"):]
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		addr = addr[:i] + strings.ToLower(addr[i:])
	}
	return "mailto:" + addr
}

func canonObject(v any) any {
	obj, ok := v.(map[string]any)
	if !ok {
		return v
	}
	switch objectType(obj, "Activity") {
	case "Activity":
		return canonActivity(obj)
	case "Agent", "Group":
		return canonAgent(obj, "")
	case "StatementRef":
		return lowerProperty(obj, "id")
	case "SubStatement":
		return canonStatement(obj, false)
	}
	return obj
}

// canonActivity keeps an Activity's id: its definition is not part of the statement.
func canonActivity(v any) any {
	a, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range a {
		if k == "definition" || (k == "objectType" && x == "Activity") {
			continue
		}
		out[k] = x
	}
	return out
}

func canonContext(v any) any {
	c, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range c {
		switch k {
		case "registration", "language":
			out[k] = lowerString(x)
		case "instructor", "team":
			out[k] = canonAgent(x, "Agent")
		case "statement":
			out[k] = canonObject(x)
		case "contextActivities":
			out[k] = canonContextActivities(x)
		case "contextAgents", "contextGroups":
			out[k] = canonContextActors(x)
		default:
			out[k] = x
		}
	}
	return out
}

// canonContextActivities normalises each list of context activities; version 1.0.0
// allowed a single Activity where a list is now required, which the LRS converts.
func canonContextActivities(v any) any {
	ca, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range ca {
		list, isList := x.([]any)
		if !isList {
			list = []any{x}
		}
		acts := make([]any, len(list))
		for i, a := range list {
			acts[i] = canonActivity(a)
		}
		out[k] = acts
	}
	return out
}

// canonContextActors normalises the agents and groups of xAPI 2.0 contextAgents and
// contextGroups.
func canonContextActors(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, len(list))
	for i, x := range list {
		m, isMap := x.(map[string]any)
		if !isMap {
			out[i] = x
			continue
		}
		c := map[string]any{}
		for k, y := range m {
			if k == "agent" || k == "group" {
				y = canonAgent(y, "Agent")
			}
			c[k] = y
		}
		out[i] = c
	}
	return out
}

var finerThanCentiseconds = regexp.MustCompile(`(\.[0-9]{2})[0-9]+S$`)

func canonResult(v any) any {
	r, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range r {
		if s, isStr := x.(string); isStr && k == "duration" {
			x = finerThanCentiseconds.ReplaceAllString(s, "${1}S")
		}
		out[k] = x
	}
	return out
}

func canonTime(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, err := ParseTime(s)
	if err != nil {
		return v
	}
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}

func without(v any, drop string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if k != drop {
			out[k] = x
		}
	}
	return out
}

func lowerProperty(m map[string]any, k string) map[string]any {
	out := map[string]any{}
	for key, x := range m {
		out[key] = x
	}
	if _, ok := m[k]; ok {
		out[k] = lowerString(m[k])
	}
	return out
}

func lowerString(v any) any {
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return v
}
