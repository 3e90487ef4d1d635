package repository

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"os"
	"strings"

	"github.com/lib/pq"

	"cyberskills/models"
)

// translate maps driver errors onto models error codes in one place, and every query
// helper returns through it, so that no caller can forget. Errors that are already ours
// pass through. A database that cannot be reached or stops answering (refused, reset,
// closed, timed out, shutting down, out of connections) is EUNAVAILABLE, which the API
// answers with 503 and Retry-After; anything else unknown stays internal (logged, not
// shown). The driver's error is kept as the cause.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var mErr *models.Error
	if errors.As(err, &mErr) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return wrap(models.ENOTFOUND, err, "not found")
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "23":
			return constraintError(pqErr)
		case "22":
			return wrap(models.EINVALID, err, "invalid value: %s", pqErr.Message)
		case "08", "53": // connection exception; insufficient resources (too many connections, disk full)
			return wrap(models.EUNAVAILABLE, err, "the database is unavailable")
		case "57":
			switch pqErr.Code {
			case "57014": // query_canceled: statement_timeout, or a cancelled request
				return wrap(models.EUNAVAILABLE, err, "the query took too long and was cancelled")
			case "57P01", "57P02", "57P03", "57P05": // admin or crash shutdown, cannot connect now, idle session timeout
				return wrap(models.EUNAVAILABLE, err, "the database is unavailable")
			}
		}
		return err // 40001 and 40P01 are retried by WithTx; the rest are bugs
	}
	if msg, ok := unreachable(err); ok {
		return wrap(models.EUNAVAILABLE, err, "%s", msg)
	}
	return err
}

// unreachable recognises the errors of a database that did not answer: the dial failed,
// the connection was refused, reset or closed, or the request's time ran out first. A
// client that went away (context.Canceled) is counted here too: nobody reads that answer,
// and 503 says truthfully that the request was not served, where a 500 would report a bug.
func unreachable(err error) (string, bool) {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "the database did not answer in time", true
	case errors.Is(err, context.Canceled):
		return "the request was cancelled before the database answered", true
	}
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, errConnLost), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &netErr): // dial and socket errors: refused, reset, broken pipe, no route (syscall.Errno is a net.Error too)
		return "the database is unavailable", true
	}
	return "", false
}

// notFoundAs is a lookup's error: alt when nothing matched, the translated error when the
// lookup failed for another reason, so that a database that did not answer never reads
// as a missing thing.
func notFoundAs(err error, alt *models.Error) error {
	if err = translate(err); models.ErrorCode(err) == models.ENOTFOUND {
		alt.Err = err
		return alt
	}
	return err
}

// wrap builds a models error that keeps its cause.
func wrap(code string, cause error, format string, args ...any) *models.Error {
	e := models.Errorf(code, format, args...)
	e.Err = cause
	return e
}

func constraintError(pqErr *pq.Error) error {
	if pqErr.Constraint == "staff_erased_check" { // staff_erased_guard, migration 0019
		return wrap(models.EGONE, pqErr, "the person was erased: their record is never written again")
	}
	field := constraintField(pqErr.Constraint)
	switch pqErr.Code {
	case "23505":
		e := wrap(models.ECONFLICT, pqErr, "%s already exists", field)
		e.Fields = []models.FieldError{{Field: field, Message: "already exists"}}
		return e
	case "23503":
		if strings.Contains(pqErr.Message, "still referenced") || strings.Contains(pqErr.Detail, "is still referenced") {
			return wrap(models.ECONFLICT, pqErr, "it is still in use by other records")
		}
		return invalidBecause(pqErr, models.FieldError{Field: field, Message: "refers to something that does not exist"})
	case "23514", "23502":
		return invalidBecause(pqErr, models.FieldError{Field: field, Message: "is not an allowed value"})
	}
	return wrap(models.EINVALID, pqErr, "%s", pqErr.Message)
}

func invalidBecause(cause error, f models.FieldError) *models.Error {
	e := models.Invalid(f)
	e.Err = cause
	return e
}
