// Package fuzzcheck is what the fuzz targets of every package share, and the regression
// tests that keep what they found: the fixed instant they judge dates against, their seed
// files, and the checks every rejection must pass (one of ours, EINVALID, saying little
// enough). Only tests import it; it is a package of its own because test files cannot be
// shared between packages, and it sits beside models, not under models/internal, because
// the api package's fuzz targets use it too.
package fuzzcheck

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cyberskills/models"
)

// Now is the fixed instant every fuzz target judges dates against: fuzzing never reads
// the wall clock, so that a crasher replays the same way on any day.
var Now = time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC)

// Bounds on what an error may say. A message repeats at most an excerpt of the input
// (models.MaxEcho bytes, quoted), so that a rejection is never larger than the request.
const (
	MaxField   = 200
	MaxMessage = 600
)

// AddSeedFiles adds the contents of every file matching the patterns as seeds; a pattern
// that matches nothing fails, so that a moved file does not silently shrink the corpus.
func AddSeedFiles(f *testing.F, patterns ...string) {
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

// RequireInvalid fails unless err is one of ours, EINVALID, with a bounded message and
// bounded field errors, and returns it.
func RequireInvalid(t *testing.T, err error) *models.Error {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EINVALID {
		t.Fatalf("error %v (%T) is not an EINVALID *models.Error", err, err)
	}
	if e.Message == "" {
		t.Fatalf("error %+v has no message", e)
	}
	CheckBounded(t, "message", e.Message, MaxMessage)
	CheckFieldErrors(t, e.Fields)
	return e
}

// CheckFieldErrors fails unless every field error names a field and says why, both bounded.
func CheckFieldErrors(t *testing.T, fields []models.FieldError) {
	t.Helper()
	for _, fe := range fields {
		if fe.Field == "" || fe.Message == "" {
			t.Fatalf("field error %+v names no field or says nothing", fe)
		}
		CheckBounded(t, "field", fe.Field, MaxField)
		CheckBounded(t, "field message", fe.Message, MaxMessage)
	}
}

// CheckBounded fails when s, what an error says, is longer than limit bytes.
func CheckBounded(t *testing.T, what, s string, limit int) {
	t.Helper()
	if len(s) > limit {
		t.Fatalf("%s of %d bytes (more than %d) echoes too much input: %.120q...", what, len(s), limit, s)
	}
}

// FieldsOf returns the field names of a validation error, failing unless err is one.
func FieldsOf(t *testing.T, err error) []string {
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
