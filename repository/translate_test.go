package repository_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/models"
	"cyberskills/repository"
)

// TestTranslateMapsDatabaseFaultsToUnavailable: every way of not reaching or not
// hearing from the database is EUNAVAILABLE (503), with the driver's error kept as the
// cause, reachable with errors.Is and errors.As; domain errors keep their codes and
// their causes too, and an unknown error stays internal.
func TestTranslateMapsDatabaseFaultsToUnavailable(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, tc := range []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"connection refused", refused, models.EUNAVAILABLE, "the database is unavailable"},
		{"connection reset", reset, models.EUNAVAILABLE, "the database is unavailable"},
		{"socket deadline", timeout, models.EUNAVAILABLE, "the database did not answer in time"},
		{"no route", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.EHOSTUNREACH}, models.EUNAVAILABLE, "the database is unavailable"},
		{"unknown host", &net.DNSError{Err: "no such host", Name: "db.invalid"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"closed by the server", io.EOF, models.EUNAVAILABLE, "the database is unavailable"},
		{"cut short", io.ErrUnexpectedEOF, models.EUNAVAILABLE, "the database is unavailable"},
		{"bad connection", driver.ErrBadConn, models.EUNAVAILABLE, "the database is unavailable"},
		{"connection done", sql.ErrConnDone, models.EUNAVAILABLE, "the database is unavailable"},
		{"request deadline", fmt.Errorf("waiting: %w", context.DeadlineExceeded), models.EUNAVAILABLE, "the database did not answer in time"},
		{"client gone", context.Canceled, models.EUNAVAILABLE, "the request was cancelled before the database answered"},
		{"many hosts", fmt.Errorf("pq: could not connect to any of the hosts:\n%w", errors.Join(refused, reset)), models.EUNAVAILABLE, "the database is unavailable"},
		{"connection failure 08006", &pq.Error{Code: "08006"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"too many connections 53300", &pq.Error{Code: "53300"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"admin shutdown 57P01", &pq.Error{Code: "57P01"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"crash shutdown 57P02", &pq.Error{Code: "57P02"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"cannot connect now 57P03", &pq.Error{Code: "57P03"}, models.EUNAVAILABLE, "the database is unavailable"},
		{"statement timeout 57014", &pq.Error{Code: "57014"}, models.EUNAVAILABLE, "the query took too long and was cancelled"},
		{"unique violation", &pq.Error{Code: "23505", Constraint: "staff_external_id_key"}, models.ECONFLICT, "external_id already exists"},
		{"no rows", sql.ErrNoRows, models.ENOTFOUND, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := repository.Translate(tc.err)
			var e *models.Error
			if !errors.As(got, &e) || e.Code != tc.code || e.Message != tc.message {
				t.Fatalf("translate(%v) = %#v, want code %q message %q", tc.err, got, tc.code, tc.message)
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("the cause %v is not reachable with errors.Is from %v", tc.err, got)
			}
			var pqErr *pq.Error
			if want := new(*pq.Error); errors.As(tc.err, want) && (!errors.As(got, &pqErr) || pqErr != *want) {
				t.Errorf("the pq.Error is not reachable with errors.As from %v", got)
			}
		})
	}
	for _, err := range []error{errors.New("a bug"), &pq.Error{Code: "42601"}} {
		if got := repository.Translate(err); got != err || models.ErrorCode(got) != models.EINTERNAL {
			t.Errorf("translate(%v) = %v (%s), want it unchanged and internal", err, got, models.ErrorCode(got))
		}
	}
}

// TestStreamedWorkIsNeverRetried: WithTx runs its work again after a deadlock, but a
// streamed import's file has been read by then, and a second run would commit an empty
// import. The once-only transaction runs the work once and answers EUNAVAILABLE (503,
// send it again), with the deadlock as its cause.
func TestStreamedWorkIsNeverRetried(t *testing.T) {
	db, ctx := testDB(t)
	deadlock := &pq.Error{Code: "40P01", Message: "deadlock detected"}
	for _, tc := range []struct {
		name     string
		run      func(context.Context, func(*sqlx.Tx) error) error
		wantRuns int
	}{
		{"WithTx retries", db.WithTx, 5},
		{"WithTxOnce does not", db.WithTxOnce, 1},
	} {
		runs := 0
		err := tc.run(ctx, func(*sqlx.Tx) error { runs++; return deadlock })
		if runs != tc.wantRuns {
			t.Errorf("%s: ran %d times, want %d", tc.name, runs, tc.wantRuns)
		}
		if !errors.Is(err, deadlock) {
			t.Errorf("%s: %v does not keep the deadlock as its cause", tc.name, err)
		}
	}
	err := db.WithTxOnce(ctx, func(*sqlx.Tx) error { return deadlock })
	if models.ErrorCode(err) != models.EUNAVAILABLE {
		t.Errorf("once: %v is %s, want %s", err, models.ErrorCode(err), models.EUNAVAILABLE)
	}
}
