package xapi

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cyberskills/models"
)

// The xAPI verbs that mean something to the service; every other verb is stored and ignored.
const (
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	VerbPassed    = "http://adlnet.gov/expapi/verbs/passed"
	VerbFailed    = "http://adlnet.gov/expapi/verbs/failed"
)

// MaxBatch is the most statements one request may carry.
const MaxBatch = 1000

// Actor is how a statement names a person: an account (homePage and name) or a
// mailbox (the address without "mailto:"). Other identifiers name nobody we know.
type Actor struct {
	HomePage string
	Name     string
	Mbox     string
	Group    bool // a Group, which is not one staff member
}

// Statement is a validated xAPI statement with what the service reads from it. Raw is
// the statement exactly as received; ID is empty when the statement carried none.
type Statement struct {
	ID        string
	Raw       json.RawMessage
	Content   StatementContent
	Verb      string
	Actor     Actor
	Activity  string // object.id when the object is an Activity, else empty
	Success   *bool  // result.success
	Timestamp *time.Time
	// Prefix is how errors name the statement's properties: "" alone, "statements[3]." in a batch.
	Prefix string
}

// Outcome applies the verb rules: completed or passed grants the course unless
// result.success is false (then it failed); failed fails; any other verb is ignored.
func (s Statement) Outcome() models.Outcome {
	switch s.Verb {
	case VerbCompleted, VerbPassed:
		if s.Success != nil && !*s.Success {
			return models.OutcomeFailed
		}
		return models.OutcomePassed
	case VerbFailed:
		return models.OutcomeFailed
	}
	return models.OutcomeNone
}

// ParseStatements reads a body holding one statement or an array of them, validates each
// (naming faults as statements[i].path, or just path for a single statement) and refuses
// a batch in which two statements carry the same id. It reports whether the body was an array.
func ParseStatements(body []byte, now time.Time) ([]Statement, bool, error) {
	trimmed := bytes.TrimSpace(body)
	array := len(trimmed) > 0 && trimmed[0] == '['
	raws := []json.RawMessage{trimmed}
	if array {
		raws = nil
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, true, models.Errorf(models.EINVALID, "the body must be a statement object or an array of them")
		}
		if len(raws) == 0 || len(raws) > MaxBatch {
			return nil, true, models.Invalid(models.FieldError{Field: "statements", Message: "must hold from 1 to " + strconv.Itoa(MaxBatch) + " statements"})
		}
	}
	var v models.Validator
	out := make([]Statement, 0, len(raws))
	seen := map[string]int{}
	for i, raw := range raws {
		prefix := ""
		if array {
			prefix = "statements[" + strconv.Itoa(i) + "]"
		}
		s, ok := parseStatement(raw, prefix, now, &v)
		if !ok {
			continue
		}
		if prefix != "" {
			s.Prefix = prefix + "."
		}
		if s.ID != "" {
			if j, dup := seen[s.ID]; dup {
				v.Add(join(prefix, "id"), "repeats the id of statements["+strconv.Itoa(j)+"]")
				continue
			}
			seen[s.ID] = i
		}
		out = append(out, s)
	}
	return out, array, v.Err()
}

func parseStatement(raw json.RawMessage, prefix string, now time.Time, v *models.Validator) (Statement, bool) {
	var m map[string]any
	if err := decodeNumbers(raw, &m); err != nil || m == nil {
		v.Add(orBody(prefix), "must be a statement object")
		return Statement{}, false
	}
	before := v.Len()
	checkStatement(m, prefix, true, v)
	if v.Len() > before {
		return Statement{}, false
	}
	s := Statement{Raw: raw, Content: statementContent(m), Verb: m["verb"].(map[string]any)["id"].(string)}
	if id, ok := m["id"].(string); ok {
		s.ID = strings.ToLower(id)
	}
	if ts, ok := m["timestamp"].(string); ok {
		t, _ := ParseTime(ts)
		s.Timestamp = &t
		v.Check(!t.After(now.Add(models.FutureTolerance)), join(prefix, "timestamp"), "must not be in the future")
	}
	s.Actor = readActor(m["actor"].(map[string]any))
	if obj := m["object"].(map[string]any); objectType(obj, "Activity") == "Activity" {
		s.Activity, _ = obj["id"].(string)
	}
	if res, ok := m["result"].(map[string]any); ok {
		if b, ok := res["success"].(bool); ok {
			s.Success = &b
		}
	}
	return s, v.Len() == before
}

// decodeNumbers decodes one JSON value keeping numbers as they were written
// (json.Number), so that the canonical form compares them as sent. Anything after the
// value is refused: the statement is kept as received, and must be JSON as a whole.
func decodeNumbers(raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return models.DecodeOne(dec, dst)
}

// readActor picks out the identifiers the service can map to a staff member.
func readActor(a map[string]any) Actor {
	out := Actor{Group: objectType(a, "Agent") == "Group"}
	if mbox, ok := a["mbox"].(string); ok {
		out.Mbox = mbox[len("mailto:"):]
	}
	if acc, ok := a["account"].(map[string]any); ok {
		out.HomePage, _ = acc["homePage"].(string)
		out.Name, _ = acc["name"].(string)
	}
	return out
}

// AssignStatementIDs gives every statement without an id a new random UUID, as the LRS must.
func AssignStatementIDs(stmts []Statement) {
	for i := range stmts {
		if stmts[i].ID == "" {
			stmts[i].ID = NewUUID()
		}
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidUUID reports whether s is a UUID in standard string form.
func ValidUUID(s string) bool { return uuidPattern.MatchString(s) }

// NewUUID returns a random (version 4, RFC 4122 variant) UUID in lower case.
func NewUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ParseTime reads an xAPI timestamp: ISO 8601 in its RFC 3339 profile, the offset
// with or without a colon.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04:05.999999999Z0700", s)
	}
	return t, err
}

// VersionSupported reports whether an X-Experience-API-Version header names a
// version this service speaks: 1.0.x or 2.0.x.
func VersionSupported(v string) bool { return xapiVersion.MatchString(v) }

var xapiVersion = regexp.MustCompile(`^(1|2)\.0(\.[0-9]+)?$`)

func objectType(m map[string]any, def string) string {
	if t, ok := m["objectType"].(string); ok {
		return t
	}
	return def
}

// join names property path under prefix (see models.FieldName).
func join(prefix, path string) string {
	path = models.FieldName(path)
	if prefix == "" {
		return path
	}
	return prefix + "." + path
}

func orBody(prefix string) string {
	if prefix == "" {
		return "body"
	}
	return prefix
}
