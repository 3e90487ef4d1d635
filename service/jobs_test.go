package service

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository/pgtest"
)

// TestStoppingTheServerStopsTheJobsStillRunning runs three background jobs on a
// server with one slot: one that finishes, one that waits for its context, and one
// queued behind them. Stopping waits its time, then stops the second, which fails
// with its answer, and gives up the third, which never ran.
func TestStoppingTheServerStopsTheJobsStillRunning(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	svc := New(db, clocktest.Clock{}, Config{JobHeartbeat: 10 * time.Millisecond, JobSlots: 1})
	ctx := context.Background()
	admin := models.Principal{Role: models.RoleAdmin}
	start := func() *models.JobRun {
		_, run, err := svc.StartJob(ctx, admin, JobSpec{Kind: models.JobOrganisationImport, Async: true})
		if err != nil {
			t.Fatal(err)
		}
		return run
	}
	answer := func(status int) *models.JobResult {
		return &models.JobResult{Status: status, ContentType: "application/json", Body: []byte(`{}`)}
	}
	quick, stuck, queued := start(), start(), start()
	running := make(chan struct{})
	var discarded atomic.Bool
	svc.RunJob(ctx, quick, nil, func(context.Context) (*models.JobResult, bool) {
		return answer(200), true
	}, func() {})
	// The quick job ends before the stuck one takes the slot.
	waitFor(t, func() bool { j, _ := svc.Job(ctx, admin, quick.ID); return j.State == models.JobSucceeded })
	svc.RunJob(ctx, stuck, nil, func(ctx context.Context) (*models.JobResult, bool) {
		close(running)
		<-ctx.Done()
		return answer(503), false
	}, func() {})
	<-running
	svc.RunJob(ctx, queued, nil, func(context.Context) (*models.JobResult, bool) {
		t.Error("the queued job ran")
		return nil, false
	}, func() { discarded.Store(true) })

	svc.StopJobs(50 * time.Millisecond)
	for run, want := range map[*models.JobRun]models.JobState{quick: models.JobSucceeded, stuck: models.JobFailed, queued: models.JobFailed} {
		j, err := svc.Job(ctx, admin, run.ID)
		if err != nil || j.State != want {
			t.Errorf("job %d: %+v (%v), want %s", run.ID, j, err, want)
		}
	}
	if j, _ := svc.Job(ctx, admin, stuck.ID); j.Result == nil || j.Result.Status != 503 {
		t.Errorf("the stopped job's answer %+v", j.Result)
	}
	if j, _ := svc.Job(ctx, admin, queued.ID); j.Failure != models.JobAbandoned || !discarded.Load() {
		t.Errorf("the queued job %+v, its file released %v", j, discarded.Load())
	}
}

// waitFor polls cond until it holds, failing the test after five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	if !clocktest.Eventually(5*time.Second, 5*time.Millisecond, cond) {
		t.Fatal("timed out")
	}
}
