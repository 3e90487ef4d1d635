package repository

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/lib/pq"
)

// The pool's connections are lib/pq's, wrapped so that no operation outlives its
// context. lib/pq alone cannot promise that: when a context ends it sends a
// CancelRequest on a new connection and goes on reading the old one, and a server that
// has stopped answering (a stopped process, a black hole in the network) answers
// neither; a prepared statement even waits for the CancelRequest before it returns.
// Here every operation is watched: when its context ends, the socket's deadline is set
// in the past, the read or write under way fails at once, and the connection, cut off
// for good, is discarded by the pool (ResetSession and IsValid refuse it).

// connector opens pool connections through lib/pq with a bounded start-up.
type connector struct {
	pq      *pq.Connector
	timeout time.Duration // the whole start-up, TCP to ready; 0: the opener's context only
}

func (c *connector) Driver() driver.Driver { return c.pq.Driver() }

// Connect opens a connection within ctx and the connect timeout. lib/pq ignores the
// context once the TCP connection is up, so the handshake expires the socket itself.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	h := &handshake{}
	stop := context.AfterFunc(ctx, h.expire)
	dc, err := c.pq.Connect(context.WithValue(ctx, handshakeKey{}, h))
	if !stop() {
		if err == nil {
			dc.Close()
			err = errors.New("the socket was cut off")
		}
		return nil, fmt.Errorf("connecting to the database: %w (%v)", ctx.Err(), err)
	}
	if err != nil {
		return nil, err
	}
	pc, ok := dc.(pqConn)
	nc := h.socket()
	if !ok || nc == nil {
		dc.Close()
		return nil, fmt.Errorf("lib/pq returned a %T that bypassed the dialer", dc)
	}
	return &conn{pq: pc, nc: nc}, nil
}

// pqConn is what lib/pq's connection implements, and so what conn offers database/sql.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.NamedValueChecker
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type conn struct {
	pq pqConn
	nc *netConn
}

var _ pqConn = (*conn)(nil)

// closeTimeout bounds the round trips that have no context of their own: closing a
// prepared statement, saying goodbye to the server.
const closeTimeout = time.Second

// errConnLost is a connection that failed after an operation was sent: the server may
// have carried it out, so, unlike driver.ErrBadConn, it must not be retried on another
// connection (database/sql retries ErrBadConn, which lib/pq returns for a closed
// socket even after writing the statement).
var errConnLost = errors.New("the connection to the database was lost after the statement was sent")

// op is one watched operation on a connection.
type op struct {
	c    *conn
	ctx  context.Context
	stop func() bool
	sent int64
}

// watch cuts the connection off if ctx ends before the operation does.
func (c *conn) watch(ctx context.Context) op {
	o := op{c: c, ctx: ctx, sent: c.nc.written.Load()}
	if ctx.Done() != nil {
		o.stop = context.AfterFunc(ctx, c.nc.expire)
	}
	return o
}

// done ends the watch and says what database/sql should hear of err. When the context
// ended first, the connection is cut off and the error is the context's, wrapped with
// what the driver saw. sends says the operation may change data: a bad connection after
// it wrote to the socket is then errConnLost, not retried.
func (o op) done(err error, sends bool) error {
	if o.stop != nil && !o.stop() && err != nil {
		return o.cutOff(err)
	}
	if sends && errors.Is(err, driver.ErrBadConn) && o.c.nc.written.Load() != o.sent {
		return errConnLost
	}
	return err
}

func (o op) cutOff(err error) error {
	return fmt.Errorf("%w (%v)", o.ctx.Err(), err)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	o := c.watch(ctx)
	r, err := c.pq.QueryContext(ctx, query, args)
	if err != nil {
		return nil, o.done(err, true)
	}
	return &rows{Rows: r, op: o}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	o := c.watch(ctx)
	res, err := c.pq.ExecContext(ctx, query, args)
	return res, o.done(err, true)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	o := c.watch(ctx)
	st, err := c.pq.PrepareContext(ctx, query)
	if err = o.done(err, false); err != nil {
		return nil, err
	}
	s := &stmt{Stmt: st, c: c}
	if _, ok := st.(driver.StmtExecContext); !ok {
		s.copyCtx = ctx // COPY FROM STDIN, which lives within the statement that prepared it
	}
	return s, nil
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	o := c.watch(ctx)
	t, err := c.pq.BeginTx(ctx, opts)
	if err = o.done(err, false); err != nil {
		return nil, err
	}
	return &tx{Tx: t, c: c, ctx: ctx}, nil
}

// Begin is the deprecated form of BeginTx, which database/sql does not call.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) Ping(ctx context.Context) error {
	o := c.watch(ctx)
	return o.done(c.pq.Ping(ctx), false)
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error { return c.pq.CheckNamedValue(nv) }

// ResetSession runs before database/sql hands a pooled connection out again: one that
// was cut off, or that the server closed meanwhile, is refused (ErrBadConn), and the pool
// takes or opens another before anything is sent.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.nc.dead.Load() || c.nc.closedByPeer() {
		return driver.ErrBadConn
	}
	return c.pq.ResetSession(ctx)
}

func (c *conn) IsValid() bool { return !c.nc.dead.Load() && c.pq.IsValid() }

func (c *conn) Close() error {
	c.nc.SetDeadline(time.Now().Add(closeTimeout))
	return c.pq.Close()
}

// stmt is a prepared statement, or a COPY in progress, on a watched connection.
type stmt struct {
	driver.Stmt
	c       *conn
	copyCtx context.Context
}

// ExecContext runs the statement under the watch. lib/pq's statement is given a context
// without cancellation: its own, on cancellation, waits for the CancelRequest to finish
// before returning, which a frozen server never lets it do. The watch ends the wait;
// the server drops the statement when it finds the connection gone (or at
// statement_timeout).
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	o := s.c.watch(ctx)
	var res driver.Result
	var err error
	if ec, ok := s.Stmt.(driver.StmtExecContext); ok {
		res, err = ec.ExecContext(context.WithoutCancel(ctx), args)
	} else if err = ctx.Err(); err == nil {
		res, err = s.Stmt.Exec(values(args))
	}
	return res, o.done(err, true)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	o := s.c.watch(ctx)
	var r driver.Rows
	var err error
	if qc, ok := s.Stmt.(driver.StmtQueryContext); ok {
		r, err = qc.QueryContext(context.WithoutCancel(ctx), args)
	} else if err = ctx.Err(); err == nil {
		r, err = s.Stmt.Query(values(args))
	}
	if err != nil {
		return nil, o.done(err, true)
	}
	return &rows{Rows: r, op: o}, nil
}

// Close deallocates the statement, or finishes a COPY (waiting for the server to take
// the rows), within the context that began it; a pooled statement gets closeTimeout.
func (s *stmt) Close() error {
	ctx := s.copyCtx
	if ctx == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
	}
	o := s.c.watch(ctx)
	return o.done(s.Stmt.Close(), false)
}

func values(args []driver.NamedValue) []driver.Value {
	v := make([]driver.Value, len(args))
	for i, a := range args {
		v[i] = a.Value
	}
	return v
}

// tx is a transaction whose COMMIT and ROLLBACK are watched with its context.
type tx struct {
	driver.Tx
	c   *conn
	ctx context.Context
}

func (t *tx) Commit() error {
	o := t.c.watch(t.ctx)
	return o.done(t.Tx.Commit(), true)
}

func (t *tx) Rollback() error {
	o := t.c.watch(t.ctx)
	return o.done(t.Tx.Rollback(), false)
}

// rows keeps its operation's watch until it is closed: reading a result streams from
// the socket.
type rows struct {
	driver.Rows
	op op
}

func (r *rows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err != nil && err != io.EOF && r.op.c.nc.dead.Load() && r.op.ctx.Err() != nil {
		return r.op.cutOff(err)
	}
	return err
}

func (r *rows) Close() error { return r.op.done(r.Rows.Close(), false) }

// The optional column and result-set interfaces pass through; the defaults are
// database/sql's own for a driver without them.

func (r *rows) HasNextResultSet() bool {
	if n, ok := r.Rows.(driver.RowsNextResultSet); ok {
		return n.HasNextResultSet()
	}
	return false
}

func (r *rows) NextResultSet() error {
	if n, ok := r.Rows.(driver.RowsNextResultSet); ok {
		return n.NextResultSet()
	}
	return io.EOF
}

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *rows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
