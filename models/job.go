package models

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"time"
)

// JobKind is what a job does.
type JobKind string

// The bulk imports, which run as jobs. A framework import is not one: a framework is a
// file of a few hundred rows, read whole and published in well under a second.
const (
	JobStaffImport        JobKind = "staff_import"
	JobEvidenceImport     JobKind = "evidence_import"
	JobOrganisationImport JobKind = "organisation_import"
)

// JobKinds lists every kind of job.
var JobKinds = []JobKind{JobStaffImport, JobEvidenceImport, JobOrganisationImport}

// Valid reports whether k is a known kind.
func (k JobKind) Valid() bool {
	for _, x := range JobKinds {
		if k == x {
			return true
		}
	}
	return false
}

// JobState is where a job is in its life.
type JobState string

// A job is queued until a slot is free, then runs, and ends succeeded (its import was
// applied, and its answer is there) or failed (nothing was applied). A running job in
// phase done has been applied and is recording its answer.
const (
	JobQueued    JobState = "queued"
	JobRunning   JobState = "running"
	JobSucceeded JobState = "succeeded"
	JobFailed    JobState = "failed"
)

// Finished reports whether the job has ended.
func (s JobState) Finished() bool { return s == JobSucceeded || s == JobFailed }

// Valid reports whether s is a known state.
func (s JobState) Valid() bool {
	switch s {
	case JobQueued, JobRunning, JobSucceeded, JobFailed:
		return true
	}
	return false
}

// JobPhase is what a running import is doing.
type JobPhase string

// An import reads its file row by row (parsing it into a staging table), checks the rows
// against each other and the database, and applies them in one transaction.
const (
	PhaseQueued   JobPhase = "queued"
	PhaseReading  JobPhase = "reading"
	PhaseChecking JobPhase = "checking"
	PhaseApplying JobPhase = "applying"
	PhaseDone     JobPhase = "done"
)

// Why a job failed without an answer of its own.
const (
	// JobAbandoned: the server running it stopped (or stopped writing its heartbeat) first.
	JobAbandoned = "abandoned"
)

// JobProgress counts what an import has done.
type JobProgress struct {
	// BytesTotal is the file's size, when known (an asynchronous job's upload, or a
	// request with a Content-Length).
	BytesTotal  *int64 `json:"bytes_total,omitempty" example:"48000000"`
	BytesRead   int64  `json:"bytes_read" example:"12000000"`
	RowsRead    int    `json:"rows_read" example:"250000"` // parsed and staged
	RowsChecked int    `json:"rows_checked" example:"0"`   // checked against each other and the database
	RowsApplied int    `json:"rows_applied" example:"0"`   // written (inserted, updated or found unchanged)
}

// JobResult is the answer an import gave, or would have given: the same status and body
// as the synchronous request's.
type JobResult struct {
	Status      int             `json:"status" example:"200"`
	ContentType string          `json:"content_type" example:"application/json"`
	Body        json.RawMessage `json:"body" swaggertype:"object"`
}

// Job is an import as it runs or ran.
type Job struct {
	ID           int64       `json:"id" example:"12"`
	Kind         JobKind     `json:"kind" enums:"staff_import,evidence_import,organisation_import" example:"staff_import"`
	Organisation string      `json:"organisation,omitempty" example:"RJ1"` // empty for an administrator's import of reference data
	Token        int64       `json:"token,omitempty" example:"7"`          // the token that started it
	Async        bool        `json:"async" example:"true"`                 // started with Prefer: respond-async
	State        JobState    `json:"state" enums:"queued,running,succeeded,failed" example:"running"`
	Phase        JobPhase    `json:"phase" enums:"queued,reading,checking,applying,done" example:"reading"`
	Progress     JobProgress `json:"progress"`
	// RowsPerSecond is how many rows a second the job has read since it started (while
	// reading, the reading rate; after, the whole job's).
	RowsPerSecond *float64 `json:"rows_per_second,omitempty" example:"41000"`
	// SecondsLeft estimates how long the reading phase has to go, from the share of the
	// file read so far; checking and applying come after it.
	SecondsLeft *float64   `json:"estimated_seconds_left,omitempty" example:"3.5"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	HeartbeatAt time.Time  `json:"heartbeat_at"` // the running server's last sign of life
	// Failure says why a failed job has no answer of its own (abandoned: its server stopped).
	Failure string `json:"failure,omitempty" example:"abandoned"`
	// Result is the import's answer, once finished (kept a week; emptied when a person it
	// names is erased, which ResultErased then says).
	Result       *JobResult `json:"result,omitempty"`
	ResultErased bool       `json:"result_erased,omitempty"`
	// Seconds is how long the job has run, or ran (by the database's clock).
	Seconds float64 `json:"seconds" example:"4.2"`
	// RequestID is the request that started it.
	RequestID string `json:"request_id,omitempty" example:"4d3de0927b3dbb38bab614ecb9f3cb5f"`
}

// Estimate fills in the rate and the time left from the progress and the time elapsed.
// The rate is rows read over the time run; the estimate is the reading phase's, from the
// share of the file's bytes read: rows vary in length, bytes do not lie about the rest.
func (j *Job) Estimate() {
	j.RowsPerSecond, j.SecondsLeft = nil, nil
	secs := j.Seconds
	if j.StartedAt == nil || secs <= 0 {
		return
	}
	rate := float64(j.Progress.RowsRead) / secs
	j.RowsPerSecond = &rate
	p := j.Progress
	if j.Phase != PhaseReading || p.BytesTotal == nil || p.BytesRead <= 0 || p.BytesRead > *p.BytesTotal {
		return
	}
	left := secs * float64(*p.BytesTotal-p.BytesRead) / float64(p.BytesRead)
	j.SecondsLeft = &left
}

// JobFilter narrows a list of jobs.
type JobFilter struct {
	State JobState
	Kind  JobKind
}

// NewJob is a job about to start.
type NewJob struct {
	Kind       JobKind
	OrgID      int64 // 0: reference data, for administrators
	TokenID    int64
	RequestID  string
	Async      bool
	BytesTotal *int64
	Owner      string
}

// ImportProgress is what a running import has done so far, counted as it goes and read
// by the job's heartbeat. Its methods are safe from several goroutines, and on nil (an
// import that nobody watches).
type ImportProgress struct {
	phase                                 atomic.Value // JobPhase
	bytesRead, rowsRead, checked, applied atomic.Int64
}

// NewImportProgress starts counting, in phase.
func NewImportProgress(phase JobPhase) *ImportProgress {
	p := &ImportProgress{}
	p.phase.Store(phase)
	return p
}

// Phase records the phase the import has reached.
func (p *ImportProgress) Phase(ph JobPhase) {
	if p != nil {
		p.phase.Store(ph)
	}
}

// Read counts bytes read from the file.
func (p *ImportProgress) Read(n int) {
	if p != nil {
		p.bytesRead.Add(int64(n))
	}
}

// Row counts a row read.
func (p *ImportProgress) Row() {
	if p != nil {
		p.rowsRead.Add(1)
	}
}

// Rows sets the rows read, for an import that counts them at once.
func (p *ImportProgress) Rows(n int) {
	if p != nil {
		p.rowsRead.Store(int64(n))
	}
}

// Checked sets the rows checked.
func (p *ImportProgress) Checked(n int) {
	if p != nil {
		p.checked.Store(int64(n))
	}
}

// Applied sets the rows applied.
func (p *ImportProgress) Applied(n int) {
	if p != nil {
		p.applied.Store(int64(n))
	}
}

// Snapshot is the progress now.
func (p *ImportProgress) Snapshot() (JobPhase, JobProgress) {
	if p == nil {
		return PhaseQueued, JobProgress{}
	}
	ph, _ := p.phase.Load().(JobPhase)
	return ph, JobProgress{BytesRead: p.bytesRead.Load(), RowsRead: int(p.rowsRead.Load()),
		RowsChecked: int(p.checked.Load()), RowsApplied: int(p.applied.Load())}
}

// JobRun is the job an import runs as: its id, which evidence it writes names, and its
// progress. It travels with the import's context to the storage, which counts rows into
// it and marks the job applied in the import's own transaction.
type JobRun struct {
	ID       int64
	Progress *ImportProgress
}

type jobContextKey struct{}

// WithJob carries the job an import runs as.
func WithJob(ctx context.Context, j *JobRun) context.Context {
	return context.WithValue(ctx, jobContextKey{}, j)
}

// JobOf is the job an import runs as, or nil.
func JobOf(ctx context.Context) *JobRun {
	j, _ := ctx.Value(jobContextKey{}).(*JobRun)
	return j
}

// ProgressOf is the progress of the job an import runs as, or nil (which counts nothing).
func ProgressOf(ctx context.Context) *ImportProgress {
	if j := JobOf(ctx); j != nil {
		return j.Progress
	}
	return nil
}
