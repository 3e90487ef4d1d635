package main

import (
	"bytes"
	"testing"

	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
)

// TestDemoAfterTheQuickStart takes the path README.md lays out: the quick start, then
// the demo on the same database ("Next: the demo"). The analyst's national headline
// still publishes the three survey measures, with the figures the README gives: the
// quick start's people, in RJ1 beside the demo's, give RJ1 (designed with a basic and an
// incident response gap only) an advanced skills gap too, so seven of the ten trusts
// have each gap. The demo's design keeps every measure publishable only while no count
// equals the trusts and each ICB has trusts with and without each gap; this test says
// the quick start's data does not undo that.
func TestDemoAfterTheQuickStart(t *testing.T) {
	db, url := pgtest.NewURL(t)
	runQuickStart(t, url)
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := run([]string{"demo"}, clocktest.Clock{}, &out, &out); err != nil {
		t.Fatalf("the demo after the quick start: %v\n%s", err, out.String())
	}
	checkHeadlinePublishes(t, surveyHeadline(t, apiReader(t, db)),
		map[string]int{"basic_skills_gap": 7, "incident_response_gap": 7, "advanced_skills_gap": 7})
}
