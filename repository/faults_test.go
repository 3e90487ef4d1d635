package repository_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// The tests below measure elapsed time (clocktest.Elapsed), never a business date.

// openThrough opens a pool the way the service does, with a short connect timeout, on a
// fresh test database reached through a fault proxy.
func openThrough(t *testing.T, maxOpen int) (*repository.DB, *pgtest.Proxy, *repository.DB) {
	t.Helper()
	direct, url := pgtest.NewURL(t)
	proxy, through := pgtest.NewProxy(t, url)
	db, err := repository.Open(context.Background(), repository.Config{
		URL: through, MaxOpenConns: maxOpen, MaxIdleConns: maxOpen, ConnMaxLifetime: time.Minute,
		StatementTimeout: 10 * time.Second, ConnectTimeout: 5 * time.Second, KeepAlive: 15 * time.Second, TCPUserTimeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, proxy, direct
}

// within runs op with a context of budget and fails the test unless it ended with
// EUNAVAILABLE before bound, measured from the start.
func within(t *testing.T, what string, budget, bound time.Duration, op func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	stopwatch := clocktest.Elapsed()
	err := op(ctx)
	elapsed := stopwatch()
	if code := models.ErrorCode(err); code != models.EUNAVAILABLE {
		t.Errorf("%s: %v (code %q), want %q", what, err, code, models.EUNAVAILABLE)
	}
	if elapsed >= bound {
		t.Errorf("%s took %s, want under %s", what, elapsed, bound)
	}
}

// healed waits until the pool answers again and checks that nothing is held.
func healed(t *testing.T, db *repository.DB) {
	t.Helper()
	deadline := clocktest.After(10 * time.Second)
	for db.Ping(context.Background()) != nil {
		if deadline.Passed() {
			t.Fatal("the pool does not answer ten seconds after the fault was lifted")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := db.Authenticate(context.Background(), "csk_unknown", clocktest.Now()); !errors.Is(err, repository.ErrTokenUnknown) {
		t.Fatalf("a prepared lookup after the fault: %v, want the unknown-token answer", err)
	}
	if s := db.Stats(); s.InUse != 0 {
		t.Fatalf("%d connections still in use after the fault", s.InUse)
	}
}

// TestOperationsEndWhenTheDatabaseFails drives each kind of statement the repository
// sends (a ping, a query, a prepared lookup, a transaction, a COPY) into each fault. A
// refused or reset database answers at once; one that accepts and then says nothing is
// cut off when the context ends, prepared statements included (lib/pq's own
// cancellation waits for a server that never answers). Each error is EUNAVAILABLE, and
// the pool heals by itself once the fault is lifted.
func TestOperationsEndWhenTheDatabaseFails(t *testing.T) {
	t.Parallel()
	for _, fault := range []pgtest.Fault{pgtest.Refuse, pgtest.Reset, pgtest.BlackHole} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			db, proxy, _ := openThrough(t, 2)
			org, err := db.CreateOrganisation(context.Background(), models.ScopeAll(), models.Organisation{Code: "F1", Name: "Fault trust", Type: "trust"})
			if err != nil {
				t.Fatal(err)
			}
			healed(t, db) // both connections are open and the lookup is prepared on one
			proxy.Set(fault)
			budget := 300 * time.Millisecond
			// The prepared lookup goes first, on the connection where it is prepared: lib/pq's
			// own cancellation of a prepared statement is the one that waits.
			ops := []struct {
				name string
				op   func(ctx context.Context) error
			}{
				{"prepared lookup", func(ctx context.Context) error {
					if _, err := db.Authenticate(ctx, "csk_unknown", clocktest.Now()); !errors.Is(err, repository.ErrTokenUnknown) {
						return err
					}
					return nil
				}},
				{"query", func(ctx context.Context) error {
					var n int
					return repository.Translate(db.GetContext(ctx, &n, `SELECT 1`))
				}},
				{"transaction", func(ctx context.Context) error {
					return db.WithTx(ctx, func(tx *sqlx.Tx) error {
						_, err := tx.ExecContext(ctx, `UPDATE organisations SET name = name WHERE id = $1`, org.ID)
						return err
					})
				}},
				{"copy", func(ctx context.Context) error {
					_, err := db.ImportStaff(ctx, org.ID, models.StaffImportOptions{Mode: models.ImportPartial}, oneStaffRow())
					return err
				}},
				{"ping", db.Ping},
			}
			for _, o := range ops {
				within(t, o.name, budget, time.Second, o.op)
			}
			proxy.Set(pgtest.Pass)
			healed(t, db)
			for _, o := range ops {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if err := o.op(ctx); err != nil {
					t.Errorf("%s after the fault: %v", o.name, err)
				}
				cancel()
			}
		})
	}
}

func oneStaffRow() func() (models.StaffImportRow, error) {
	sent := false
	return func() (models.StaffImportRow, error) {
		if sent {
			return models.StaffImportRow{}, io.EOF
		}
		sent = true
		return models.StaffImportRow{Line: 2, Staff: models.Staff{ExternalID: "C1", FTE: 1, Status: models.StaffActive}}, nil
	}
}

// TestFrozenMidStatement: the database stops answering while a statement is under way,
// a result half read, a COPY half sent or a COMMIT unanswered; each ends when its
// context does.
func TestFrozenMidStatement(t *testing.T) {
	t.Parallel()
	db, proxy, _ := openThrough(t, 2)
	org, err := db.CreateOrganisation(context.Background(), models.ScopeAll(), models.Organisation{Code: "F2", Name: "Frozen trust", Type: "trust"})
	if err != nil {
		t.Fatal(err)
	}
	budget := 300 * time.Millisecond

	within(t, "reading a long result", budget, time.Second, func(ctx context.Context) error {
		rows, err := db.QueryxContext(ctx, `SELECT generate_series(1, 5000000) AS g, repeat('x', 200) AS pad`)
		if err != nil {
			return repository.Translate(err)
		}
		defer rows.Close()
		rows.Next()
		proxy.Set(pgtest.BlackHole)
		for rows.Next() {
		}
		return repository.Translate(rows.Err())
	})
	proxy.Set(pgtest.Pass)
	healed(t, db)

	within(t, "a COPY", budget, time.Second, func(ctx context.Context) error {
		next := oneStaffRow()
		_, err := db.ImportStaff(ctx, org.ID, models.StaffImportOptions{Mode: models.ImportPartial}, func() (models.StaffImportRow, error) {
			proxy.Set(pgtest.BlackHole) // the COPY has begun: its rows and its end go unanswered
			return next()
		})
		return err
	})
	proxy.Set(pgtest.Pass)
	healed(t, db)

	within(t, "a COMMIT", budget, time.Second, func(ctx context.Context) error {
		return db.WithTx(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE organisations SET name = 'Frozen' WHERE id = $1`, org.ID); err != nil {
				return err
			}
			proxy.Set(pgtest.BlackHole)
			return nil
		})
	})
	proxy.Set(pgtest.Pass)
	healed(t, db)
}

// TestConnectingToAFrozenDatabaseIsBounded: a server that accepts the TCP connection and
// never answers the start-up holds a new connection for DB_CONNECT_TIMEOUT at most, even
// when the caller has no deadline of its own (the pool's background opener has none).
func TestConnectingToAFrozenDatabaseIsBounded(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewURL(t)
	proxy, through := pgtest.NewProxy(t, url)
	proxy.Set(pgtest.BlackHole)
	stopwatch := clocktest.Elapsed()
	db, err := repository.Open(context.Background(), repository.Config{URL: through, MaxOpenConns: 1, ConnectTimeout: 300 * time.Millisecond})
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded through a black hole")
	}
	if elapsed := stopwatch(); elapsed >= time.Second {
		t.Fatalf("Open took %s with a 300ms connect timeout, want under a second", elapsed)
	}
	// lib/pq's connect_timeout (a socket deadline) and the connector's context end at the
	// same moment; either may report it.
	deadline := errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
	if !deadline || models.ErrorCode(errors.Unwrap(err)) != models.EUNAVAILABLE {
		t.Fatalf("Open: %v, want an unavailable database past its deadline", err)
	}
}

// TestIdleConnectionClosedByTheServerIsNotUsed: when the server ends an idle pooled
// connection (pg_terminate_backend, a restart), the next statement runs on another
// connection: the pool looks at the socket before handing the connection out, rather
// than sending the statement and failing.
func TestIdleConnectionClosedByTheServerIsNotUsed(t *testing.T) {
	t.Parallel()
	db, proxy, direct := openThrough(t, 1)
	ctx := context.Background()
	var pid int
	if err := db.GetContext(ctx, &pid, `SELECT pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	var killed bool
	if err := direct.GetContext(ctx, &killed, `SELECT pg_terminate_backend($1, 5000)`, pid); err != nil || !killed {
		t.Fatalf("terminating backend %d: %v, %v", pid, killed, err)
	}
	// The proxy has passed the server's goodbye on once it has closed its side too.
	for deadline := clocktest.After(10 * time.Second); proxy.Conns() > 0; time.Sleep(5 * time.Millisecond) {
		if deadline.Passed() {
			t.Fatal("the proxy still joins the terminated connection")
		}
	}
	var now int
	if err := db.GetContext(ctx, &now, `SELECT pg_backend_pid()`); err != nil {
		t.Fatalf("the statement after the server closed the idle connection: %v", err)
	}
	if now == pid {
		t.Fatalf("the statement ran on the terminated backend %d", pid)
	}
}

// TestStatementLostAfterSendingIsNotRetried: when the connection fails after a statement
// was sent, the server may have run it, so it is reported (EUNAVAILABLE), never quietly
// sent again on another connection (database/sql retries driver.ErrBadConn, which lib/pq
// returns for a connection closed under a statement).
func TestStatementLostAfterSendingIsNotRetried(t *testing.T) {
	t.Parallel()
	db, _, direct := openThrough(t, 2)
	ctx := context.Background()
	if _, err := direct.ExecContext(ctx, `CREATE SEQUENCE sent_once`); err != nil {
		t.Fatal(err)
	}
	_, err := db.ExecContext(ctx, `SELECT nextval('sent_once'), pg_terminate_backend(pg_backend_pid())`)
	if code := models.ErrorCode(repository.Translate(err)); code != models.EUNAVAILABLE {
		t.Fatalf("a statement whose connection the server closed: %v (code %q), want %q", err, code, models.EUNAVAILABLE)
	}
	var runs int
	if err := direct.GetContext(ctx, &runs, `SELECT last_value FROM sent_once`); err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Fatalf("the statement ran %d times, want once", runs)
	}
}
