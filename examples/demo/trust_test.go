package demo

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"cyberskills/models/clocktest"
)

func TestQuarterNamesThePeriodTheEstablishmentTakes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		now  time.Time
		k    int
		want string
	}{
		{time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC), 0, "2027-Q1"},
		{time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), 1, "2027-Q2"},
		{time.Date(2027, 11, 30, 0, 0, 0, 0, time.UTC), 1, "2028-Q1"},
		{time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), 0, "2028-Q1"},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), 1, "2027-Q1"},
	} {
		if got := quarter(c.now, c.k); got != c.want {
			t.Errorf("quarter(%s, %d) = %s, want %s", c.now, c.k, got, c.want)
		}
	}
}

// TestTheSameSeedDrawsTheSamePeople: the demo is deterministic, the same staff and
// evidence on every run as of one instant; no record is dated after it.
func TestTheSameSeedDrawsTheSamePeople(t *testing.T) {
	t.Parallel()
	now := clocktest.Now()
	reqs := []requirement{{"firewall-config", 3, "essential"}, {"backup-recovery", 2, "desirable"}}
	draw := func() ([]person, []evidence) {
		rng := rand.New(rand.NewPCG(seed, 7))
		people := staffOf(trusts[0], rng, now)
		var records []evidence
		for _, p := range people {
			records = append(records, evidenceOf(p, reqs, 0.7, true, rng, now)...)
		}
		return people, records
	}
	people, records := draw()
	again, recordsAgain := draw()
	if !reflect.DeepEqual(people, again) || !reflect.DeepEqual(records, recordsAgain) {
		t.Fatal("two draws from one seed differ")
	}
	for _, e := range records {
		if e.assessed.After(now) {
			t.Fatalf("%+v is assessed after now (%s)", e, clocktest.Describe())
		}
	}
	if len(people) != trusts[0].clinical+trusts[0].admin+trusts[0].digital+1 || len(records) == 0 {
		t.Fatalf("%d people, %d records", len(people), len(records))
	}
}
