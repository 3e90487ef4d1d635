package xapi

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"mime"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cyberskills/models"
)

// MaxBatch is the most statements one request may carry.
const MaxBatch = 1000

// Statement is a validated xAPI statement with what the service reads from it in Go; the
// rest (actor, activities, context) is read from the stored statement in SQL. Raw is the
// statement exactly as received; ID is empty when the statement carried none.
type Statement struct {
	ID        string
	Raw       json.RawMessage
	Content   StatementContent
	Verb      string
	Facts     Facts
	Timestamp *time.Time
	Version   string // the statement's version property, "" when it has none
	// Attachments are the digests (sha2, lower case) of the statement's attachments;
	// Unsent those of the ones without a fileUrl, whose data must travel in the same
	// multipart request.
	Attachments, Unsent []string
	// Signatures are the attachments that sign the statement (Data 2.6).
	Signatures []signatureRef
	// Prefix is how errors name the statement's properties: "" alone, "statements[3]." in a batch.
	Prefix string
}

// ParseStatements reads a body holding one statement or an array of them, validates each
// (naming faults as statements[i].path, or just path for a single statement) and refuses
// a batch in which two statements carry the same id. It reports whether the body was an array.
func ParseStatements(body []byte) ([]Statement, bool, error) {
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
		s, ok := parseStatement(raw, prefix, &v)
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

func parseStatement(raw json.RawMessage, prefix string, v *models.Validator) (Statement, bool) {
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
	s := Statement{Raw: raw, Content: statementContent(m), Verb: m["verb"].(map[string]any)["id"].(string), Facts: factsOf(m)}
	if id, ok := m["id"].(string); ok {
		s.ID = strings.ToLower(id)
	}
	if ts, ok := m["timestamp"].(string); ok {
		t, _ := ParseTime(ts)
		s.Timestamp = &t
	}
	s.Version, _ = m["version"].(string)
	s.Attachments, s.Unsent = attachmentDigests(m)
	s.Signatures = signatures(m)
	return s, true
}

// attachmentDigests lists the digests of a statement's attachments (its SubStatement's
// included), all of them and those without a fileUrl.
func attachmentDigests(m map[string]any) (all, unsent []string) {
	list, _ := m["attachments"].([]any)
	if sub, ok := m["object"].(map[string]any); ok && objectType(sub, "") == "SubStatement" {
		more, _ := sub["attachments"].([]any)
		list = append(list, more...)
	}
	for _, x := range list {
		a, _ := x.(map[string]any)
		sha, _ := a["sha2"].(string)
		all = append(all, strings.ToLower(sha))
		if _, ok := a["fileUrl"]; !ok {
			unsent = append(unsent, strings.ToLower(sha))
		}
	}
	return all, unsent
}

// decodeNumbers decodes one JSON value keeping numbers as they were written
// (json.Number), so that the canonical form compares them as sent. Anything after the
// value is refused: the statement is kept as received, and must be JSON as a whole.
func decodeNumbers(raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return models.DecodeOne(dec, dst)
}

// AssignStatementIDs gives every statement without an id a new random UUID, as the LRS must.
func AssignStatementIDs(stmts []Statement) {
	for i := range stmts {
		if stmts[i].ID == "" {
			stmts[i].ID = NewUUID()
		}
	}
}

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

// unknownOffset is RFC 3339's "-00:00" (and its ISO 8601 basic spellings): an offset that
// says the local offset is unknown, which the specification refuses.
var unknownOffset = regexp.MustCompile(`-00(:?00)?$`)

// timeLayouts are the spellings of a timestamp: RFC 3339, and the ISO 8601 extended
// forms it leaves out (an offset without a colon, no seconds).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700"}

// ParseTime reads an xAPI timestamp: RFC 3339 (a space may stand for the T) or ISO 8601's
// extended form with a time zone, "-00:00" refused.
func ParseTime(s string) (time.Time, error) {
	if unknownOffset.MatchString(s) {
		return time.Time{}, models.ErrOutOfRange
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	var err error
	for _, layout := range timeLayouts {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// validTime accepts a timestamp ParseTime reads, within the range of every date and time.
func validTime(s string) bool {
	t, err := ParseTime(s)
	return err == nil && models.InTimeRange(t)
}

var statementVersion = regexp.MustCompile(`^(1|2)\.0(\.[0-9]+)?$`)

// validStatementVersion accepts a statement's version property: 1.0, 1.0.x, 2.0 or 2.0.x.
func validStatementVersion(s string) bool { return statementVersion.MatchString(s) }

// validMediaType accepts an Internet media type (RFC 2046), parameters included.
func validMediaType(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	return err == nil && strings.Contains(mt, "/")
}

var sha2Hex = regexp.MustCompile(`^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$`)

// validSHA2 accepts the hex digest of SHA-224, SHA-256, SHA-384 or SHA-512.
func validSHA2(s string) bool { return sha2Hex.MatchString(s) }
