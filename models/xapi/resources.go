package xapi

import (
	"encoding/json"

	"cyberskills/models"
)

// CheckAttachmentsSent refuses statements with an attachment that has neither a fileUrl
// nor its data in the request (sent holds the parts a multipart request carried, by
// digest; nil for application/json), and data no attachment declares (Communication 1.5.2).
func CheckAttachmentsSent(stmts []Statement, sent map[string]AttachmentData) error {
	var v models.Validator
	declared := map[string]bool{}
	for _, s := range stmts {
		for _, sha := range s.Attachments {
			declared[sha] = true
		}
		for _, sha := range s.Unsent {
			_, ok := sent[sha]
			v.Check(ok, s.Prefix+"attachments", "an attachment without a fileUrl needs its data in a multipart/mixed request, in a part whose X-Experience-API-Hash is its sha2")
		}
	}
	for sha := range sent {
		v.Check(declared[sha], "X-Experience-API-Hash", "a part's data belongs to no attachment of the statements: "+models.Excerpt(sha))
	}
	return v.Err()
}

// ActivityIDs lists the ids of the Activities the statements mention (object and context
// activities, in SubStatements too), each once.
func ActivityIDs(stmts []Stored) []string {
	seen := map[string]bool{}
	for _, s := range stmts {
		var m map[string]any
		if decodeNumbers(s.Statement, &m) != nil {
			continue
		}
		eachActivity(m, func(a map[string]any) {
			if id, ok := a["id"].(string); ok {
				seen[id] = true
			}
		})
	}
	return sortedSet(seen)
}

// eachActivity calls f with every Activity of a statement.
func eachActivity(m map[string]any, f func(map[string]any)) {
	if obj, ok := m["object"].(map[string]any); ok {
		switch objectType(obj, "Activity") {
		case "Activity":
			f(obj)
		case "SubStatement":
			eachActivity(obj, f)
		}
	}
	ctx, _ := m["context"].(map[string]any)
	ca, _ := ctx["contextActivities"].(map[string]any)
	for _, x := range ca {
		list, isList := x.([]any)
		if !isList {
			list = []any{x}
		}
		for _, a := range list {
			if act, ok := a.(map[string]any); ok {
				f(act)
			}
		}
	}
}

// ActivityObject is the Activities resource's answer: the Activity with the LRS's
// definition of it, when it has one.
func ActivityObject(id string, definition json.RawMessage) (json.RawMessage, error) {
	out := map[string]any{"objectType": "Activity", "id": id}
	if len(definition) > 0 && string(definition) != "{}" {
		out["definition"] = definition
	}
	return json.Marshal(out)
}

// ParseAgent reads the agent parameter of the Agents resource (and of the document
// resources): an Agent, as JSON.
func ParseAgent(s string) (map[string]any, error) {
	var v models.Validator
	c := check{&v}
	var a map[string]any
	if err := decodeNumbers([]byte(s), &a); err != nil || a == nil {
		return nil, models.Invalid(models.FieldError{Field: "agent", Message: "must be an Agent, as JSON"})
	}
	checkNulls(a, "agent", &v)
	if v.Len() == 0 {
		v.Check(objectType(a, "Agent") == "Agent", "agent.objectType", "must be Agent")
		checkActor(c, a, "agent", "Agent")
	}
	return a, v.Err()
}

// Person is the Agents resource's answer for an Agent: what the LRS knows of the person,
// which is the identifier and name the request gave. The LRS does not join identifiers
// into people: that would tell one provider what another's LMS calls someone.
func Person(agent map[string]any) map[string]any {
	out := map[string]any{"objectType": "Person"}
	if name, ok := agent["name"]; ok {
		out["name"] = []any{name}
	}
	for _, k := range ifiProperties {
		if v, ok := agent[k]; ok {
			out[k] = []any{v}
		}
	}
	return out
}
