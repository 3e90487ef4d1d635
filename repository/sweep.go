package repository

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// sweepLock is the advisory lock that lets one server of several run the sweep.
const sweepLock = 7_301_203

// ErrBusy says a background task was not run because another server runs it now.
var ErrBusy = errors.New("another server is running this task")

// IdempotencyKeyLifetime is how long a key's first response is kept for replay.
const IdempotencyKeyLifetime = 24 * time.Hour

// Sweep applies the passing of time at moment at: levels whose evidence has expired and
// leavers whose end date has come stop counting (see workforce_sweep), expired
// idempotency keys are forgotten, erasures' scans of other people's statements go on
// (finishErasureScans), unmatched xAPI statements are matched again when something they
// could name has appeared (rematchStatements), jobs whose server has gone are given up
// and old jobs' answers forgotten (sweepJobs), dashboard sessions past their lifetime are
// deleted, and the month's statistics snapshot is taken if missing. Only the leader
// sweeps, but a sweep also holds a lock of its own, so that a leader that froze
// mid-sweep and woke after another took over cannot sweep beside it (ErrBusy). It
// returns how many ledger rows it refreshed.
func (db *DB) Sweep(ctx context.Context, at time.Time) (int, error) {
	conn, err := db.Connx(ctx)
	if err != nil {
		return 0, translate(err)
	}
	defer conn.Close()
	unlock, err := db.lockTask(ctx, conn, sweepLock)
	if err != nil {
		return 0, err
	}
	defer unlock()
	var n int
	if err := conn.GetContext(ctx, &n, `SELECT workforce_sweep($1)`, at); err != nil {
		return 0, translate(err)
	}
	// Idempotency keys are about retries, which happen in real time: their lifetime runs
	// on the database's clock, as their creation time does.
	if _, err = conn.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1 * interval '1 second'`,
		IdempotencyKeyLifetime.Seconds()); err != nil {
		return n, translate(err)
	}
	// Dashboard sessions past their lifetime (their idle limit is checked on use).
	if _, err = conn.ExecContext(ctx, `DELETE FROM dashboard_sessions WHERE expires_at <= $1`, at); err != nil {
		return n, translate(err)
	}
	if err := finishErasureScans(ctx, conn, erasureScanBatch, erasureScanBatches); err != nil {
		return n, translate(err)
	}
	if err := db.rematchStatements(ctx, at); err != nil {
		return n, translate(err)
	}
	if err := sweepJobs(ctx, conn); err != nil {
		return n, translate(err)
	}
	_, err = db.EnsureMonthlySnapshot(ctx, at)
	return n, err
}

// lockTask takes a background task's session-level lock on conn, or answers ErrBusy
// when another runner holds it. While it is held the database ends the session when it
// stays idle (in a transaction or not) for TaskLease, freeing the lock: a runner that
// froze, or whose host vanished, cannot keep the task from running elsewhere for longer.
// The returned func frees the lock and restores the session's settings; when it cannot,
// the connection is closed instead of going back to the pool.
func (db *DB) lockTask(ctx context.Context, conn *sqlx.Conn, key int64) (func(), error) {
	lease := fmt.Sprint(db.cfg.TaskLease.Milliseconds())
	var got bool
	if err := conn.GetContext(ctx, &got, `
		SELECT pg_try_advisory_lock($2)
		  FROM (SELECT set_config('idle_session_timeout', $1, false), set_config('idle_in_transaction_session_timeout', $1, false)) AS lease`,
		lease, key); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
		return nil, translate(err)
	}
	ok := true // the session is fit to go back to the pool
	exec := func(query string, args ...any) {
		if !ok {
			return
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, query, args...); err != nil {
			ok = false
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	const reset = `RESET idle_session_timeout; RESET idle_in_transaction_session_timeout`
	if !got {
		exec(reset)
		return nil, ErrBusy
	}
	return func() {
		exec(`SELECT pg_advisory_unlock($1)`, key)
		exec(reset)
	}, nil
}

// RunSweeper sweeps as of clock's time every interval until ctx ends, reporting each
// run (ErrBusy when another server ran it). A zero interval disables it.
func (db *DB) RunSweeper(ctx context.Context, clock models.Clock, interval time.Duration, report func(refreshed int, err error)) {
	runEvery(ctx, interval, true, func() (int, error) { return db.Sweep(ctx, clock.Now()) }, report)
}

// ReadFlushLimit bounds the queue entries a report applies before it reads, so that
// a report after a bulk import does not pay for the import; the flusher catches up.
const ReadFlushLimit = 2000

// flushChunk is how many queue entries the background flusher applies per transaction.
const flushChunk = 50_000

// FlushForRead applies recent writes before a report reads the counts, so that a report
// reflects what was written before it: at most ReadFlushLimit entries, and nothing when
// another server is flushing already (the report then reads what is there). On a
// standby it does nothing: the leader's flusher applies the writes on the primary, and
// the standby has them as soon as it replays them.
func (db *DB) FlushForRead(ctx context.Context, at time.Time) error {
	if db.readOnly {
		return nil
	}
	_, err := db.ExecContext(ctx, `SELECT workforce_flush(false, $2, $1)`, ReadFlushLimit, at)
	return translate(err)
}

// FlushHistoryForRead applies recent writes to the history before a report reads it (a
// past date, another basis, a projection), as FlushForRead does for today's counts;
// on a standby it does nothing.
func (db *DB) FlushHistoryForRead(ctx context.Context, at time.Time) error {
	if db.readOnly {
		return nil // as FlushForRead: the leader applies it on the primary
	}
	if err := db.FlushForRead(ctx, at); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `SELECT history_flush(false, $1)`, ReadFlushLimit)
	return translate(err)
}

// Flush applies everything queued as of at, in chunks, waiting for other flushers: today's
// counts first, then the history. It returns how many queue entries it applied to today's
// counts.
func (db *DB) Flush(ctx context.Context, at time.Time) (int, error) {
	total, err := db.flushChunks(ctx, `SELECT workforce_flush(true, $2, $1)`, at)
	if err != nil {
		return total, err
	}
	_, err = db.flushChunks(ctx, `SELECT history_flush(true, $1) WHERE $2::timestamptz IS NOT NULL`, at)
	return total, err
}

// flushChunks runs a flush statement, a chunk a transaction, until the queue is empty.
func (db *DB) flushChunks(ctx context.Context, flush string, at time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
			// No time limit on the work, but one on a runner that stops talking: a frozen
			// flusher's transaction, with the flush lock, ends after the task lease.
			if _, err := tx.ExecContext(ctx, `SELECT set_config('statement_timeout', '0', true),
				set_config('idle_in_transaction_session_timeout', $1, true)`, fmt.Sprint(db.cfg.TaskLease.Milliseconds())); err != nil {
				return err
			}
			return tx.GetContext(ctx, &n, flush, flushChunk, at)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < flushChunk {
			return total, nil
		}
	}
}

// RunFlusher flushes the queue as of clock's time every interval until ctx ends, so that
// the figures follow the writes within a second even when nobody reads them. Each run
// is reported with how many queue entries it applied.
func (db *DB) RunFlusher(ctx context.Context, clock models.Clock, interval time.Duration, report func(applied int, err error)) {
	runEvery(ctx, interval, false, func() (int, error) { return db.Flush(ctx, clock.Now()) }, report)
}

// runEvery runs step every interval until ctx ends (and once at the start when
// immediately), reporting each run but one that ctx ended during: the loop of the
// background workers. A zero interval disables it.
func runEvery(ctx context.Context, interval time.Duration, immediately bool, step func() (int, error), report func(int, error)) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for wait := !immediately; ; wait = true {
		if wait {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
		n, err := step()
		if ctx.Err() != nil {
			return
		}
		report(n, err)
	}
}
