// Package repository holds every SQL statement of the service. Functions take and return
// models types; row structs stay here. Tenant data is always read through a models.Scope
// applied in the WHERE clause, so a handler that forgets a check cannot leak rows.
package repository

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
)

// Config is how the service reaches PostgreSQL.
type Config struct {
	URL              string
	MaxOpenConns     int
	MaxIdleConns     int
	ConnMaxLifetime  time.Duration
	ConnMaxIdleTime  time.Duration // 0: idle connections are kept
	StatementTimeout time.Duration
	// ConnectTimeout bounds opening a connection, TCP handshake to ready, unless the URL
	// sets connect_timeout; 0: only the caller's context does.
	ConnectTimeout time.Duration
	KeepAlive      time.Duration // TCP keepalive idle time and probe interval; 0: off
	TCPUserTimeout time.Duration // Linux TCP_USER_TIMEOUT; 0: the kernel's default
	// TaskLease is how long the database lets a background task's runner stay silent
	// before it ends the session and frees the task's lock (see lockTask); 0: until the
	// connection closes.
	TaskLease time.Duration
}

// DB is the service's handle on PostgreSQL.
type DB struct {
	*sqlx.DB
	stmts statements
	cfg   Config
	// readOnly marks a standby's pool (see OpenReplica): reads on it do not apply queued
	// writes first.
	readOnly bool
}

// Open connects with a pool sized by cfg and a server-side statement_timeout on every
// connection, so that a runaway query cannot hold a connection for ever. Every
// connection is opened through the service's dialer and watched (see conn.go), so that
// no query outlives its context even when the server has stopped answering.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db, err := openPool(cfg)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", translate(err))
	}
	return &DB{DB: db, cfg: cfg}, nil
}

// openPool is the pool Open describes, before any connection is made.
func openPool(cfg Config) (*sqlx.DB, error) {
	dsn, err := withRuntimeParam(cfg.URL, "statement_timeout", fmt.Sprint(cfg.StatementTimeout.Milliseconds()))
	if err != nil {
		return nil, err
	}
	// binary_parameters lets lib/pq send a query with arguments in one round trip
	// instead of two (it need not ask the server for the parameter types first); its
	// price is that a []byte argument travels in binary form, so JSON and text go as
	// strings and []byte is for bytea only.
	if dsn, err = withRuntimeParam(dsn, "binary_parameters", "yes"); err != nil {
		return nil, err
	}
	// Business dates are UTC (README, Time): interval arithmetic on timestamptz (a month's
	// refresh, a 30-day window) and casts to date follow the session's time zone, which
	// would otherwise be the server's or the database's default, Europe/London on a
	// British host, and move an expiry by a day or a window by an hour at the clock change.
	if dsn, err = withRuntimeParam(dsn, "timezone", "UTC"); err != nil {
		return nil, err
	}
	pqCfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if pqCfg.ConnectTimeout <= 0 {
		pqCfg.ConnectTimeout = cfg.ConnectTimeout
	}
	pqc, err := pq.NewConnectorConfig(pqCfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	pqc.Dialer(newDialer(cfg))
	db := sqlx.NewDb(sql.OpenDB(&connector{pq: pqc, timeout: pqCfg.ConnectTimeout}), "postgres")
	db.SetMaxOpenConns(cfg.MaxOpenConns)
	db.SetMaxIdleConns(cfg.MaxIdleConns)
	db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	db.SetConnMaxIdleTime(cfg.ConnMaxIdleTime)
	return db, nil
}

// listenerDSN is dsn with the pool's connect timeout, for a connection that lib/pq
// opens by itself (the token listener): connect_timeout bounds its start-up.
func (db *DB) listenerDSN(dsn string) (string, error) {
	if db.cfg.ConnectTimeout <= 0 {
		return dsn, nil
	}
	secs := (db.cfg.ConnectTimeout + time.Second - 1) / time.Second // connect_timeout is in whole seconds
	return withRuntimeParam(dsn, "connect_timeout", fmt.Sprint(int64(secs)))
}

// withRuntimeParam adds a PostgreSQL run-time parameter to a URL or key=value DSN unless
// the caller already set it.
func withRuntimeParam(dsn, key, value string) (string, error) {
	if value == "0" || strings.Contains(dsn, key+"=") {
		return dsn, nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("DATABASE_URL is not a valid URL: %w", redactURLError(err))
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return strings.TrimSpace(dsn) + " " + key + "=" + value, nil
}

func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Ping checks the database answers within ctx.
func (db *DB) Ping(ctx context.Context) error {
	return translate(db.PingContext(ctx))
}

// WithTx runs fn in a transaction, committing when fn returns nil. Serialization failures
// and deadlocks, which concurrent aggregate maintenance can cause, are retried.
func (db *DB) WithTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	const attempts = 5
	var err error
	for i := 0; i < attempts; i++ {
		err = db.tryTx(ctx, fn)
		if !isRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(i+1) * 5 * time.Millisecond)
	}
	return err
}

// withConnTx runs fn in a transaction on conn (a task holding a session lock on it, a
// migration), committing when fn returns nil. Unlike WithTx it neither retries nor
// records a write audit: its callers are background work and schema changes.
func withConnTx(ctx context.Context, conn *sqlx.Conn, fn func(tx *sqlx.Tx) error) error {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// withTxOnce runs fn in a transaction once, for work whose input cannot be read twice (an
// import streaming its file: WithTx's retry would run it again over a consumed reader and
// commit an empty import). A serialization failure or deadlock is EUNAVAILABLE instead,
// nothing applied, which the API answers 503 with Retry-After so that the caller sends it
// again.
func (db *DB) withTxOnce(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	err := db.tryTx(ctx, fn)
	if isRetryable(err) {
		return wrap(models.EUNAVAILABLE, err, "a concurrent write made the database roll this back; nothing was applied: send it again")
	}
	return err
}

// tryTx runs fn once in a transaction. The audit entry of the write ctx carries commits
// with it; it is known to be stored only once the commit succeeds.
func (db *DB) tryTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return translate(err)
	}
	auditID, err := recordWriteAudit(ctx, tx)
	if err != nil {
		tx.Rollback()
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return translate(err)
	}
	if auditID != 0 {
		models.AuditOf(ctx).ID = auditID
	}
	return nil
}

func isRetryable(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "40001" || pqErr.Code == "40P01"
	}
	return false
}
