//go:build bench

package main

import (
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// copyFloor is an import's floor: the same rows, ids already resolved, written by COPY
// straight into the same table (same indexes and triggers) in a transaction that is then
// rolled back, so the dataset is left as the import left it. It returns how long the COPY
// and its commit-less end took.
func (b *bench) copyFloor(table string, columns []string, rows [][]any, prepare string, prepareArgs ...any) (time.Duration, error) {
	tx, err := b.db.BeginTxx(b.ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if prepare != "" {
		if _, err := tx.ExecContext(b.ctx, prepare, prepareArgs...); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	if err := copyRows(tx, table, columns, rows); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func copyRows(tx *sqlx.Tx, table string, columns []string, rows [][]any) error {
	stmt, err := tx.Prepare(pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.Exec(r...); err != nil {
			return err
		}
	}
	if _, err := stmt.Exec(); err != nil {
		return err
	}
	return stmt.Close()
}

// importedRows reads back rows an import wrote, as COPY takes them.
func (b *bench) importedRows(query string, args ...any) ([][]any, error) {
	rs, err := b.db.QueryContext(b.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rs.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				row[i] = string(b) // text and numerics come as bytes; COPY would take them for bytea
			}
		}
		out = append(out, row)
	}
	return out, rs.Err()
}

// withCopyFloor sets an import's floor: how long COPY takes for the same rows, and notes
// the import's share of that speed.
func withCopyFloor(r result, took time.Duration, err error) result {
	if err != nil {
		r.Note = fmt.Sprintf("%s copy floor: %v", r.Note, err)
		return r
	}
	r.FloorP50 = took
	r.Note = fmt.Sprintf("%s COPY of the same rows %s (%.0f rows/s): the import at %.2fx", r.Note, ms(took),
		float64(r.Rows)/took.Seconds(), took.Seconds()/r.P50.Seconds())
	return r
}
