package repository

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Rematching works through unmatched statements in batches of rematchBatch, at most
// rematchBatches a sweep, so that a sweep stays short however many there are.
const (
	rematchBatch   = 5_000
	rematchBatches = 10
)

// rematchStatements matches again the unmatched statements that rematch requests ask for
// (migration 0024: a staff member, an e-mail address, a home page, a person mapping or a
// course's activities appeared or changed), as of at, and gives what matches its effect
// as a statement arriving now would (evidence, enrolments). A scan covers the requests
// made before it began and keeps its place in xapi_rematch_scan, so that it goes on where
// it stopped at the next sweep; requests made meanwhile start the next scan.
func (db *DB) rematchStatements(ctx context.Context, at time.Time) error {
	for done := 0; done < rematchBatches; done++ {
		finished := false
		err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
			var err error
			finished, err = rematchBatchOf(ctx, tx, rematchBatch, at)
			return err
		})
		if err != nil || finished {
			return err
		}
	}
	return nil
}

// rematchBatchOf matches one batch again and reports whether nothing is left to do.
func rematchBatchOf(ctx context.Context, tx *sqlx.Tx, size int, at time.Time) (bool, error) {
	var scan struct {
		UpTo     int64 `db:"up_to"`
		AfterSeq int64 `db:"after_seq"`
	}
	err := tx.GetContext(ctx, &scan, `
		INSERT INTO xapi_rematch_scan (up_to, after_seq)
		SELECT max(id), 0 FROM xapi_rematch_requests HAVING max(id) IS NOT NULL
		ON CONFLICT (only_row) DO UPDATE SET up_to = xapi_rematch_scan.up_to
		RETURNING up_to, after_seq`)
	if err != nil {
		return true, ignoreNoRows(err)
	}
	var providers pq.StringArray
	if err := tx.GetContext(ctx, &providers, `
		SELECT array_agg(DISTINCT provider) FROM xapi_rematch_requests WHERE id <= $1`, scan.UpTo); err != nil {
		return false, err
	}
	var batch []struct {
		ID  string `db:"id"`
		Seq int64  `db:"seq"`
	}
	if err := tx.SelectContext(ctx, &batch, `
		SELECT id::text, seq FROM xapi_statements
		 WHERE match_status = 'unmatched' AND seq > $1 AND ('' = ANY ($2) OR provider = ANY ($2))
		 ORDER BY seq LIMIT $3`, scan.AfterSeq, providers, size); err != nil {
		return false, err
	}
	ids := make([]string, len(batch))
	for i, b := range batch {
		ids[i] = b.ID
	}
	if err := matchStatements(ctx, tx, ids, 0, at); err != nil {
		return false, err
	}
	if len(batch) == size {
		_, err := tx.ExecContext(ctx, `UPDATE xapi_rematch_scan SET after_seq = $1`, batch[len(batch)-1].Seq)
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM xapi_rematch_requests WHERE id <= $1`, scan.UpTo); err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM xapi_rematch_scan`)
	return false, err
}

// ignoreNoRows is nil for "no rows": nothing to do.
func ignoreNoRows(err error) error {
	if err == sql.ErrNoRows {
		return nil
	}
	return err
}
