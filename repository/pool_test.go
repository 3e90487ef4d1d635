package repository_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// TestPoolCallsTranslateTheirErrors: a statement run on the pool, by any of its query
// methods or through sqlx.SelectContext, fails with a models error that keeps the driver's
// as its cause, so that a repository function returning the error as it is cannot
// forget to translate it.
func TestPoolCallsTranslateTheirErrors(t *testing.T) {
	db, ctx := testDB(t)
	var n int
	var ns []int
	for name, run := range map[string]func(query string) error{
		"GetContext":    func(q string) error { return db.GetContext(ctx, &n, q) },
		"SelectContext": func(q string) error { return db.SelectContext(ctx, &ns, q) },
		"ExecContext":   func(q string) error { _, err := db.ExecContext(ctx, q); return err },
		"QueryxContext": func(q string) error { return closeRows(db.QueryxContext(ctx, q)) },
		"QueryContext": func(q string) error {
			rows, err := db.QueryContext(ctx, q)
			if err == nil {
				rows.Close()
			}
			return err
		},
		"sqlx.SelectContext": func(q string) error { return sqlx.SelectContext(ctx, db, &ns, q) },
	} {
		err := run(`SELECT 1 / 0`)
		var pqErr *pq.Error
		if models.ErrorCode(err) != models.EINVALID || !errors.As(err, &pqErr) || pqErr.Code != "22012" {
			t.Errorf("%s of a division by zero: %v (%s), want invalid with the driver's error as its cause", name, err, models.ErrorCode(err))
		}
	}
	err := db.GetContext(ctx, &n, `SELECT 1 WHERE false`)
	if models.ErrorCode(err) != models.ENOTFOUND || !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("GetContext of no row: %v (%s), want not found with sql.ErrNoRows as its cause", err, models.ErrorCode(err))
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.ExecContext(cancelled, `SELECT 1`); models.ErrorCode(err) != models.EUNAVAILABLE {
		t.Errorf("ExecContext with its context ended: %v (%s), want unavailable", err, models.ErrorCode(err))
	}
}

func closeRows(rows *sqlx.Rows, err error) error {
	if err == nil {
		rows.Close()
	}
	return err
}
