package repository

import (
	"context"
	"io"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// copyIn streams rows into table through COPY within tx: produce calls emit once per row
// with the values of columns, in order.
func copyIn(ctx context.Context, tx *sqlx.Tx, table string, columns []string, produce func(emit func(values ...any) error) error) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	if err := produce(func(values ...any) error {
		_, err := stmt.ExecContext(ctx, values...)
		return err
	}); err != nil {
		return err
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	return stmt.Close()
}

// stageRows copies the rows that next yields, until io.EOF, into an import's staging
// table, counting them in report. values gives a row's column values, or nil to leave the
// row out; it records the row's rejection in report when it has one.
func stageRows[R any](ctx context.Context, tx *sqlx.Tx, table string, columns []string, next func() (R, error),
	report *models.ImportReport, values func(R) []any) error {
	return copyIn(ctx, tx, table, columns, func(emit func(...any) error) error {
		for {
			row, err := next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			report.Rows++
			models.ProgressOf(ctx).Row()
			if v := values(row); v != nil {
				if err := emit(v...); err != nil {
					return err
				}
			}
		}
	})
}

// stagedImport is a file import through a staging table: create makes the table (ON
// COMMIT DROP), stage fills it and check adds the rows it finds wrong to the report, and
// merge writes the rest into the tables. Each step adds to the report. An import that
// checks its rows as it reads them and copies them straight into their table (evidence)
// has no create, and its stage does it all.
type stagedImport struct {
	create              string
	stage, check, merge func(tx *sqlx.Tx, report *models.ImportReport) error
}

// run runs the import in one transaction, with no statement timeout: a large file takes
// as long as it takes. A rejected row stops it before the merge unless mode is partial;
// the report is Applied once the transaction has committed, which marks the import's
// job applied. Its progress counts the rows as it reads, checks and applies them.
func (imp stagedImport) run(ctx context.Context, db *DB, mode models.ImportMode) (models.ImportReport, error) {
	report := models.ImportReport{Rejected: []models.RejectedRow{}}
	progress := models.ProgressOf(ctx)
	// Once: the file is read as it streams, so the transaction cannot be run again.
	err := db.withTxOnce(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		if imp.create != "" {
			if _, err := tx.ExecContext(ctx, imp.create); err != nil {
				return err
			}
		}
		progress.Phase(models.PhaseReading)
		if err := imp.stage(tx, &report); err != nil {
			return err
		}
		progress.Phase(models.PhaseChecking)
		if err := imp.check(tx, &report); err != nil {
			return err
		}
		report.SortRejected()
		progress.Checked(report.Rows)
		if len(report.Rejected) > 0 && mode != models.ImportPartial {
			return models.RejectionError(report)
		}
		progress.Phase(models.PhaseApplying)
		if err := imp.merge(tx, &report); err != nil {
			return err
		}
		progress.Applied(report.Rows - len(report.Rejected))
		return markJobApplied(ctx, tx)
	})
	if err != nil {
		return report, err
	}
	report.Applied = true
	return report, nil
}

// rejectRows adds to report the staged rows a check finds wrong (check selects line,
// key, field and message, ordered) and, when there are any, marks them not valid with
// invalidate, so that the merge leaves them out.
func rejectRows(ctx context.Context, tx *sqlx.Tx, report *models.ImportReport, check, invalidate string, args ...any) error {
	var bad []struct {
		Line    int    `db:"line"`
		Key     string `db:"key"`
		Field   string `db:"field"`
		Message string `db:"message"`
	}
	if err := tx.SelectContext(ctx, &bad, check, args...); err != nil || len(bad) == 0 {
		return err
	}
	for _, b := range bad {
		report.Reject(models.RejectedRow{
			Line: b.Line, Key: b.Key, Errors: []models.FieldError{{Field: b.Field, Message: b.Message}}})
	}
	_, err := tx.ExecContext(ctx, invalidate, args...)
	return err
}
