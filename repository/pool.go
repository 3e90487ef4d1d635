package repository

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// The pool's query methods, as DB's callers reach them, return their errors translated
// (translate): a function that runs a statement on the pool and returns its error as it
// is still gives its caller a models error (unavailable, not found, conflict, invalid
// with its field), so that none can forget to translate. A transaction's errors are
// translated once as WithTx returns. sqlx.SelectContext given a DB queries through
// QueryxContext and is translated too; QueryRowxContext (under sqlx.GetContext) cannot
// be, as *sqlx.Row keeps its error to itself until Scan: the helpers that take it
// (selectOne, notFoundAs) translate what Scan returns.

// GetContext is sqlx's GetContext with the error translated.
func (db *DB) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return translate(db.DB.GetContext(ctx, dest, query, args...))
}

// SelectContext is sqlx's SelectContext with the error translated.
func (db *DB) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return translate(db.DB.SelectContext(ctx, dest, query, args...))
}

// ExecContext is database/sql's ExecContext with the error translated.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.DB.ExecContext(ctx, query, args...)
	return res, translate(err)
}

// QueryxContext is sqlx's QueryxContext with the error translated.
func (db *DB) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	rows, err := db.DB.QueryxContext(ctx, query, args...)
	return rows, translate(err)
}

// QueryContext is database/sql's QueryContext with the error translated.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.DB.QueryContext(ctx, query, args...)
	return rows, translate(err)
}
