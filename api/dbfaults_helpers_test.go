package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// These helpers measure elapsed time (clocktest.Elapsed) and poll with deadlines; no business
// date comes from the wall clock.

// faultEnv is a server wired as main.go wires it (audit buffer, token cache listening for
// changes) over a pool that reaches its database through a fault proxy. direct reaches
// the same database without the proxy, for fixtures and for checking what was stored.
type faultEnv struct {
	t      *testing.T
	srv    *Server
	h      http.Handler
	db     *repository.DB
	direct *repository.DB
	proxy  *pgtest.Proxy
	admin  string
	logs   *logCapture
	app    string // application_name of the pool's connections
}

// faultPool is the pool's configuration in these tests: production's, but for a short
// connect timeout, which only shortens how long lib/pq's background cancel requests
// linger (no request waits for them).
func faultPool(url string, maxOpen int) repository.Config {
	return repository.Config{
		URL: url, MaxOpenConns: maxOpen, MaxIdleConns: maxOpen, ConnMaxLifetime: time.Minute,
		StatementTimeout: 10 * time.Second, ConnectTimeout: time.Second, KeepAlive: 15 * time.Second, TCPUserTimeout: 30 * time.Second,
	}
}

// newFaultEnv builds the environment over a fresh database holding organisation FLT
// with staff S1..Sn. Inside leakCheck's function, the goroutines it starts carry the
// test's label (the proxy's carry none).
func newFaultEnv(t *testing.T, staff int, cfg Config, maxOpen int) *faultEnv {
	t.Helper()
	direct, raw := pgtest.NewURL(t)
	faultFixture(t, direct, staff)
	proxy, through := pgtest.NewProxy(t, raw)
	app := fmt.Sprintf("faults_%p", t)
	u, err := url.Parse(through)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	through = u.String()

	db, err := repository.Open(context.Background(), faultPool(through, maxOpen))
	if err != nil {
		t.Fatal(err)
	}
	logs := &logCapture{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := newTestServer(db, log, cfg)
	audit := repository.NewAuditBuffer(db, log, 100*time.Millisecond, 500)
	srv.RecordAuditWith(audit)
	tokens := repository.NewTokenCache(db, time.Hour)
	ctx, stop := context.WithCancel(context.Background())
	listening := make(chan error, 1)
	go func() { listening <- tokens.Listen(ctx, through, log) }()
	srv.AuthenticateWith(tokens)
	e := &faultEnv{t: t, srv: srv, h: srv.Router(), db: db, direct: direct, proxy: proxy, logs: logs, app: app}
	t.Cleanup(func() {
		proxy.Set(pgtest.Pass)
		stop()
		<-listening
		audit.Close()
		db.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	for deadline := clocktest.After(10 * time.Second); !tokens.Listening(); time.Sleep(5 * time.Millisecond) {
		if deadline.Passed() {
			t.Fatal("the token listener did not connect")
		}
	}
	_, secret, err := direct.CreateToken(context.Background(), models.NewToken{Name: "faults admin", Role: models.RoleAdmin}, clocktest.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.admin = secret
	return e
}

// answer is one request's outcome as a client saw it.
type answer struct {
	method, path string
	code         int
	header       http.Header
	body         []byte
	elapsed      time.Duration
}

func (a answer) String() string {
	return fmt.Sprintf("%s %s: %d after %s: %s", a.method, a.path, a.code, a.elapsed, a.body)
}

// send makes one request through the router, with body (when not nil) as JSON; safe
// from any goroutine.
func (e *faultEnv) send(method, path string, body any, headers ...string) answer {
	if body == nil {
		return e.sendText(method, path, "", "", headers...)
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	return e.sendText(method, path, "application/json", string(b), headers...)
}

// sendText is send with a body of its own media type.
func (e *faultEnv) sendText(method, path, contentType, body string, headers ...string) answer {
	var rd io.Reader
	if contentType != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if strings.HasPrefix(path, apiPrefix) || strings.HasPrefix(path, xapiBase) {
		req.Header.Set("Authorization", "Bearer "+e.admin)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	stopwatch := clocktest.Elapsed()
	e.h.ServeHTTP(rec, req)
	elapsed := stopwatch()
	checkExchange(e.t, req, []byte(body), rec)
	return answer{method: method, path: path, code: rec.Code, header: rec.Header(), body: rec.Body.Bytes(), elapsed: elapsed}
}

// unavailable reports what is wrong with a as the answer of a database fault: a 503
// problem (RFC 9457) with Retry-After, within bound of the request's start.
func (a answer) unavailable(bound time.Duration) string {
	var p problemBody
	switch {
	case a.code != http.StatusServiceUnavailable:
		return "want 503"
	case !strings.HasPrefix(a.header.Get("Content-Type"), "application/problem+json"):
		return "want application/problem+json, got " + a.header.Get("Content-Type")
	case a.header.Get("Retry-After") != "2":
		return "want Retry-After: 2, got " + a.header.Get("Retry-After")
	case json.Unmarshal(a.body, &p) != nil || p.Status != 503 || p.Type == "" || p.Detail == "" || p.RequestID == "":
		return "want a complete problem"
	case a.elapsed >= bound:
		return fmt.Sprintf("want it within %s", bound)
	}
	return ""
}

// clientSlack is what a client's own measurement may add to the server's budget: the test
// times a request from before it is sent until its answer is read, on a machine that may
// be running other suites, and with a two-second budget the server keeps only a fifth of
// a second to answer after stopping its queries. A hang lasts thirty seconds, so the
// bound stays meaningful.
const clientSlack = 500 * time.Millisecond

// timings summarises how long the answers took, by route, for the test log: the figures
// behind README's Operations section.
func timings(answers []answer) string {
	by := map[string][]time.Duration{}
	var keys []string
	for _, a := range answers {
		k := a.method + " " + a.path
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], a.elapsed)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		d := by[k]
		slices.Sort(d)
		parts = append(parts, fmt.Sprintf("%s: %d, median %s, max %s", k, len(d), d[len(d)/2].Round(time.Millisecond), d[len(d)-1].Round(time.Millisecond)))
	}
	return strings.Join(parts, "; ")
}

// waitHealthy polls until /readyz and an authenticated read answer 200 again.
func (e *faultEnv) waitHealthy(path string) {
	e.t.Helper()
	deadline := clocktest.After(20 * time.Second)
	for {
		r, a := e.send("GET", "/readyz", nil), e.send("GET", path, nil)
		if r.code == 200 && a.code == 200 {
			return
		}
		if deadline.Passed() {
			e.t.Fatalf("twenty seconds after the fault was lifted: %s; %s", r, a)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noLeftovers polls until the pool holds no connection in use and the server has no
// more backends of this pool (and its listener) than the pool has connections: the
// connections cut off during the fault are gone on both sides.
func (e *faultEnv) noLeftovers() {
	e.t.Helper()
	deadline := clocktest.After(30 * time.Second)
	for {
		s := e.db.Stats()
		var backends int
		err := e.direct.Get(&backends, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, e.app)
		if err == nil && s.InUse == 0 && s.OpenConnections <= s.MaxOpenConnections && backends <= s.OpenConnections+1 {
			return
		}
		if deadline.Passed() {
			e.t.Fatalf("connections left over: pool %+v, %d server backends for %s (%v)", s, backends, e.app, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// leakCheck runs f with its goroutines labelled, so that they can be counted apart from
// those of the tests running alongside. f returns once its environment is warm; settle
// is then called after the faults, and polls until no more labelled goroutines run than
// when f was warm.
func leakCheck(t *testing.T, f func(warm func(), settle func())) {
	t.Helper()
	id := fmt.Sprintf("%p", t)
	pprof.Do(context.Background(), pprof.Labels("leakcheck", id), func(context.Context) {
		baseline := -1
		warm := func() { baseline = labelled(id) }
		settle := func() {
			t.Helper()
			deadline := clocktest.After(30 * time.Second)
			for {
				n := labelled(id)
				if n <= baseline {
					return
				}
				if deadline.Passed() {
					t.Fatalf("%d goroutines of this test still run thirty seconds after the fault, %d before it:\n%s", n, baseline, labelledStacks(id))
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		f(warm, settle)
	})
}

// labelled counts the goroutines labelled leakcheck=id.
func labelled(id string) int {
	n := 0
	for _, rec := range goroutineRecords(id) {
		var c int
		fmt.Sscanf(rec, "%d @", &c)
		n += c
	}
	return n
}

func labelledStacks(id string) string { return strings.Join(goroutineRecords(id), "\n\n") }

// goroutineRecords are the goroutine profile's records (debug=1: a count, a stack and
// the labels) for the label.
func goroutineRecords(id string) []string {
	var buf bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&buf, 1)
	_, records, _ := strings.Cut(buf.String(), "\n") // after "goroutine profile: total N"
	var out []string
	for _, rec := range strings.Split(records, "\n\n") {
		if strings.Contains(rec, `"leakcheck":"`+id+`"`) {
			out = append(out, rec)
		}
	}
	return out
}
