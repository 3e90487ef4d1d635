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
			if v := values(row); v != nil {
				if err := emit(v...); err != nil {
					return err
				}
			}
		}
	})
}
