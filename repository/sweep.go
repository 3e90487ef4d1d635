package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
)

// sweepLock is the advisory lock that lets one server of several run the sweep.
const sweepLock = 7_301_203

// IdempotencyKeyLifetime is how long a key's first response is kept for replay.
const IdempotencyKeyLifetime = 24 * time.Hour

// Sweep applies the passing of time at moment at: levels whose evidence has expired and
// leavers whose end date has come stop counting (see workforce_sweep), expired
// idempotency keys are forgotten, erasures' scans of other people's statements go on
// (finishErasureScans), unmatched xAPI statements are matched again when something they
// could name has appeared (rematchStatements), jobs whose server has gone are given up
// and old jobs' answers forgotten (sweepJobs), dashboard sessions past their lifetime are
// deleted, and the month's statistics snapshot is
// taken if missing. When another server is sweeping it does nothing. It returns how many
// ledger rows it refreshed.
func (db *DB) Sweep(ctx context.Context, at time.Time) (int, error) {
	conn, err := db.Connx(ctx)
	if err != nil {
		return 0, translate(err)
	}
	defer conn.Close()
	var got bool
	if err := conn.GetContext(ctx, &got, `SELECT pg_try_advisory_lock($1)`, sweepLock); err != nil || !got {
		return 0, translate(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, sweepLock)
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

// RunSweeper sweeps as of clock's time every interval until ctx ends, logging through
// report. A zero interval disables it.
func (db *DB) RunSweeper(ctx context.Context, clock models.Clock, interval time.Duration, report func(refreshed int, err error)) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := db.Sweep(ctx, clock.Now())
		if ctx.Err() != nil {
			return
		}
		report(n, err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ReadFlushLimit bounds the queue entries a report applies before it reads, so that
// a report after a bulk import does not pay for the import; the flusher catches up.
const ReadFlushLimit = 2000

// flushChunk is how many queue entries the background flusher applies per transaction.
const flushChunk = 50_000

// FlushForRead applies recent writes before a report reads the counts, so that a report
// reflects what was written before it: at most ReadFlushLimit entries, and nothing when
// another server is flushing already (the report then reads what is there).
func (db *DB) FlushForRead(ctx context.Context, at time.Time) error {
	_, err := db.ExecContext(ctx, `SELECT workforce_flush(false, $2, $1)`, ReadFlushLimit, at)
	return translate(err)
}

// Flush applies everything queued as of at, in chunks, waiting for other flushers. It
// returns how many queue entries it applied.
func (db *DB) Flush(ctx context.Context, at time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
				return err
			}
			return tx.GetContext(ctx, &n, `SELECT workforce_flush(true, $2, $1)`, flushChunk, at)
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
// the figures follow the writes within a second even when nobody reads them.
func (db *DB) RunFlusher(ctx context.Context, clock models.Clock, interval time.Duration, report func(err error)) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := db.Flush(ctx, clock.Now()); err != nil && ctx.Err() == nil {
			report(err)
		}
	}
}
