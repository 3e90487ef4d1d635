package repository

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
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
