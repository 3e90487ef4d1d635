package models_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

func TestParseCompletions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const item = `{"completion_id":"C1","organisation":"RJ1","staff_external_id":"E1","course":"FW-201","completed_at":"2026-03-01T16:30:00+01:00","passed":true,"score":87.5}`
	got, err := models.ParseCompletions([]byte(item), "academy", true, now)
	score := 87.5
	want := models.Completion{CompletionID: "C1", Provider: "academy", Organisation: "RJ1", StaffExternalID: "E1", Course: "FW-201",
		CompletedAt: time.Date(2026, 3, 1, 15, 30, 0, 0, time.UTC), Passed: true, Score: &score}
	if err != nil || len(got) != 1 || got[0].CompletionID != want.CompletionID || got[0].Provider != want.Provider ||
		!got[0].CompletedAt.Equal(want.CompletedAt) || !got[0].Passed || *got[0].Score != 87.5 {
		t.Fatalf("single: %+v, %v", got, err)
	}
	batch, err := models.ParseCompletions([]byte(`[`+item+`,`+strings.Replace(item, `"C1"`, `"C2"`, 1)+`]`), "academy", true, now)
	if err != nil || len(batch) != 2 || batch[1].CompletionID != "C2" {
		t.Fatalf("batch: %+v, %v", batch, err)
	}

	cases := []struct {
		name, body, provider string
		ownOnly              bool
		fields               []string
	}{
		{"bad time in a batch", `[` + item + `,` + strings.Replace(item, `"C1"`, `"C2"`, 1) + `,` + strings.Replace(item, `"C1"`, `"C3"`, 1) + `,` +
			strings.NewReplacer(`"C1"`, `"C4"`, "2026-03-01T16:30:00+01:00", "01/03/2026").Replace(item) + `]`, "academy", true, []string{"items[3].completed_at"}},
		{"future time", strings.Replace(item, "2026-03-01T16:30:00+01:00", "2026-03-03T00:00:00Z", 1), "academy", true, []string{"completed_at"}},
		{"missing fields", `{"completion_id":"C1"}`, "academy", true, []string{"organisation", "staff_external_id", "course", "passed", "completed_at"}},
		{"unknown field", strings.Replace(item, `"passed"`, `"colour":"blue","passed"`, 1), "academy", true, []string{"colour"}},
		{"wrong type", `[` + strings.Replace(item, `"passed":true`, `"passed":"yes"`, 1) + `]`, "academy", true, []string{"items[0].passed"}},
		{"another provider for a trainer", strings.Replace(item, `{`, `{"provider":"rival",`, 1), "academy", true, []string{"provider"}},
		{"no provider for an admin", item, "", false, []string{"provider"}},
		{"a repeated id", `[` + item + `,` + item + `]`, "academy", true, []string{"items[1].completion_id"}},
		{"negative score", strings.Replace(item, "87.5", "-1", 1), "academy", true, []string{"score"}},
		{"empty batch", `[]`, "academy", true, []string{"items"}},
		{"not an object", `[1]`, "academy", true, []string{"items[0]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := models.ParseCompletions([]byte(c.body), c.provider, c.ownOnly, now)
			if got := fuzzcheck.FieldsOf(t, err); strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Fatalf("error %v with fields %v, want %v", err, got, c.fields)
			}
		})
	}
	// An admin names the provider per item or for the whole request.
	admin, err := models.ParseCompletions([]byte(`[`+strings.Replace(item, `{`, `{"provider":"rival",`, 1)+`,`+strings.Replace(item, `"C1"`, `"C2"`, 1)+`]`), "academy", false, now)
	if err != nil || admin[0].Provider != "rival" || admin[1].Provider != "academy" {
		t.Fatalf("admin: %+v, %v", admin, err)
	}
}

func TestCompletionPayloadHash(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 15, 30, 0, 0, time.UTC)
	s1, s2, s3 := 87.5, 87.50, 90.0
	base := models.Completion{CompletionID: "C1", Provider: "academy", Organisation: "RJ1", StaffExternalID: "E1", Course: "FW-201", CompletedAt: at, Passed: true, Score: &s1}
	with := func(f func(c *models.Completion)) models.Completion { c := base; f(&c); return c }
	cases := []struct {
		name string
		c    models.Completion
		same bool
	}{
		{"the same payload", base, true},
		{"the same instant in another zone", with(func(c *models.Completion) { c.CompletedAt = at.In(time.FixedZone("BST", 3600)) }), true},
		{"the same score written otherwise", with(func(c *models.Completion) { c.Score = &s2 }), true},
		{"another provider or id: they are the key, not the payload", with(func(c *models.Completion) { c.Provider, c.CompletionID = "x", "y" }), true},
		{"not passed", with(func(c *models.Completion) { c.Passed = false }), false},
		{"another score", with(func(c *models.Completion) { c.Score = &s3 }), false},
		{"no score", with(func(c *models.Completion) { c.Score = nil }), false},
		{"another time", with(func(c *models.Completion) { c.CompletedAt = at.Add(time.Millisecond) }), false},
		{"another person", with(func(c *models.Completion) { c.StaffExternalID = "E2" }), false},
		{"another organisation", with(func(c *models.Completion) { c.Organisation = "RJ2" }), false},
		{"another course", with(func(c *models.Completion) { c.Course = "FW-202" }), false},
	}
	for _, c := range cases {
		if got := bytes.Equal(base.PayloadHash(), c.c.PayloadHash()); got != c.same {
			t.Errorf("%s: same hash %v, want %v", c.name, got, c.same)
		}
	}
	if len(base.PayloadHash()) != 32 {
		t.Fatal("not a SHA-256")
	}
}

// A batch holds from 1 to MaxCompletionBatch completions: the limit is exact.
func TestParseCompletionsBatchLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	batch := func(n int) []byte {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(`{"completion_id":"C%d","organisation":"RJ1","staff_external_id":"E1","course":"FW-201","completed_at":"2026-03-01T16:30:00Z","passed":true}`, i)
		}
		return []byte("[" + strings.Join(items, ",") + "]")
	}
	if got, err := models.ParseCompletions(batch(models.MaxCompletionBatch), "academy", true, now); err != nil || len(got) != models.MaxCompletionBatch {
		t.Fatalf("a full batch: %d, %v", len(got), err)
	}
	for _, n := range []int{0, models.MaxCompletionBatch + 1} {
		_, err := models.ParseCompletions(batch(n), "academy", true, now)
		var e *models.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "items" {
			t.Errorf("a batch of %d: %v, want an error on items", n, err)
		}
	}
}
