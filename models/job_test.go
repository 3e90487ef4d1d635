package models

import (
	"fmt"
	"testing"
	"time"
)

func TestJobEstimateReadsTheRateFromRowsAndTheTimeLeftFromBytes(t *testing.T) {
	started := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	total := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name     string
		job      Job
		rate     string
		secsLeft string
	}{
		{"not started", Job{Phase: PhaseQueued, Seconds: 0}, "<nil>", "<nil>"},
		{"a quarter read in 10 s", Job{Phase: PhaseReading, StartedAt: &started, Seconds: 10,
			Progress: JobProgress{BytesTotal: total(400), BytesRead: 100, RowsRead: 1000}}, "100", "30"},
		{"size unknown", Job{Phase: PhaseReading, StartedAt: &started, Seconds: 4,
			Progress: JobProgress{BytesRead: 100, RowsRead: 10}}, "2.5", "<nil>"},
		{"nothing read yet", Job{Phase: PhaseReading, StartedAt: &started, Seconds: 1,
			Progress: JobProgress{BytesTotal: total(400)}}, "0", "<nil>"},
		{"checking: reading is over", Job{Phase: PhaseChecking, StartedAt: &started, Seconds: 20,
			Progress: JobProgress{BytesTotal: total(400), BytesRead: 400, RowsRead: 4000}}, "200", "<nil>"},
	} {
		j := tc.job
		j.Estimate()
		if got := show(j.RowsPerSecond); got != tc.rate {
			t.Errorf("%s: rate %s, want %s", tc.name, got, tc.rate)
		}
		if got := show(j.SecondsLeft); got != tc.secsLeft {
			t.Errorf("%s: seconds left %s, want %s", tc.name, got, tc.secsLeft)
		}
	}
}

func show(f *float64) string {
	if f == nil {
		return "<nil>"
	}
	return fmt.Sprint(*f)
}

func TestImportProgressCountsAndNobodyWatchingCostsNothing(t *testing.T) {
	var none *ImportProgress // an import nobody watches
	none.Row()
	none.Read(10)
	none.Phase(PhaseChecking)
	p := NewImportProgress(PhaseReading)
	p.Read(100)
	p.Row()
	p.Row()
	p.Checked(2)
	p.Phase(PhaseApplying)
	p.Applied(1)
	phase, got := p.Snapshot()
	if phase != PhaseApplying || got.BytesRead != 100 || got.RowsRead != 2 || got.RowsChecked != 2 || got.RowsApplied != 1 {
		t.Errorf("%s %+v", phase, got)
	}
}
