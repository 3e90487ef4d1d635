package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// sweepLock is the advisory lock that lets one server of several run the sweep.
const sweepLock = 7_301_203

// IdempotencyKeyLifetime is how long a key's first response is kept for replay.
const IdempotencyKeyLifetime = 24 * time.Hour

// Sweep applies the passing of time at moment at: levels whose evidence has expired and
// leavers whose end date has come stop counting (see workforce_sweep), expired
// idempotency keys are forgotten, and the month's statistics snapshot is taken if missing. When another server is sweeping it does nothing.
// It returns how many ledger rows it refreshed.
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
	if _, err = conn.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, at.Add(-IdempotencyKeyLifetime)); err != nil {
		return n, translate(err)
	}
	_, err = db.EnsureMonthlySnapshot(ctx)
	return n, err
}

// RunSweeper sweeps every interval until ctx ends, logging through report.
// A zero interval disables it.
func (db *DB) RunSweeper(ctx context.Context, interval time.Duration, report func(refreshed int, err error)) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := db.Sweep(ctx, time.Now())
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
func (db *DB) FlushForRead(ctx context.Context) error {
	_, err := db.ExecContext(ctx, `SELECT workforce_flush(false, now(), $1)`, ReadFlushLimit)
	return translate(err)
}

// Flush applies everything queued, in chunks, waiting for other flushers. It returns
// how many queue entries it applied.
func (db *DB) Flush(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
				return err
			}
			return tx.GetContext(ctx, &n, `SELECT workforce_flush(true, now(), $1)`, flushChunk)
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

// RunFlusher flushes the queue every interval until ctx ends, so that the figures follow
// the writes within a second even when nobody reads them.
func (db *DB) RunFlusher(ctx context.Context, interval time.Duration, report func(err error)) {
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
		if _, err := db.Flush(ctx); err != nil && ctx.Err() == nil {
			report(err)
		}
	}
}
