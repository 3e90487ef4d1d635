package api

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// /readyz follows the database: 503 while it is gone, 200 again once it is back, with
// no restart of the service.
func TestReadyzRecoversWhenTheDatabaseReturns(t *testing.T) {
	t.Parallel()
	_, direct := pgtest.NewURL(t)
	proxy, through := pgtest.NewProxy(t, direct)
	db, err := repository.Open(context.Background(), repository.Config{URL: through, MaxOpenConns: 2, MaxIdleConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := newTestServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	e := &testEnv{t: t, db: db, srv: srv, h: srv.Router()}
	e.request("GET", "/readyz", nil).expect(200)

	proxy.Set(pgtest.Refuse)
	if p := e.request("GET", "/readyz", nil).problem(503); !strings.Contains(p.Detail, "database") {
		t.Fatalf("with the database gone: %q", p.Detail)
	}
	proxy.Set(pgtest.Pass)
	deadline := clocktest.After(10 * time.Second)
	for {
		r := e.request("GET", "/readyz", nil)
		if r.Code == 200 {
			break
		}
		if deadline.Passed() {
			t.Fatalf("still %d ten seconds after the database came back", r.Code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
