package repository

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// JobStaleAfter is how long a queued or running job may go without a heartbeat before
// it counts as abandoned: its server has gone. Servers beat every second, so a minute
// leaves room for a slow database without giving up a live job.
const JobStaleAfter = time.Minute

// JobResultLifetime is how long a job keeps its answer: a report lists rows of a file,
// which may name people, and a client reads it soon after the job ends.
const JobResultLifetime = 7 * 24 * time.Hour

type jobRow struct {
	ID           int64      `db:"id"`
	Kind         string     `db:"kind"`
	Organisation *string    `db:"organisation"`
	TokenID      *int64     `db:"token_id"`
	RequestID    *string    `db:"request_id"`
	Async        bool       `db:"async"`
	State        string     `db:"state"`
	Phase        string     `db:"phase"`
	Failure      *string    `db:"failure"`
	BytesTotal   *int64     `db:"bytes_total"`
	BytesRead    int64      `db:"bytes_read"`
	RowsRead     int        `db:"rows_read"`
	RowsChecked  int        `db:"rows_checked"`
	RowsApplied  int        `db:"rows_applied"`
	CreatedAt    time.Time  `db:"created_at"`
	StartedAt    *time.Time `db:"started_at"`
	FinishedAt   *time.Time `db:"finished_at"`
	HeartbeatAt  time.Time  `db:"heartbeat_at"`
	Seconds      float64    `db:"seconds"`
	ResultStatus *int       `db:"result_status"`
	ResultType   *string    `db:"result_type"`
	Result       []byte     `db:"result"`
	Erased       bool       `db:"erased"`
}

func (r jobRow) job() models.Job {
	j := models.Job{
		ID: r.ID, Kind: models.JobKind(r.Kind), Organisation: deref(r.Organisation), Token: derefInt(r.TokenID),
		RequestID: deref(r.RequestID), Async: r.Async, State: models.JobState(r.State), Phase: models.JobPhase(r.Phase),
		Failure: deref(r.Failure), CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		HeartbeatAt: r.HeartbeatAt, Seconds: r.Seconds, ResultErased: r.Erased,
		Progress: models.JobProgress{BytesTotal: r.BytesTotal, BytesRead: r.BytesRead, RowsRead: r.RowsRead,
			RowsChecked: r.RowsChecked, RowsApplied: r.RowsApplied},
	}
	if r.ResultStatus != nil && r.Result != nil {
		j.Result = &models.JobResult{Status: *r.ResultStatus, ContentType: deref(r.ResultType), Body: json.RawMessage(r.Result)}
	}
	j.Estimate()
	return j
}

// jobSelect reads jobs; the time they have run is the database's, as their timestamps are.
const jobSelect = `
	SELECT j.id, j.kind, o.code AS organisation, j.token_id, j.request_id, j.async, j.state, j.phase, j.failure,
	       j.bytes_total, j.bytes_read, j.rows_read, j.rows_checked, j.rows_applied,
	       j.created_at, j.started_at, j.finished_at, j.heartbeat_at,
	       COALESCE(extract(epoch FROM COALESCE(j.finished_at, now()) - j.started_at), 0)::float8 AS seconds,
	       j.result_status, j.result_type, j.result, j.result_erased_at IS NOT NULL AS erased
	  FROM jobs j LEFT JOIN organisations o ON o.id = j.organisation_id`

// CreateJob records a job about to start. A synchronous import's job runs at once (its
// request is already here); an asynchronous one waits in the queue for a slot. Creating
// an asynchronous job is its request's write, so the request's audit entry commits with
// it; a synchronous import's entry commits with the import itself.
func (db *DB) CreateJob(ctx context.Context, n models.NewJob) (models.Job, error) {
	const insert = `
		INSERT INTO jobs (kind, organisation_id, token_id, request_id, async, state, phase, owner, bytes_total, started_at)
		VALUES ($1, NULLIF($2, 0), NULLIF($3, 0), NULLIF($4, ''), $5, $6, $7, $8, $9, CASE WHEN $6 = 'running' THEN now() END)
		RETURNING id`
	state, phase := models.JobRunning, models.PhaseReading
	if n.Async {
		state, phase = models.JobQueued, models.PhaseQueued
	}
	args := []any{string(n.Kind), n.OrgID, n.TokenID, n.RequestID, n.Async, string(state), string(phase), n.Owner, n.BytesTotal}
	var id int64
	var err error
	if n.Async {
		err = db.WithTx(ctx, func(tx *sqlx.Tx) error { return tx.GetContext(ctx, &id, insert, args...) })
	} else {
		err = translate(db.GetContext(ctx, &id, insert, args...))
	}
	if err != nil {
		return models.Job{}, err
	}
	return db.GetJob(ctx, models.ScopeAll(), id)
}

// StartJob moves a queued job to running; a job the sweep gave up meanwhile does not start.
func (db *DB) StartJob(ctx context.Context, id int64) error {
	res, err := db.ExecContext(ctx, `
		UPDATE jobs SET state = 'running', phase = 'reading', started_at = now(), heartbeat_at = now()
		 WHERE id = $1 AND state = 'queued'`, id)
	if err != nil {
		return translate(err)
	}
	if rowsAffected(res) == 0 {
		return abandoned(id)
	}
	return nil
}

func abandoned(id int64) error {
	return models.Errorf(models.EUNAVAILABLE, "job %d was given up: its server stopped writing its heartbeat; nothing was applied", id)
}

// JobHeartbeat says that the server running the job is alive, with the job's progress.
func (db *DB) JobHeartbeat(ctx context.Context, id int64, p *models.ImportProgress) error {
	phase, pr := p.Snapshot()
	_, err := db.ExecContext(ctx, `
		UPDATE jobs SET heartbeat_at = now(),
		       phase = CASE WHEN state = 'running' AND phase <> 'done' THEN $2 ELSE phase END,
		       bytes_read = $3, rows_read = $4, rows_checked = $5, rows_applied = $6
		 WHERE id = $1 AND state IN ('queued', 'running')`,
		id, string(phase), pr.BytesRead, pr.RowsRead, pr.RowsChecked, pr.RowsApplied)
	return translate(err)
}

// markJobApplied marks the job ctx carries applied (phase done) in the import's own
// transaction tx, just before it commits: a job is applied exactly when its import is.
// Its answer follows (FinishJob), which makes it succeeded; a server that stops in
// between leaves it applied, and the sweep makes it succeeded without an answer. A job
// given up meanwhile (its heartbeat stopped) makes the import fail instead, so that a
// failed job never applied anything. Every import calls it at the end of its transaction.
func markJobApplied(ctx context.Context, tx *sqlx.Tx) error {
	j := models.JobOf(ctx)
	if j == nil {
		return nil
	}
	j.Progress.Phase(models.PhaseDone)
	_, p := j.Progress.Snapshot()
	// clock_timestamp, not now(): now() is when the import's transaction began.
	res, err := tx.ExecContext(ctx, `
		UPDATE jobs SET phase = 'done', finished_at = clock_timestamp(), heartbeat_at = clock_timestamp(),
		       bytes_read = $2, rows_read = $3, rows_checked = $4, rows_applied = $5
		 WHERE id = $1 AND state = 'running'`, j.ID, p.BytesRead, p.RowsRead, p.RowsChecked, p.RowsApplied)
	if err != nil {
		return err
	}
	if rowsAffected(res) == 0 {
		return abandoned(j.ID)
	}
	return nil
}

// FinishJob records a job's answer once its import has returned, and its end: succeeded
// (applied as its import committed, markJobApplied, or with nothing to write) or failed
// (nothing applied), unless the sweep gave it up first. A failed job without an answer
// (it never ran) was abandoned.
func (db *DB) FinishJob(ctx context.Context, id int64, succeeded bool, p *models.ImportProgress, r *models.JobResult) error {
	_, pr := p.Snapshot()
	state := "failed"
	if succeeded {
		state = "succeeded"
	}
	var status, contentType, body, failure any
	if r != nil {
		status, contentType, body = r.Status, r.ContentType, []byte(r.Body)
	} else if !succeeded {
		failure = models.JobAbandoned
	}
	_, err := db.ExecContext(ctx, `
		UPDATE jobs SET state = $2, phase = 'done', finished_at = COALESCE(finished_at, now()), heartbeat_at = now(),
		       bytes_read = GREATEST(bytes_read, $3), rows_read = GREATEST(rows_read, $4),
		       rows_checked = GREATEST(rows_checked, $5), rows_applied = GREATEST(rows_applied, $6),
		       result_status = $7, result_type = $8, result = $9, failure = $10
		 WHERE id = $1 AND state IN ('queued', 'running') AND ($2 = 'succeeded' OR phase <> 'done')`,
		id, state, pr.BytesRead, pr.RowsRead, pr.RowsChecked, pr.RowsApplied, status, contentType, body, failure)
	return translate(err)
}

// GetJob is one job within scope: another tenant's job does not exist for the caller.
func (db *DB) GetJob(ctx context.Context, scope models.Scope, id int64) (models.Job, error) {
	var w filter
	w.add("j.id = ?", id)
	w.scope("j.organisation_id", scope)
	return selectOne(ctx, db, jobSelect, &w, models.Errorf(models.ENOTFOUND, "job %d not found", id), always(jobRow.job))
}

// ListJobs lists the jobs within scope, newest first.
func (db *DB) ListJobs(ctx context.Context, scope models.Scope, f models.JobFilter, page models.Page) ([]models.Job, string, error) {
	var w filter
	w.scope("j.organisation_id", scope)
	if f.State != "" {
		w.add("j.state = ?", string(f.State))
	}
	if f.Kind != "" {
		w.add("j.kind = ?", string(f.Kind))
	}
	return selectPage(ctx, db, jobSelect, &w, newestFirst("j.id"), page, always(jobRow.job), func(j models.Job) int64 { return j.ID })
}

// endAbandoned ends the unfinished jobs that cond picks, whose server has gone: one that
// was applied (its import committed, phase done) but not answered succeeded; any other
// failed, as its import never committed, so nothing of it was applied. Whichever of an
// import's commit and this statement comes second sees the other's row.
const endAbandoned = `
	UPDATE jobs SET state = CASE WHEN phase = 'done' THEN 'succeeded' ELSE 'failed' END,
	       failure = CASE WHEN phase = 'done' THEN NULL ELSE $1 END,
	       phase = 'done', finished_at = COALESCE(finished_at, now())
	 WHERE state IN ('queued', 'running') AND `

// FailAbandonedJobs ends the jobs whose server has gone (endAbandoned): those owned by
// owner (a server starting names itself, and none of the jobs it finds under its name
// runs any more) and those whose heartbeat stopped, wherever they ran. It returns how
// many it ended.
func (db *DB) FailAbandonedJobs(ctx context.Context, owner string) (int, error) {
	res, err := db.ExecContext(ctx, endAbandoned+`((owner = $2 AND $2 <> '') OR heartbeat_at < now() - $3 * interval '1 second')`,
		models.JobAbandoned, owner, JobStaleAfter.Seconds())
	if err != nil {
		return 0, translate(err)
	}
	return rowsAffected(res), nil
}

// sweepJobs gives up the jobs whose heartbeat stopped and forgets the answers of jobs
// that ended more than JobResultLifetime ago (their counts stay).
func sweepJobs(ctx context.Context, q sqlx.ExecerContext) error {
	if _, err := q.ExecContext(ctx, endAbandoned+`heartbeat_at < now() - $2 * interval '1 second'`,
		models.JobAbandoned, JobStaleAfter.Seconds()); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `
		UPDATE jobs SET result = NULL, result_type = NULL, result_status = NULL
		 WHERE result IS NOT NULL AND finished_at < now() - $1 * interval '1 second'`, JobResultLifetime.Seconds())
	return err
}
