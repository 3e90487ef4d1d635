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
