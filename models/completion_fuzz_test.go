package models_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzParseCompletions checks the completions a training provider posts: an accepted
// item satisfies every rule check promises, for a trainer (its own provider only) and
// for an admin alike; a refusal is EINVALID naming items[i] fields; and the payload hash
// that tells a retry from a reuse ignores how the time and score were written.
func FuzzParseCompletions(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../testdata/fuzz-seeds/completions/*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, who := range []struct {
			provider string
			ownOnly  bool
		}{{"nhs-digital-academy", true}, {"", false}} {
			items, err := models.ParseCompletions(body, who.provider, who.ownOnly, fuzzcheck.Now)
			again, errAgain := models.ParseCompletions(body, who.provider, who.ownOnly, fuzzcheck.Now)
			if (err == nil) != (errAgain == nil) || len(items) != len(again) {
				t.Fatalf("two parses differ: %v then %v", err, errAgain)
			}
			batch := len(bytes.TrimSpace(body)) > 0 && bytes.TrimSpace(body)[0] == '['
			if err != nil {
				e := fuzzcheck.RequireInvalid(t, err)
				for _, fe := range e.Fields {
					if batch != strings.HasPrefix(fe.Field, "items") {
						t.Fatalf("field %q for a body that is a batch: %v", fe.Field, batch)
					}
				}
				continue
			}
			if n := len(items); n == 0 || n > models.MaxCompletionBatch || (!batch && n != 1) {
				t.Fatalf("%d completions accepted (batch %v)", n, batch)
			}
			keys := map[[2]string]bool{}
			for i, c := range items {
				checkCompletion(t, c, who.provider, who.ownOnly)
				if want := "items[" + strconv.Itoa(i) + "]."; batch && c.Prefix != want || !batch && c.Prefix != "" {
					t.Fatalf("item %d has prefix %q", i, c.Prefix)
				}
				key := [2]string{c.Provider, c.CompletionID}
				if keys[key] {
					t.Fatalf("completion %v accepted twice in one batch", key)
				}
				keys[key] = true
				if !bytes.Equal(c.PayloadHash(), again[i].PayloadHash()) {
					t.Fatalf("item %d hashes differently on a second parse", i)
				}
				checkCompletionRetry(t, c, who.provider, who.ownOnly)
			}
			if !batch {
				one, err := models.ParseCompletions(append(append([]byte("["), body...), ']'), who.provider, who.ownOnly, fuzzcheck.Now)
				if err != nil || len(one) != 1 || !bytes.Equal(one[0].PayloadHash(), items[0].PayloadHash()) {
					t.Fatalf("a valid completion is refused or read otherwise in a batch of one: %v", err)
				}
			}
		}
	})
}

func checkCompletion(t *testing.T, c models.Completion, provider string, ownOnly bool) {
	t.Helper()
	switch {
	case c.CompletionID == "" || len(c.CompletionID) > 200 || !models.Printable(c.CompletionID):
		t.Fatalf("completion_id %q", c.CompletionID)
	case c.Provider == "" || ownOnly && c.Provider != provider:
		t.Fatalf("provider %q for a token of %q (own only %v)", c.Provider, provider, ownOnly)
	case c.Organisation == "" || len(c.Organisation) > 40:
		t.Fatalf("organisation %q", c.Organisation)
	case c.StaffExternalID == "" || len(c.StaffExternalID) > 100:
		t.Fatalf("staff_external_id %q", c.StaffExternalID)
	case c.Course == "" || len(c.Course) > 64:
		t.Fatalf("course %q", c.Course)
	case c.CompletedAt.After(fuzzcheck.Now.Add(models.FutureTolerance)):
		t.Fatalf("completed_at %v is in the future", c.CompletedAt)
	case c.Score != nil && !(*c.Score >= 0 && *c.Score < 10000):
		t.Fatalf("score %v", *c.Score)
	}
	for _, s := range []string{c.CompletionID, c.Provider, c.Organisation, c.StaffExternalID, c.Course} {
		if !utf8.ValidString(s) {
			t.Fatalf("%q is not UTF-8", s)
		}
	}
}

// checkCompletionRetry posts c again with the time in another zone and the score in its
// shortest form, alone: it must be accepted with the same payload hash.
func checkCompletionRetry(t *testing.T, c models.Completion, provider string, ownOnly bool) {
	t.Helper()
	passed := c.Passed
	retry, err := json.Marshal(models.NewCompletion{
		CompletionID: c.CompletionID, Provider: c.Provider, Organisation: c.Organisation,
		StaffExternalID: c.StaffExternalID, Course: c.Course, Passed: &passed, Score: c.Score,
		CompletedAt: c.CompletedAt.In(time.FixedZone("", 5*3600+30*60)).Format(time.RFC3339Nano),
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := models.ParseCompletions(retry, provider, ownOnly, fuzzcheck.Now)
	if err != nil {
		t.Fatalf("the same completion written otherwise is refused: %s: %v", retry, err)
	}
	if !bytes.Equal(back[0].PayloadHash(), c.PayloadHash()) {
		t.Fatalf("the same completion written otherwise hashes differently: %s", retry)
	}
}
