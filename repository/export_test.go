package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Translate exposes the one error translation to the external tests.
var Translate = translate

// ConstraintField exposes the constraint table to the external tests.
var ConstraintField = constraintField

// FinishErasureScans runs the erasure scans in batches of the test's size.
func (db *DB) FinishErasureScans(ctx context.Context, batchSize, batches int) error {
	return finishErasureScans(ctx, db, batchSize, batches)
}

// LeaderLock is the advisory lock leadership is held by.
const LeaderLock = leaderLock

// LagBehind exposes the lag rule to the external tests.
func LagBehind(marks [][2]int64, replayed int64, now int64) int64 {
	ms := make([]walMark, len(marks))
	for i, m := range marks {
		ms[i] = walMark{lsn: m[0], at: time.Unix(m[1], 0)}
	}
	return int64(lagBehind(ms, replayed, time.Unix(now, 0)) / time.Second)
}

// SweepLock is the sweep's own lock.
const SweepLock = sweepLock

// LockTask exposes a background task's lock to the external tests.
func (db *DB) LockTask(ctx context.Context, conn *sqlx.Conn, key int64) (func(), error) {
	return db.lockTask(ctx, conn, key)
}

// RematchBatch matches again one batch of the test's size of the statements rematch
// requests ask for, and reports whether the scan is over.
func (db *DB) RematchBatch(ctx context.Context, size int, at time.Time) (bool, error) {
	var finished bool
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		finished, err = rematchBatchOf(ctx, tx, size, at)
		return err
	})
	return finished, err
}

// WithTxOnce exposes the transaction that is never retried (streamed imports).
func (db *DB) WithTxOnce(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return db.withTxOnce(ctx, fn)
}
