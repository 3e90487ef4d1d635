package xapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseStatements checks the LRS's validation of xAPI statements: whatever the body,
// the answer is statements the service can rely on or an models.EINVALID error naming
// properties; an accepted statement means the same after PostgreSQL's jsonb has
// reordered and re-serialised it, and alone or in a batch.
func FuzzParseStatements(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../../testdata/xapi-spec/*.json", "../../testdata/fuzz-seeds/xapi/*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		stmts, array, err := ParseStatements(body)
		again, arrayAgain, errAgain := ParseStatements(body)
		if array != arrayAgain || (err == nil) != (errAgain == nil) || len(stmts) != len(again) {
			t.Fatalf("two parses differ: %d, %v, %v then %d, %v, %v", len(stmts), array, err, len(again), arrayAgain, errAgain)
		}
		if err != nil {
			e := fuzzcheck.RequireInvalid(t, err)
			if !array {
				for _, fe := range e.Fields {
					if strings.HasPrefix(fe.Field, "statements[") {
						t.Fatalf("a single statement's fault is named %q", fe.Field)
					}
				}
			}
			return
		}
		if n := len(stmts); n == 0 || n > MaxBatch || (!array && n != 1) {
			t.Fatalf("%d statements accepted (array %v)", n, array)
		}
		ids := map[string]bool{}
		for i, s := range stmts {
			checkStatementRead(t, s)
			if !bytes.Equal(s.Content.Hash, again[i].Content.Hash) {
				t.Fatalf("statement %d hashes differently on a second parse", i)
			}
			if array && s.Prefix != "statements["+strconv.Itoa(i)+"]." || !array && s.Prefix != "" {
				t.Fatalf("statement %d has prefix %q", i, s.Prefix)
			}
			if s.ID != "" {
				if ids[s.ID] {
					t.Fatalf("id %s accepted twice in one batch", s.ID)
				}
				ids[s.ID] = true
			}
			checkStatementStored(t, s)
		}
		if !array {
			batch, isArray, err := ParseStatements(append(append([]byte("["), stmts[0].Raw...), ']'))
			if err != nil || !isArray || len(batch) != 1 || !bytes.Equal(batch[0].Content.Hash, stmts[0].Content.Hash) {
				t.Fatalf("a valid statement is refused or read otherwise in a batch of one: %v", err)
			}
		}
	})
}

// checkStatementRead checks what the service reads from an accepted statement.
func checkStatementRead(t *testing.T, s Statement) {
	t.Helper()
	if !json.Valid(s.Raw) || len(s.Content.Hash) != 32 {
		t.Fatalf("raw %q or hash %x", s.Raw, s.Content.Hash)
	}
	if s.ID != "" && (!ValidUUID(s.ID) || strings.ToLower(s.ID) != s.ID) {
		t.Fatalf("id %q", s.ID)
	}
	if !models.ValidIRI(s.Verb) {
		t.Fatalf("verb %q is not an IRI", s.Verb)
	}
	if s.Timestamp != nil && !models.InTimeRange(*s.Timestamp) {
		t.Fatalf("timestamp %v is out of range", s.Timestamp)
	}
	if (s.Timestamp == nil) != (s.Content.Timestamp == nil) {
		t.Fatal("the timestamp and the content's timestamp disagree")
	}
	if f := s.Facts; f.Failed && (f.Completed || f.Passed) {
		t.Fatalf("a failure that is also a completion or pass: %+v", f)
	}
	if s.Version != "" && !validStatementVersion(s.Version) {
		t.Fatalf("version %q", s.Version)
	}
	for _, sha := range s.Attachments {
		if !validSHA2(sha) || strings.ToLower(sha) != sha {
			t.Fatalf("attachment digest %q", sha)
		}
	}
}

// checkStatementStored re-serialises a statement as jsonb does (properties reordered,
// white space dropped, numbers as written) and requires the same reading and content.
func checkStatementStored(t *testing.T, s Statement) {
	t.Helper()
	var m any
	if err := decodeNumbers(s.Raw, &m); err != nil {
		t.Fatal(err)
	}
	stored, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := ParseStatements(stored)
	if err != nil {
		t.Fatalf("the stored form %s is refused: %v", stored, err)
	}
	b := back[0]
	if !s.Content.Matches(b.Content) || b.ID != s.ID || b.Verb != s.Verb || b.Facts != s.Facts || b.Version != s.Version ||
		len(b.Attachments) != len(s.Attachments) {
		t.Fatalf("the stored form reads otherwise:\n%+v\n%+v", s, b)
	}
}
