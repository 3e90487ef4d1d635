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

func canonStatement(m map[string]any, top bool) any {
	return eachProperty(m, func(k string, v any) (any, bool) {
		switch k {
		case "id", "authority", "stored", "version", "attachments":
			return nil, false
		case "timestamp":
			return canonTime(v), !top
		case "actor":
			return canonAgent(v, "Agent"), true
		case "verb":
			return without(v, "display"), true
		case "object":
			return canonObject(v), true
		case "context":
			return canonContext(v), true
		case "result":
			return canonResult(v), true
		}
		return v, true
	})
}

// canonAgent normalises an Agent or Group; def is the objectType assumed when absent,
// dropped when stated.
func canonAgent(v any, def string) any {
	return eachProperty(v, func(k string, x any) (any, bool) {
		switch k {
		case "objectType":
			return x, x != def
		case "mbox":
			return canonMbox(x), true
		case "member":
			return canonMembers(x), true
		}
		return x, true
	})
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
	return eachProperty(v, func(k string, x any) (any, bool) {
		return x, k != "definition" && !(k == "objectType" && x == "Activity")
	})
}

func canonContext(v any) any {
	return eachProperty(v, func(k string, x any) (any, bool) {
		switch k {
		case "registration", "language":
			return lowerString(x), true
		case "instructor", "team":
			return canonAgent(x, "Agent"), true
		case "statement":
			return canonObject(x), true
		case "contextActivities":
			return canonContextActivities(x), true
		case "contextAgents", "contextGroups":
			return canonContextActors(x), true
		}
		return x, true
	})
}

// canonContextActivities normalises each list of context activities; version 1.0.0
// allowed a single Activity where a list is now required, which the LRS converts.
func canonContextActivities(v any) any {
	return eachProperty(v, func(_ string, x any) (any, bool) {
		list, isList := x.([]any)
		if !isList {
			list = []any{x}
		}
		acts := make([]any, len(list))
		for i, a := range list {
			acts[i] = canonActivity(a)
		}
		return acts, true
	})
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
		out[i] = eachProperty(x, func(k string, y any) (any, bool) {
			if k == "agent" || k == "group" {
				return canonAgent(y, "Agent"), true
			}
			return y, true
		})
	}
	return out
}

var finerThanCentiseconds = regexp.MustCompile(`(\.[0-9]{2})[0-9]+S$`)

func canonResult(v any) any {
	return eachProperty(v, func(k string, x any) (any, bool) {
		if s, isStr := x.(string); isStr && k == "duration" {
			return finerThanCentiseconds.ReplaceAllString(s, "${1}S"), true
		}
		return x, true
	})
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
	return eachProperty(v, func(k string, x any) (any, bool) { return x, k != drop })
}

func lowerProperty(v any, name string) any {
	return eachProperty(v, func(k string, x any) (any, bool) {
		if k == name {
			return lowerString(x), true
		}
		return x, true
	})
}

// eachProperty rebuilds an object property by property: f gives each property's new
// value, and whether to keep it. A value that is not an object is left as it is.
func eachProperty(v any, f func(k string, x any) (any, bool)) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if y, keep := f(k, x); keep {
			out[k] = y
		}
	}
	return out
}

func lowerString(v any) any {
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return v
}
