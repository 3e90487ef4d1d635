package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
	"cyberskills/service"
)

// testConfig is the configuration every test server uses unless a test changes it.
func testConfig() Config {
	return Config{
		ListenAddr:      "127.0.0.1:0",
		RequestTimeout:  30 * time.Second,
		ImportTimeout:   2 * time.Minute,
		ShutdownTimeout: 5 * time.Second,
		BodyLimit:       64 << 10,
		ImportBodyLimit: 64 << 20,
		XAPIBodyLimit:   4 << 20,
	}
}

// testRules are the rules' settings every test server uses: the default pass rate, no
// statistics cache, so that a write is in the figures at once, and jobs that beat often,
// so that a test sees their progress soon.
var testRules = service.Config{DefaultPassRate: 0.8, JobHeartbeat: 20 * time.Millisecond}

// newTestServer is a server over db as the tests run it: the service on the test clock.
func newTestServer(db *repository.DB, log *slog.Logger, cfg Config) *Server {
	return NewServer(service.New(db, clocktest.Clock{}, testRules), log, cfg)
}

// testEnv is one test's server over its own database.
type testEnv struct {
	t   *testing.T
	db  *repository.DB
	svc *service.Service
	srv *Server
	h   http.Handler

	adminToken string
}

// newEnv starts a test that runs in parallel with the others, with a server over a
// database of its own.
func newEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvWith(t, testConfig())
}

func newEnvWith(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	return newEnvOnClock(t, cfg, clocktest.Clock{})
}

// newEnvOnClock is newEnvWith with the service on clock, for tests that move time.
func newEnvOnClock(t *testing.T, cfg Config, clock models.Clock) *testEnv {
	t.Helper()
	e, _, _ := newEnvWithService(t, cfg, clock, testRules)
	return e
}

// newEnvWithService is newEnvOnClock with the service's rules given; it returns the
// service and the database's URL too, for tests that wire more to them.
func newEnvWithService(t *testing.T, cfg Config, clock models.Clock, rules service.Config) (*testEnv, *service.Service, string) {
	t.Helper()
	t.Parallel()
	db, url := pgtest.NewURL(t)
	// Server errors reach the test log, so that a 500 explains itself.
	log := slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	svc := service.New(db, clock, rules)
	srv := NewServer(svc, log, cfg)
	// Tokens are authenticated through the cache, as in production.
	ctx, stop := context.WithCancel(context.Background())
	tokens := repository.NewTokenCache(db, time.Hour)
	listening := make(chan error, 1)
	go func() { listening <- tokens.Listen(ctx, url, log) }()
	t.Cleanup(func() { stop(); <-listening })
	for !tokens.Listening() {
		time.Sleep(5 * time.Millisecond)
	}
	srv.AuthenticateWith(tokens)
	return &testEnv{t: t, db: db, svc: svc, srv: srv, h: srv.Router()}, svc, url
}

// rawBody is a request body sent as is with its own media type.
type rawBody struct{ contentType, body string }

func ndjson(lines string) rawBody { return rawBody{"application/x-ndjson", lines} }
func csvBody(text string) rawBody { return rawBody{"text/csv", text} }

// response is a finished request with helpers to read it.
type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// request sends a request through the router. body may be nil, a string or bytes sent
// as is, or a value encoded as JSON; headers come in name, value pairs.
func (e *testEnv) request(method, path string, body any, headers ...string) *response {
	e.t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
		contentType = "application/json"
	case []byte:
		rd = bytes.NewReader(b)
		contentType = "application/json"
	case rawBody:
		rd = strings.NewReader(b.body)
		contentType = b.contentType
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
		contentType = "application/json"
	}
	return e.send(method, path, rd, contentType, headers...)
}

// requestRaw sends body with exactly the given Content-Type (none when empty).
func (e *testEnv) requestRaw(method, path, body, contentType string, headers ...string) *response {
	e.t.Helper()
	return e.send(method, path, strings.NewReader(body), contentType, headers...)
}

// send serves one request through the router, and validates the exchange against the
// served OpenAPI description (contract_test.go).
func (e *testEnv) send(method, path string, body io.Reader, contentType string, headers ...string) *response {
	e.t.Helper()
	var data []byte
	if body != nil {
		var err error
		if data, err = io.ReadAll(body); err != nil {
			e.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(data))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.serve(req, data)
}

// serve serves req, whose body is body, through the router and validates the exchange
// against the served description: the one way every test request goes.
func (e *testEnv) serve(req *http.Request, body []byte) *response {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	checkExchange(e.t, req, body, rec)
	return &response{rec, e.t}
}

// expect fails the test unless the status is want, showing the body.
func (r *response) expect(want int) *response {
	r.t.Helper()
	if r.Code != want {
		r.t.Fatalf("status %d, want %d; body: %s", r.Code, want, r.Body.String())
	}
	return r
}

// decode reads the JSON body into v.
func (r *response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("decoding %q: %v", r.Body.String(), err)
	}
}

// problemBody is the RFC 9457 shape as a client sees it.
type problemBody struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	Details json.RawMessage `json:"details"`
}

// problem asserts the response is a problem with the given status and returns it.
func (r *response) problem(status int) problemBody {
	r.t.Helper()
	r.expect(status)
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p problemBody
	r.decode(&p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Instance == "" {
		r.t.Fatalf("incomplete problem: %+v", p)
	}
	return p
}

// hasFieldError reports whether p names field among its errors.
func (p problemBody) hasFieldError(field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// mint creates a token directly in the database and returns its secret.
func (e *testEnv) mint(role models.Role, org, provider string) string {
	e.t.Helper()
	_, secret := e.createToken(models.NewToken{Name: "test " + string(role), Role: role, OrgCode: org, Provider: provider})
	return secret
}

// createToken creates a token directly in the database, now by the test clock, and
// returns it with its secret.
func (e *testEnv) createToken(n models.NewToken) (models.Token, string) {
	e.t.Helper()
	tok, secret, err := e.db.CreateToken(context.Background(), n, clocktest.Now())
	if err != nil {
		e.t.Fatalf("creating the %s token %q: %v", n.Role, n.Name, err)
	}
	return tok, secret
}

// as sends a request authenticated with token.
func (e *testEnv) as(token, method, path string, body any, headers ...string) *response {
	e.t.Helper()
	return e.request(method, path, body, append([]string{"Authorization", "Bearer " + token}, headers...)...)
}

// admin is a lazily minted admin token for the test's environment.
func (e *testEnv) admin() string {
	e.t.Helper()
	if e.adminToken == "" {
		e.adminToken = e.mint(models.RoleAdmin, "", "")
	}
	return e.adminToken
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// importReportOf is the import report a refused import's problem carries in its details.
func importReportOf(t *testing.T, p problemBody) models.ImportReport {
	t.Helper()
	var r models.ImportReport
	if err := json.Unmarshal(p.Details, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// rejectedFields maps each rejected line of an import to the field of its first error.
func rejectedFields(r models.ImportReport) map[int]string {
	fields := map[int]string{}
	for _, row := range r.Rejected {
		fields[row.Line] = row.Errors[0].Field
	}
	return fields
}

// testLogWriter sends log lines to the test's log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// getJSON reads path as token, expects 200 and decodes the answer.
func getJSON[T any](e *testEnv, token, path string) T {
	e.t.Helper()
	var v T
	e.as(token, "GET", path, nil).expect(200).decode(&v)
	return v
}

// expectLines fails the test, showing both, unless got is want line by line.
func expectLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
