package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// openWithStatementTimeout opens a second pool on a fresh test database, the way the
// service does (repository.Open), with the given DB_STATEMENT_TIMEOUT.
func openWithStatementTimeout(t *testing.T, dsn string, timeout time.Duration) *repository.DB {
	t.Helper()
	db, err := repository.Open(context.Background(), repository.Config{
		URL: dsn, MaxOpenConns: 2, MaxIdleConns: 2, ConnMaxLifetime: time.Minute, StatementTimeout: timeout,
	})
	if err != nil {
		t.Fatalf("repository.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// keyValueDSN rewrites a postgres:// URL as the equivalent key=value DSN, so that both
// forms that DATABASE_URL accepts are exercised. ok is false when the URL cannot be
// rewritten (then the key=value case is skipped).
func keyValueDSN(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", false
	}
	opts := map[string]string{}
	if u.User != nil {
		opts["user"] = u.User.Username()
		if p, ok := u.User.Password(); ok {
			opts["password"] = p
		}
	}
	if h := u.Hostname(); h != "" {
		opts["host"] = h
	}
	if p := u.Port(); p != "" {
		opts["port"] = p
	}
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		opts["dbname"] = db
	}
	for k, vs := range u.Query() {
		if len(vs) != 1 {
			return "", false
		}
		opts[k] = vs[0]
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := strings.ReplaceAll(strings.ReplaceAll(opts[k], `\`, `\\`), `'`, `\'`)
		parts[i] = k + "='" + v + "'"
	}
	return strings.Join(parts, " "), true
}

// TestStatementTimeoutCancelsSlowQueries opens the database as the service does, with a
// statement_timeout of 150 ms, in both DSN forms: the server setting is in force on
// every pooled connection, a 3 s pg_sleep is cancelled by PostgreSQL with
// query_canceled (57014) long before it would end, and the connection stays usable.
func TestStatementTimeoutCancelsSlowQueries(t *testing.T) {
	t.Parallel()
	_, dsn := pgtest.NewURL(t)
	forms := map[string]string{"url": dsn}
	if kv, ok := keyValueDSN(dsn); ok {
		forms["key=value"] = kv
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := openWithStatementTimeout(t, form, 150*time.Millisecond)
			ctx := context.Background()
			// Both connections of the pool carry the setting, not only the first.
			conns := make([]*sqlx.Conn, 2)
			for i := range conns {
				c, err := db.Connx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				conns[i] = c
			}
			for i, c := range conns {
				var setting string
				if err := c.GetContext(ctx, &setting, `SHOW statement_timeout`); err != nil {
					t.Fatal(err)
				}
				if setting != "150ms" {
					t.Errorf("connection %d: statement_timeout %q, want 150ms", i, setting)
				}
				c.Close()
			}

			stopwatch := clocktest.Elapsed()
			_, err := db.ExecContext(ctx, `SELECT pg_sleep(3)`)
			elapsed := stopwatch()
			var pqErr *pq.Error
			if !errors.As(err, &pqErr) || pqErr.Code != "57014" {
				t.Fatalf("pg_sleep(3) under a 150ms statement_timeout: %v (%T), want a 57014 query_canceled error", err, err)
			}
			if elapsed < 100*time.Millisecond || elapsed > 2*time.Second {
				t.Fatalf("the query was cancelled after %s, want about 150ms", elapsed)
			}
			var one int
			if err := db.GetContext(ctx, &one, `SELECT 1`); err != nil || one != 1 {
				t.Fatalf("the pool is unusable after a cancelled statement: %d, %v", one, err)
			}
			// A quick statement is unaffected.
			if _, err := db.ExecContext(ctx, `SELECT pg_sleep(0.01)`); err != nil {
				t.Fatalf("a 10ms statement under a 150ms timeout: %v", err)
			}
		})
	}
}

// TestStatementTimeoutMapsToServiceUnavailable follows a cancelled statement through the
// repository's error translation (WithTx, like every repository write) and the API's one
// table of statuses: README "Errors" promises 503 when a query ran out of time, with the
// caller-safe detail and no SQL in the body.
func TestStatementTimeoutMapsToServiceUnavailable(t *testing.T) {
	t.Parallel()
	_, dsn := pgtest.NewURL(t)
	db := openWithStatementTimeout(t, dsn, 150*time.Millisecond)
	err := db.WithTx(context.Background(), func(tx *sqlx.Tx) error {
		_, err := tx.Exec(`SELECT pg_sleep(3)`)
		return err
	})
	var mErr *models.Error
	if !errors.As(err, &mErr) {
		t.Fatalf("a timed-out statement in WithTx: %v (%T), want a *models.Error", err, err)
	}
	if mErr.Code != models.EUNAVAILABLE || mErr.Message != "the query took too long and was cancelled" {
		t.Fatalf("code %q message %q, want %q %q", mErr.Code, mErr.Message, models.EUNAVAILABLE, "the query took too long and was cancelled")
	}

	gin.SetMode(gin.ReleaseMode)
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/statistics/headline", nil)
	c.Set(problem.RequestIDKey, "req-timeout-1")
	problem.Error(c, err)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, problem.ContentType) {
		t.Fatalf("Content-Type %q, want %s", ct, problem.ContentType)
	}
	var p problem.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body.String(), err)
	}
	want := problem.Problem{
		Type: problem.TypeBase + "unavailable", Title: "Service unavailable", Status: 503,
		Detail: "the query took too long and was cancelled", Instance: "/api/v1/statistics/headline", RequestID: "req-timeout-1",
	}
	if p.Type != want.Type || p.Title != want.Title || p.Status != want.Status || p.Detail != want.Detail ||
		p.Instance != want.Instance || p.RequestID != want.RequestID || len(p.Errors) != 0 {
		t.Fatalf("problem %+v, want %+v", p, want)
	}
	if strings.Contains(rec.Body.String(), "pg_sleep") || strings.Contains(rec.Body.String(), "57014") {
		t.Fatalf("the body leaks SQL details: %s", rec.Body.String())
	}
}

// TestStatementTimeoutSetByCallerWins: a DATABASE_URL that sets statement_timeout itself
// keeps its own value; the configured one is only a default.
func TestStatementTimeoutSetByCallerWins(t *testing.T) {
	t.Parallel()
	_, dsn := pgtest.NewURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skipf("TEST_DATABASE_URL is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("statement_timeout", "4321")
	u.RawQuery = q.Encode()
	db := openWithStatementTimeout(t, u.String(), 150*time.Millisecond)
	var setting string
	if err := db.GetContext(context.Background(), &setting, `SHOW statement_timeout`); err != nil {
		t.Fatal(err)
	}
	if setting != "4321ms" {
		t.Fatalf("statement_timeout %q, want the URL's 4321ms", setting)
	}
}

// TestRequestBudgetCancelsQueryAsUnavailable: when the request's own budget
// (REQUEST_TIMEOUT, a context deadline) ends during a query, lib/pq cancels the statement
// on the server and the repository reports it like a statement_timeout: EUNAVAILABLE,
// which the API answers with 503, not a 500.
func TestRequestBudgetCancelsQueryAsUnavailable(t *testing.T) {
	t.Parallel()
	_, dsn := pgtest.NewURL(t)
	db := openWithStatementTimeout(t, dsn, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	stopwatch := clocktest.Elapsed()
	err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_sleep(3)`)
		return err
	})
	if elapsed := stopwatch(); elapsed > 2*time.Second {
		t.Fatalf("the query ran %s past a 150ms deadline", elapsed)
	}
	if code := models.ErrorCode(err); code != models.EUNAVAILABLE {
		t.Fatalf("a query cut off by the request deadline: %v (%T), code %q, want %q", err, err, code, models.EUNAVAILABLE)
	}
	var one int
	if err := db.GetContext(context.Background(), &one, `SELECT 1`); err != nil || one != 1 {
		t.Fatalf("the pool is unusable after a cancelled request: %d, %v", one, err)
	}
}
