package xapi

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"time"

	"cyberskills/models"
)

// Format is how GET statements returns Agents, Activities and Verbs (Communication 2.1.3).
type Format string

const (
	FormatExact     Format = "exact"     // as received
	FormatIDs       Format = "ids"       // only what identifies them
	FormatCanonical Format = "canonical" // Activities and Verbs as the LRS knows them, one language each
)

// MaxPage is the most statements one page of GET statements holds (limit 0 asks for it).
const MaxPage = 500

// Query is a GET statements request: one statement by id (StatementID or
// VoidedStatementID), or the filters of a list. Agent is the agent filter as sent (a
// validated Agent or identified Group); the store reads its identifier.
type Query struct {
	StatementID, VoidedStatementID string
	Agent                          json.RawMessage
	Verb, Activity, Registration   string
	RelatedActivities              bool
	RelatedAgents                  bool
	Since, Until                   *time.Time
	Limit                          int
	Format                         Format
	Attachments                    bool
	Ascending                      bool
	// After is the position of the last statement of the previous page ("cursor"), as
	// the more link carries it.
	After *Position
}

// Position is a place in the list of statements: its order is stored, then seq.
type Position struct {
	Stored time.Time `json:"s"`
	Seq    int64     `json:"n"`
}

// queryParameters are the parameters GET statements recognises, in their case; cursor is
// this LRS's own, in the more links it writes.
var queryParameters = map[string]bool{
	"statementId": true, "voidedStatementId": true, "agent": true, "verb": true, "activity": true,
	"registration": true, "related_activities": true, "related_agents": true, "since": true, "until": true,
	"limit": true, "format": true, "attachments": true, "ascending": true, "cursor": true,
}

// ParseQuery reads the parameters of GET statements, naming every fault: an unknown
// parameter (or one in another case), a value that does not follow its format, or filters
// beside a statement id.
func ParseQuery(params url.Values) (Query, error) {
	var v models.Validator
	c := check{&v}
	one := map[string]any{}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch vals := params[k]; {
		case !queryParameters[k]:
			v.Add(models.FieldName(k), "is not a parameter of GET statements")
		case len(vals) != 1:
			v.Add(k, "must be given once")
		default:
			one[k] = vals[0]
		}
	}
	q := Query{Format: FormatExact}
	q.StatementID, _ = c.uuid(one, "statementId", "", false)
	q.VoidedStatementID, _ = c.uuid(one, "voidedStatementId", "", false)
	q.Verb, _ = c.iri(one, "verb", "", false)
	q.Activity, _ = c.iri(one, "activity", "", false)
	q.Registration, _ = c.uuid(one, "registration", "", false)
	q.RelatedActivities = queryBool(c, one, "related_activities")
	q.RelatedAgents = queryBool(c, one, "related_agents")
	q.Attachments = queryBool(c, one, "attachments")
	q.Ascending = queryBool(c, one, "ascending")
	q.Since = queryTime(c, one, "since")
	q.Until = queryTime(c, one, "until")
	if f, ok := c.format(one, "format", "", false, func(s string) bool {
		return s == string(FormatExact) || s == string(FormatIDs) || s == string(FormatCanonical)
	}, "ids, exact or canonical"); ok {
		q.Format = Format(f)
	}
	if s, ok := one["limit"].(string); ok {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 0, "limit", "must be a whole number, 0 or more")
		q.Limit = n
	}
	if q.Limit <= 0 || q.Limit > MaxPage {
		q.Limit = MaxPage
	}
	if s, ok := one["agent"].(string); ok {
		q.Agent = queryAgent(c, s)
	}
	if s, ok := one["cursor"].(string); ok {
		var p Position
		if err := models.DecodeCursor(s, &p); err != nil {
			v.Add("cursor", "is not a cursor from a more link of this LRS")
		}
		q.After = &p
	}
	if q.StatementID != "" || q.VoidedStatementID != "" {
		v.Check(q.StatementID == "" || q.VoidedStatementID == "", "voidedStatementId", "cannot be given with statementId")
		for k := range one {
			v.Check(k == "statementId" || k == "voidedStatementId" || k == "attachments" || k == "format", k,
				"cannot be given with statementId or voidedStatementId")
		}
	}
	return q, v.Err()
}

// One reports whether the query asks for one statement by id.
func (q Query) One() bool { return q.StatementID != "" || q.VoidedStatementID != "" }

func queryBool(c check, one map[string]any, k string) bool {
	s, ok := c.format(one, k, "", false, func(s string) bool { return s == "true" || s == "false" }, "true or false")
	return ok && s == "true"
}

func queryTime(c check, one map[string]any, k string) *time.Time {
	s, ok := c.format(one, k, "", false, validTime, "an ISO 8601 (RFC 3339) timestamp with a time zone")
	if !ok {
		return nil
	}
	t, _ := ParseTime(s)
	return &t
}

// queryAgent reads the agent filter: an Agent or an identified Group, as JSON.
func queryAgent(c check, s string) json.RawMessage {
	var a map[string]any
	if err := decodeNumbers([]byte(s), &a); err != nil || a == nil {
		c.add("agent", "must be an Agent or an identified Group, as JSON")
		return nil
	}
	before := c.v.Len()
	if checkNulls(a, "agent", c.v); c.v.Len() > before {
		return nil
	}
	checkActor(c, a, "agent", "Agent")
	n := 0
	for _, k := range ifiProperties {
		if _, ok := a[k]; ok {
			n++
		}
	}
	c.v.Check(n == 1, "agent", "must be identified by one of mbox, mbox_sha1sum, openid or account")
	if c.v.Len() > before {
		return nil
	}
	return json.RawMessage(s)
}
