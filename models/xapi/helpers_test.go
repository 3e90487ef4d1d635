package xapi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cyberskills/models"
)

// The test helpers of models, for this package's tests (a test package cannot import another's).

// fuzzNow is the fixed instant every fuzz target judges dates against: fuzzing never
// reads the wall clock, so that a crasher replays the same way on any day.
var fuzzNow = time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC)

// Bounds on what an error may say. A message repeats at most an excerpt of the input
// (MaxEcho bytes, quoted), so that a rejection is never larger than the request.
const (
	maxFuzzField   = 200
	maxFuzzMessage = 600
)

// addSeedFiles adds the contents of every file matching the patterns as seeds; a pattern
// that matches nothing fails, so that a moved file does not silently shrink the corpus.
func addSeedFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			f.Fatalf("no seed files match %s", pattern)
		}
		for _, path := range paths {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// requireInvalid fails unless err is one of ours, EINVALID, with a bounded message and
// bounded field errors, and returns it.
func requireInvalid(t *testing.T, err error) *models.Error {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EINVALID {
		t.Fatalf("error %v (%T) is not an EINVALID *models.Error", err, err)
	}
	if e.Message == "" {
		t.Fatalf("error %+v has no message", e)
	}
	checkBounded(t, "message", e.Message, maxFuzzMessage)
	for _, fe := range e.Fields {
		checkFieldError(t, fe)
	}
	return e
}

func checkFieldError(t *testing.T, fe models.FieldError) {
	t.Helper()
	if fe.Field == "" || fe.Message == "" {
		t.Fatalf("field error %+v names no field or says nothing", fe)
	}
	checkBounded(t, "field", fe.Field, maxFuzzField)
	checkBounded(t, "field message", fe.Message, maxFuzzMessage)
}

func checkBounded(t *testing.T, what, s string, limit int) {
	t.Helper()
	if len(s) > limit {
		t.Fatalf("%s of %d bytes (more than %d) echoes too much input: %.120q...", what, len(s), limit, s)
	}
}

// fieldsOf returns the field names of a validation error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EINVALID {
		t.Fatalf("error %v is not a validation error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}
