package service

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"cyberskills/models"
)

// Every bulk import runs as a job: at once in its request (the answer is the import's
// report, as it always was), or in the background (Prefer: respond-async). Either way
// the job's row shows its progress while it runs and keeps its answer, and the evidence
// an import writes names its job.

// JobSpec says what a job about to start is.
type JobSpec struct {
	Kind       models.JobKind
	Org        *models.OrgRef // the organisation written into; nil for reference data
	Async      bool
	BytesTotal *int64 // the file's size, when known
	RequestID  string
}

// jobRunner runs this server's background jobs: each waits for one of a few slots (an
// import holds a database connection and a core), writes its heartbeat and progress
// every beat, and ends within the import budget. A shutdown waits for the jobs running,
// then stops them.
type jobRunner struct {
	owner   string
	beat    time.Duration
	timeout time.Duration
	slots   chan struct{}
	ctx     context.Context // ends when the server stops its jobs
	stop    context.CancelFunc
	wg      sync.WaitGroup
}

// Defaults of the job settings.
const (
	defaultJobBeat  = time.Second
	defaultJobSlots = 2
)

func newJobRunner(cfg Config) *jobRunner {
	r := &jobRunner{owner: cfg.Instance, beat: cfg.JobHeartbeat, timeout: cfg.JobTimeout, slots: make(chan struct{}, max(cfg.JobSlots, 1))}
	if r.owner == "" {
		host, _ := os.Hostname()
		r.owner = fmt.Sprintf("%s pid %d", host, os.Getpid())
	}
	if r.beat <= 0 {
		r.beat = defaultJobBeat
	}
	r.ctx, r.stop = context.WithCancel(context.Background())
	return r
}

// StartJob records a job and returns it with the run an import carries in its context:
// its id, which the evidence it writes names, and its progress.
func (s *Service) StartJob(ctx context.Context, p models.Principal, spec JobSpec) (models.Job, *models.JobRun, error) {
	n := models.NewJob{Kind: spec.Kind, TokenID: p.TokenID, RequestID: spec.RequestID, Async: spec.Async,
		BytesTotal: spec.BytesTotal, Owner: s.jobs.owner}
	if spec.Org != nil {
		n.OrgID = spec.Org.ID
	}
	job, err := s.db.CreateJob(ctx, n)
	if err != nil {
		return models.Job{}, nil, err
	}
	phase := models.PhaseReading
	if spec.Async {
		phase = models.PhaseQueued
	}
	return job, &models.JobRun{ID: job.ID, Progress: models.NewImportProgress(phase)}, nil
}

// Beat writes a job's heartbeat and progress every beat until the returned function is
// called: a synchronous import's job, which runs in its request.
func (s *Service) Beat(run *models.JobRun) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(s.jobs.beat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), s.jobs.beat)
			_ = s.db.JobHeartbeat(ctx, run.ID, run.Progress) // a missed beat is made up by the next; a minute of them gives the job up
			cancel()
		}
	}()
	return func() { close(done); wg.Wait() }
}

// FinishJob records a job's answer. It runs on a context of its own, so that an import
// stopped by its caller or the server still records why.
func (s *Service) FinishJob(ctx context.Context, run *models.JobRun, succeeded bool, r *models.JobResult) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return s.db.FinishJob(ctx, run.ID, succeeded, run.Progress, r)
}

// RunJob runs an asynchronous job in the background and returns at once. ctx lends its
// values (the request's principal and instant), not its end: the caller going away does
// not stop the job, the server stopping does. The job waits for a slot, then do runs the
// import and says its answer, which is stored; audit, the import's own audit entry,
// commits with the import and gets the answer's status. discard releases what do would
// have, when the job never runs (given up while queued, or the server stopping).
func (s *Service) RunJob(ctx context.Context, run *models.JobRun, audit *models.AuditEntry,
	do func(ctx context.Context) (*models.JobResult, bool), discard func()) {
	r := s.jobs
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		jctx, cancel := context.WithCancel(models.WithAudit(context.WithoutCancel(ctx), audit))
		defer cancel()
		defer context.AfterFunc(r.ctx, cancel)()
		stopBeat := s.Beat(run)
		defer stopBeat()
		if !r.acquire(jctx) || s.db.StartJob(jctx, run.ID) != nil {
			discard()
			s.giveUp(run)
			return
		}
		defer r.release()
		run.Progress.Phase(models.PhaseReading)
		if r.timeout > 0 {
			var stop context.CancelFunc
			jctx, stop = context.WithTimeout(jctx, r.timeout)
			defer stop()
		}
		result, ok := do(models.WithJob(jctx, run))
		_ = s.FinishJob(jctx, run, ok, result) // nothing to tell: a job left running is given up by the sweep
		if audit != nil && result != nil {
			status := result.Status
			audit.Status = &status
			actx, acancel := context.WithTimeout(context.WithoutCancel(jctx), 5*time.Second)
			defer acancel()
			_ = s.db.RecordAudit(actx, *audit)
		}
	}()
}

// giveUp fails a job that never ran: the server stopped first, or the sweep gave it up.
func (s *Service) giveUp(run *models.JobRun) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.db.FinishJob(ctx, run.ID, false, run.Progress, nil)
}

func (r *jobRunner) acquire(ctx context.Context) bool {
	select {
	case r.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (r *jobRunner) release() { <-r.slots }

// StopJobs waits up to timeout for the background jobs, then stops those still running:
// their transactions roll back, and each records that it failed. It returns when every
// job has ended.
func (s *Service) StopJobs(timeout time.Duration) {
	done := make(chan struct{})
	go func() { s.jobs.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		s.jobs.stop()
		<-done
	}
	s.jobs.stop()
}

// FailAbandonedJobs gives up, as a server starts, the jobs its previous run left and
// those of servers that have gone (see repository.FailAbandonedJobs).
func (s *Service) FailAbandonedJobs(ctx context.Context) (int, error) {
	return s.db.FailAbandonedJobs(ctx, s.jobs.owner)
}

// Job is one job within the caller's scope.
func (s *Service) Job(ctx context.Context, p models.Principal, id int64) (models.Job, error) {
	return s.db.GetJob(ctx, p.Scope(), id)
}

// Jobs lists the jobs within the caller's scope, newest first.
func (s *Service) Jobs(ctx context.Context, p models.Principal, f models.JobFilter, page models.Page) ([]models.Job, string, error) {
	return s.db.ListJobs(ctx, p.Scope(), f, page)
}
