package models

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Error codes name the kind of failure in the domain's terms, independently of transport:
// the api package maps each to an HTTP status in one table (api/problem, which also holds
// the codes only HTTP knows: media type, too large, rate limited), and the repository maps
// PostgreSQL errors onto them.
const (
	EINVALID       = "invalid"       // the input breaks a rule; Fields names what
	ENOTFOUND      = "not_found"     // no such thing, or not in the caller's scope
	ECONFLICT      = "conflict"      // the change clashes with what is stored
	EGONE          = "gone"          // it existed and was removed for good (an erased person)
	EUNPROCESSABLE = "unprocessable" // well formed, but names things that do not exist
	EUNAUTHORIZED  = "unauthorized"  // no valid credentials
	EFORBIDDEN     = "forbidden"     // the caller's role may not do this
	EUNAVAILABLE   = "unavailable"   // the database is away or ran out of time; retry later
	EINTERNAL      = "internal"      // a bug
)

// FieldError names one input field at fault and why.
type FieldError struct {
	Field   string `json:"field" example:"level"`
	Message string `json:"message" example:"must be between 0 and 4"`
}

// Error is the application error: a code, a message safe to show to the caller, and,
// for validation failures, the fields at fault. Err is the cause, when there is one (a
// driver or network error behind EUNAVAILABLE, say): errors.Is and errors.As reach it,
// logs show it, and callers never do, because the API shows only Message.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Details carries structured context for the caller, e.g. the rejected rows of an import.
	Details any
	Err     error
}

// Error is the message, followed by the cause when there is one: the text for logs.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	return e.Message + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds an EINVALID error listing the fields at fault.
func Invalid(fields ...FieldError) *Error {
	msg := "the request is not valid"
	if len(fields) == 1 {
		msg = fields[0].Field + ": " + fields[0].Message
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// ErrorCode returns the code of err, or EINTERNAL for errors that are not ours.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the caller-safe message of err; internal errors are not described.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "an internal error occurred"
}

// MaxEcho is the most of a caller's input, in bytes, that an error message repeats:
// enough to recognise a value, never so much that a rejection grows with the request.
const MaxEcho = 64

// MaxFieldPath bounds the name of a field at fault. A name is a path into the input
// (statements[3].result.extensions...), so a deeply nested or oddly named input could
// otherwise make it as long as the input itself.
const MaxFieldPath = 128

// Excerpt is s cut to MaxEcho bytes: how an error message quotes input.
func Excerpt(s string) string { return cut(s, MaxEcho) }

// FieldName names a property of the input in a field error: `""` when its name is empty,
// so that the error still names a field, and cut to MaxFieldPath.
func FieldName(name string) string {
	if name == "" {
		return `""`
	}
	return cut(name, MaxFieldPath)
}

// cut shortens s to at most n bytes at a character boundary, "…" marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Validator gathers field errors so that a request reports every problem at once.
type Validator struct{ fields []FieldError }

// Check records message against field when ok is false.
func (v *Validator) Check(ok bool, field, message string) {
	if !ok {
		v.Add(field, message)
	}
}

// CheckOnce records field as listed twice when key is already in seen, and adds key to
// seen: the rule every list that names each thing at most once shares.
func (v *Validator) CheckOnce(seen map[string]bool, key, field string) {
	v.Check(!seen[key], field, "is listed twice")
	seen[key] = true
}

// CheckKey records field as required when key is empty and as listed twice when key is
// already in seen: the rule for the key of every item of a list (a skill, a role, a person).
func (v *Validator) CheckKey(seen map[string]bool, key, field string) {
	v.Check(key != "", field, "is required")
	v.CheckOnce(seen, key, field)
}

// Add records a field error unconditionally, the field's name cut to MaxFieldPath.
func (v *Validator) Add(field, message string) {
	v.fields = append(v.fields, FieldError{Field: cut(field, MaxFieldPath), Message: message})
}

// Len is how many field errors are recorded.
func (v *Validator) Len() int { return len(v.fields) }

// Fields returns the recorded field errors, for a caller that reports them in its own
// terms (an import file's rows and columns).
func (v *Validator) Fields() []FieldError { return v.fields }

// FirstFields lists at most max of fields, then one under summary saying how many more
// there were: a file wrong throughout does not give an answer larger than itself.
func FirstFields(fields []FieldError, max int, summary string) []FieldError {
	if len(fields) <= max {
		return fields
	}
	more := len(fields) - max
	return append(slices.Clip(fields[:max]), FieldError{Field: summary, Message: fmt.Sprintf("and %s not listed", Count(more, "more problem", "more problems"))})
}

// Err returns an EINVALID error listing every recorded field, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return Invalid(v.fields...)
}
