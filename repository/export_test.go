package repository

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
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

// gapCountsRecomputed is how the counts of a report on another basis or date were computed
// before the history (migration 0027): from every person's evidence. The history's tests
// hold the maintained answer to it.
const gapCountsRecomputed = `
	counts AS (
		SELECT c.* FROM (SELECT array_agg(organisation_id) o, array_agg(skill_id) k, array_agg(required_level) r,
		                        array_agg(essential) e, array_agg(level) l FROM facts) a,
		       LATERAL skill_counts(a.o, a.k, a.r, a.e, a.l) c)`

// SkillGapsRecomputed is SkillGaps computed from evidence, the old way.
func (db *DB) SkillGapsRecomputed(ctx context.Context, gq models.GapQuery) ([]models.SkillLine, error) {
	q := gapSQL{gq}
	q.Basis = models.Basis(q.basis())
	if q.At == nil {
		at := q.Now
		q.At = &at // the live facts, whatever the basis
	}
	query, args := q.skillGapsWith(gapCountsRecomputed)
	var rows []skillLineRow
	if err := db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, translate(err)
	}
	out := make([]models.SkillLine, len(rows))
	for i, r := range rows {
		out[i] = r.line()
	}
	return out, nil
}
