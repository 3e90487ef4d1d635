package service

import (
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

func TestAssuranceDue(t *testing.T) {
	now := clocktest.Now()
	wall := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC) // the process's clock, apart from the service's
	stored := models.AssuranceResult{Generation: 3, AsOf: now}
	yesterday := models.AssuranceResult{Generation: 3, AsOf: now.AddDate(0, 0, -1)}
	recent := assuranceRun{started: wall.Add(-time.Minute), changes: 5}
	old := assuranceRun{started: wall.Add(-time.Hour), changes: 5}
	for _, c := range []struct {
		name    string
		stored  models.AssuranceResult
		last    assuranceRun
		ran     bool
		changes int64
		want    bool
	}{
		{"asked for, never computed", models.AssuranceResult{}, assuranceRun{}, false, 0, true},
		{"computed by another leader: this one cannot know what changed", stored, assuranceRun{}, false, 0, true},
		{"nothing changed", stored, old, true, 5, false},
		{"a change within the interval waits", stored, recent, true, 6, false},
		{"a change after the interval is taken in", stored, old, true, 6, true},
		{"another day, nothing announced", yesterday, recent, true, 5, true},
		{"failed within the interval: not tried at every poll", models.AssuranceResult{}, assuranceRun{started: recent.started, failed: true}, true, 5, false},
		{"failed an interval ago: tried again", stored, assuranceRun{started: old.started, failed: true}, true, 5, true},
	} {
		if got := assuranceDue(c.stored, c.last, c.ran, c.changes, now, wall, 5*time.Minute); got != c.want {
			t.Errorf("%s: due %v, want %v", c.name, got, c.want)
		}
	}
}
