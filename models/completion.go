package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// MaxCompletionBatch is the most completions one request may carry.
const MaxCompletionBatch = 1000

// NewCompletion is a completion as a training provider posts it. completed_at stays a
// string here so that a malformed time is reported against its field and item.
type NewCompletion struct {
	CompletionID string `json:"completion_id" example:"LMS-2026-000123"`
	// Provider the completion is reported for: admin tokens only; a trainer's is its own.
	Provider        string   `json:"provider,omitempty" example:"nhs-digital-academy"`
	Organisation    string   `json:"organisation" example:"RJ1"`
	StaffExternalID string   `json:"staff_external_id" example:"E10234"`
	Course          string   `json:"course" example:"FW-201"`
	CompletedAt     string   `json:"completed_at" format:"date-time" example:"2026-03-01T16:30:00Z"`
	Passed          *bool    `json:"passed" example:"true" extensions:"x-nullable"`
	Score           *float64 `json:"score,omitempty" example:"87.5"`
}

// Completion is a validated completion, ready to record.
type Completion struct {
	CompletionID    string
	Provider        string
	Organisation    string
	StaffExternalID string
	Course          string
	CompletedAt     time.Time
	Passed          bool
	Score           *float64
	// Prefix is how errors name the item's fields: "" alone, "items[3]." in a batch.
	Prefix string
}

// PayloadHash identifies what a completion says, so that a retry (the same payload again)
// can be told from a reuse of its id for something else. It is taken over a canonical
// form: fixed field order, the time in UTC, the score as its shortest decimal; the id
// and provider are left out because they are the key the hash is stored under.
func (c Completion) PayloadHash() []byte {
	var score *string
	if c.Score != nil {
		s := strconv.FormatFloat(*c.Score, 'f', -1, 64)
		score = &s
	}
	canonical, _ := json.Marshal(struct {
		Organisation    string  `json:"organisation"`
		StaffExternalID string  `json:"staff_external_id"`
		Course          string  `json:"course"`
		CompletedAt     string  `json:"completed_at"`
		Passed          bool    `json:"passed"`
		Score           *string `json:"score" extensions:"x-nullable"`
	}{c.Organisation, c.StaffExternalID, c.Course, c.CompletedAt.UTC().Format(time.RFC3339Nano), c.Passed, score})
	h := sha256.Sum256(append([]byte("completion/v1\n"), canonical...))
	return h[:]
}

// CompletionStatus says what a posted completion did.
type CompletionStatus string

// Completion statuses.
const (
	CompletionCreated   CompletionStatus = "created"
	CompletionUnchanged CompletionStatus = "unchanged" // the same payload was posted before
)

// CompletionResult is what became of one posted completion.
type CompletionResult struct {
	CompletionID string           `json:"completion_id" example:"LMS-2026-000123"`
	Status       CompletionStatus `json:"status" enums:"created,unchanged" example:"created"`
	// The training evidence the completion created (none when it was not passed).
	Evidence []int64 `json:"evidence" example:"4711,4712"`
}

// CompletionsResult reports what became of each posted completion, in order.
type CompletionsResult struct {
	Items []CompletionResult `json:"items"`
}

// AnyCreated reports whether any completion was recorded now rather than before.
func (r CompletionsResult) AnyCreated() bool {
	for _, x := range r.Items {
		if x.Status == CompletionCreated {
			return true
		}
	}
	return false
}

// ParseCompletions reads a body holding one completion object or an array of up to
// MaxCompletionBatch, strictly, and validates every item, reporting each problem as
// items[i].field (or just field for a single object). Items without a provider get
// provider; with ownOnly, an item may name no other provider (a trainer's token).
func ParseCompletions(body []byte, provider string, ownOnly bool, now time.Time) ([]Completion, error) {
	raws := []json.RawMessage{body}
	batch := len(bytes.TrimSpace(body)) > 0 && bytes.TrimSpace(body)[0] == '['
	if batch {
		raws = nil
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, Errorf(EINVALID, "the body must be a completion object or an array of them")
		}
		if len(raws) == 0 || len(raws) > MaxCompletionBatch {
			return nil, Invalid(FieldError{Field: "items", Message: "must hold from 1 to " + strconv.Itoa(MaxCompletionBatch) + " completions"})
		}
	}
	var v Validator
	out := make([]Completion, 0, len(raws))
	seen := map[[2]string]int{}
	for i, raw := range raws {
		prefix := ""
		if batch {
			prefix = "items[" + strconv.Itoa(i) + "]."
		}
		var in NewCompletion
		if !decodeStrict(raw, &in, prefix, &v) {
			continue
		}
		if in.Provider == "" {
			in.Provider = provider
		}
		c, ok := in.check(&v, prefix, provider, ownOnly, now)
		if !ok {
			continue
		}
		key := [2]string{c.Provider, c.CompletionID}
		if j, dup := seen[key]; dup {
			v.Add(prefix+"completion_id", "repeats the completion_id of items["+strconv.Itoa(j)+"]")
			continue
		}
		seen[key] = i
		out = append(out, c)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// check validates one completion into v and converts it.
func (in NewCompletion) check(v *Validator, prefix, provider string, ownOnly bool, now time.Time) (Completion, bool) {
	before := len(v.fields)
	v.Check(in.CompletionID != "" && len(in.CompletionID) <= 200 && printable(in.CompletionID), prefix+"completion_id", "is required: 1-200 printable characters")
	v.Check(in.Provider != "", prefix+"provider", "is required with an admin token: name it per item or with ?provider=")
	v.Check(!ownOnly || in.Provider == provider, prefix+"provider", "must be your own provider, or left out")
	v.Check(in.Organisation != "" && len(in.Organisation) <= 40, prefix+"organisation", "is required: an organisation code")
	v.Check(in.StaffExternalID != "" && len(in.StaffExternalID) <= 100, prefix+"staff_external_id", "is required: the HR system's id of the person")
	v.Check(in.Course != "" && len(in.Course) <= 64, prefix+"course", "is required: a course code")
	v.Check(in.Passed != nil, prefix+"passed", "is required: true or false")
	v.Check(in.Score == nil || (*in.Score >= 0 && *in.Score < 10000), prefix+"score", "must be from 0 to 9999.999")
	at, err := time.Parse(time.RFC3339Nano, in.CompletedAt)
	switch {
	case in.CompletedAt == "":
		v.Add(prefix+"completed_at", "is required: an RFC 3339 time such as 2026-03-01T16:30:00Z")
	case err != nil:
		v.Add(prefix+"completed_at", "must be an RFC 3339 time such as 2026-03-01T16:30:00Z")
	case !InTimeRange(at):
		v.Add(prefix+"completed_at", ErrOutOfRange.Error())
	case at.After(now.Add(FutureTolerance)):
		v.Add(prefix+"completed_at", "must not be in the future")
	}
	if len(v.fields) > before {
		return Completion{}, false
	}
	return Completion{
		CompletionID: in.CompletionID, Provider: in.Provider, Organisation: in.Organisation,
		StaffExternalID: in.StaffExternalID, Course: in.Course, CompletedAt: at, Passed: *in.Passed, Score: in.Score,
		Prefix: prefix,
	}, true
}

// FutureTolerance is how far ahead of the server's clock a client's time may be (clock
// skew) before it counts as in the future.
const FutureTolerance = 5 * time.Minute

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// decodeStrict decodes one JSON value into dst, rejecting unknown fields and anything
// after the value, and records any problem in v against the field (under prefix) that
// caused it.
func decodeStrict(raw json.RawMessage, dst any, prefix string, v *Validator) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := DecodeOne(dec, dst)
	if err == nil {
		return true
	}
	var typeErr *json.UnmarshalTypeError
	whole := strings.TrimSuffix(prefix, ".")
	if whole == "" {
		whole = "body"
	}
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		v.Add(prefix+typeErr.Field, "must be "+jsonKind(typeErr.Type))
	case UnknownJSONField(err) != "":
		v.Add(prefix+UnknownJSONField(err), "is not a known field")
	default:
		v.Add(whole, "must be a JSON object")
	}
	return false
}

// UnknownJSONField is the field that a decoder refusing unknown fields refused, named by
// FieldName, or "" when err is about something else.
func UnknownJSONField(err error) string {
	rest, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return ""
	}
	return FieldName(strings.Trim(rest, `"`))
}

// jsonKind names the JSON a Go type expects.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// Outcome is what a completion or statement says about a person and a course.
type Outcome string

// Outcomes: passed grants the course's skills; failed grants nothing but closes an
// enrolment as failed; none is ignored.
const (
	OutcomeNone   Outcome = ""
	OutcomePassed Outcome = "passed"
	OutcomeFailed Outcome = "failed"
)
