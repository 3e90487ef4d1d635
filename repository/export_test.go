package repository

import (
	"context"

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

// WithTxOnce exposes the transaction that is never retried (streamed imports).
func (db *DB) WithTxOnce(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return db.withTxOnce(ctx, fn)
}
