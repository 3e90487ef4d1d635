package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"cyberskills/api/problem"
	"cyberskills/docs"
	"cyberskills/repository"
)

// echoBody is a test-only request body that exercises the strict binder.
type echoBody struct {
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// withEcho adds routes that bind a JSON body and that panic, to test the shared
// error handling through the real middleware chain.
func withEcho(e *testEnv) {
	r := e.h.(*gin.Engine)
	r.POST("/test/echo", func(c *gin.Context) {
		var b echoBody
		if err := bindJSON(c, &b); err != nil {
			problem.Error(c, err)
			return
		}
		c.JSON(http.StatusOK, b)
	})
	r.GET("/test/panic", func(c *gin.Context) { panic("boom: secret internals") })
}

func TestHealthzAnswersWithoutDatabase(t *testing.T) {
	t.Parallel()
	srv := newTestServer(unreachableDB(t), slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	e := &testEnv{t: t, srv: srv, h: srv.Router()}
	var body HealthStatus
	e.request("GET", "/healthz", nil).expect(200).decode(&body)
	if body.Status != "ok" {
		t.Fatalf("status %q", body.Status)
	}
}

func TestReadyzReflectsDatabase(t *testing.T) {
	e := newEnv(t)
	e.request("GET", "/readyz", nil).expect(200)

	srv := newTestServer(unreachableDB(t), slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	down := &testEnv{t: t, srv: srv, h: srv.Router()}
	p := down.request("GET", "/readyz", nil).problem(503)
	if !strings.Contains(p.Detail, "database") {
		t.Fatalf("detail %q does not mention the database", p.Detail)
	}
}

// unreachableDB is a handle on a port where nothing listens.
func unreachableDB(t *testing.T) *repository.DB {
	db, err := sqlx.Open("postgres", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &repository.DB{DB: db}
}

func TestErrorShapes(t *testing.T) {
	e := newEnv(t)
	withEcho(e)
	big := `{"name":"` + strings.Repeat("x", int(testConfig().BodyLimit)) + `"}`
	cases := []struct {
		name, method, path, body, contentType string
		status                                int
		field, detail                         string
	}{
		{name: "unknown route", method: "GET", path: "/nope", status: 404, detail: "no such route"},
		{name: "wrong method", method: "DELETE", path: "/healthz", status: 405},
		{name: "malformed JSON", method: "POST", path: "/test/echo", body: `{"name":`, contentType: "application/json", status: 400, detail: "malformed JSON"},
		{name: "syntax error", method: "POST", path: "/test/echo", body: `{"name" "x"}`, contentType: "application/json", status: 400, detail: "malformed JSON"},
		{name: "unknown field", method: "POST", path: "/test/echo", body: `{"name":"a","colour":"red"}`, contentType: "application/json", status: 400, field: "colour"},
		{name: "wrong type", method: "POST", path: "/test/echo", body: `{"level":"high"}`, contentType: "application/json", status: 400, field: "level"},
		{name: "two values", method: "POST", path: "/test/echo", body: `{"name":"a"}{"name":"b"}`, contentType: "application/json", status: 400, detail: "single JSON value"},
		{name: "empty body", method: "POST", path: "/test/echo", body: ``, contentType: "application/json", status: 400, detail: "empty"},
		{name: "wrong content type", method: "POST", path: "/test/echo", body: `name=a`, contentType: "application/x-www-form-urlencoded", status: 415, detail: "application/json"},
		{name: "missing content type", method: "POST", path: "/test/echo", body: `{"name":"a"}`, status: 415},
		{name: "body too large", method: "POST", path: "/test/echo", body: big, contentType: "application/json", status: 413},
		{name: "panic", method: "GET", path: "/test/panic", status: 500, detail: "request id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = []string{"Content-Type", tc.contentType}
			}
			var body any
			if tc.body != "" || tc.method == "POST" {
				body = []byte(tc.body)
			}
			e.t = t
			r := e.request(tc.method, tc.path, body, headers...)
			if tc.contentType == "" && body != nil {
				// request() defaults JSON; a missing header must be removed explicitly.
				r = e.requestRaw(tc.method, tc.path, tc.body, "")
			}
			p := r.problem(tc.status)
			if tc.field != "" && !p.hasFieldError(tc.field) {
				t.Errorf("errors %+v do not name field %q", p.Errors, tc.field)
			}
			if tc.detail != "" && !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", p.Detail, tc.detail)
			}
			if p.RequestID == "" || p.RequestID != r.Header().Get("X-Request-ID") {
				t.Errorf("request id %q not echoed (header %q)", p.RequestID, r.Header().Get("X-Request-ID"))
			}
			if strings.Contains(r.Body.String(), "secret internals") || strings.Contains(r.Body.String(), "goroutine") {
				t.Errorf("body leaks internals: %s", r.Body.String())
			}
		})
	}
}

func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	e := newEnv(t)
	r := e.request("POST", "/healthz", nil)
	r.problem(405)
	if allow := r.Header().Get("Allow"); allow != "GET" {
		t.Fatalf("Allow %q, want GET", allow)
	}
}

func TestRequestIDHonouredAndGenerated(t *testing.T) {
	e := newEnv(t)
	if got := e.request("GET", "/healthz", nil, "X-Request-ID", "abc-123").Header().Get("X-Request-ID"); got != "abc-123" {
		t.Fatalf("X-Request-ID %q, want the caller's abc-123", got)
	}
	if got := e.request("GET", "/healthz", nil, "X-Request-ID", "bad id\nwith newline").Header().Get("X-Request-ID"); len(got) != 32 {
		t.Fatalf("unsafe request id not replaced: %q", got)
	}
}

func TestOpenAPIAndDocs(t *testing.T) {
	e := newEnv(t)
	var spec struct {
		OpenAPI string         `json:"openapi"`
		Info    map[string]any `json:"info"`
		Paths   map[string]any `json:"paths"`
	}
	e.request("GET", "/openapi.json", nil).expect(200).decode(&spec)
	if spec.OpenAPI != "3.0.3" || spec.Info["title"] != "cyberskills API" || spec.Paths["/healthz"] == nil {
		t.Fatalf("unexpected spec: %+v", spec)
	}
	yml := e.request("GET", "/openapi.yaml", nil).expect(200)
	if ct := yml.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/yaml") || !strings.HasPrefix(yml.Body.String(), "openapi: 3.0.3\n") {
		t.Fatalf("/openapi.yaml: %s, %.40q", ct, yml.Body.String())
	}
	if loc := e.request("GET", "/docs", nil).expect(301).Header().Get("Location"); loc != "/docs/index.html" {
		t.Fatalf("/docs redirects to %q", loc)
	}
	if loc := e.request("GET", "/docs/", nil).expect(301).Header().Get("Location"); loc != "/docs/index.html" {
		t.Fatalf("/docs/ redirects to %q", loc)
	}
	page := e.request("GET", "/docs/index.html", nil).expect(200).Body.String()
	if !strings.Contains(page, "swagger-ui") {
		t.Fatalf("/docs/index.html is not Swagger UI")
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	e := newEnv(t)
	e.request("GET", "/healthz", nil).expect(200)
	e.request("GET", "/no/such/thing", nil).expect(404)
	body := e.request("GET", "/metrics", nil).expect(200).Body.String()
	for _, want := range []string{
		`cyberskills_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`cyberskills_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`cyberskills_http_request_duration_seconds_bucket`,
		`go_sql_max_open_connections{db_name="cyberskills"}`,
		"cyberskills_http_requests_in_flight 1\n", // the scrape itself
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestShutdownDrainsAndStops(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	addrc := make(chan string, 1)
	go func() {
		done <- e.srv.ListenAndServe(ctx, func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkWire(t, req, nil, resp, answer)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown returned %v", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

// TestOpenAPIDescribesEveryRoute checks the generated description against the router:
// every route is described, protected routes declare the bearer scheme and their error
// responses and headers.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	var spec struct {
		Paths map[string]map[string]struct {
			OperationID string                    `json:"operationId"`
			Summary     string                    `json:"summary"`
			Security    []map[string][]string     `json:"security"`
			RequestBody map[string]any            `json:"requestBody"`
			Responses   map[string]map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(docs.OpenAPI, &spec); err != nil {
		t.Fatal(err)
	}
	srv := newTestServer(unreachableDB(t), slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	ids := map[string]bool{}
	for _, r := range srv.Router().Routes() {
		if strings.HasPrefix(r.Path, xapiBase) {
			if slices.Contains(xapiDocumentPaths, strings.TrimPrefix(r.Path, xapiBase)) {
				if _, described := spec.Paths[r.Path]; described {
					t.Errorf("%s %s: a document resource, which only answers 501, is described", r.Method, r.Path)
				}
				continue
			}
			checkXAPIOperation(t, spec.Paths[r.Path][strings.ToLower(r.Method)], r.Method, r.Path)
			continue
		}
		if !strings.HasPrefix(r.Path, apiPrefix+"/") { // the start page at /api/v1 needs no token
			continue
		}
		path := regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(r.Path, "{$1}")
		op, ok := spec.Paths[path][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("%s %s is not in the OpenAPI description", r.Method, path)
			continue
		}
		if op.OperationID == "" || op.Summary == "" || ids[op.OperationID] {
			t.Errorf("%s %s: operation id %q (unique) and a summary are required", r.Method, path, op.OperationID)
		}
		ids[op.OperationID] = true
		if len(op.Security) == 0 || op.Security[0]["BearerAuth"] == nil {
			t.Errorf("%s %s does not declare the bearer scheme", r.Method, path)
		}
		// Every authenticated operation can be refused, rate limited, fail, or find the
		// database gone; every one that takes a body can find it too large or of a wrong type.
		statuses := []string{"401", "403", "429", "500", "503"}
		if op.RequestBody != nil {
			statuses = append(statuses, "413", "415")
		}
		for _, status := range statuses {
			if op.Responses[status] == nil && !(status == "403" && r.Method == "GET" && len(everyone) > 0 && isEveryone(srv, r.Method, r.Path)) {
				t.Errorf("%s %s does not document %s", r.Method, path, status)
			}
		}
		for status, header := range map[string]string{"401": "WWW-Authenticate", "429": "Retry-After"} {
			if headers, _ := op.Responses[status]["headers"].(map[string]any); headers[header] == nil {
				t.Errorf("%s %s: the %s response does not describe its %s header", r.Method, path, status, header)
			}
		}
	}
}

// checkXAPIOperation checks the description of an operation of the xAPI surface: the
// LRS's schemes (HTTP Basic and bearer; none for the About resource), and the xAPI
// headers on every answer.
func checkXAPIOperation(t *testing.T, op struct {
	OperationID string                    `json:"operationId"`
	Summary     string                    `json:"summary"`
	Security    []map[string][]string     `json:"security"`
	RequestBody map[string]any            `json:"requestBody"`
	Responses   map[string]map[string]any `json:"responses"`
}, method, path string) {
	t.Helper()
	public := path == xapiBase+"/about"
	if op.OperationID == "" || (!public && (len(op.Security) != 2 || op.Security[0]["LRSBasic"] == nil || op.Security[1]["BearerAuth"] == nil)) {
		t.Errorf("%s %s: operation %q does not declare HTTP Basic and bearer", method, path, op.OperationID)
	}
	for status, r := range op.Responses {
		headers, _ := r["headers"].(map[string]any)
		if headers[XAPIVersionHeader] == nil || headers[xapiConsistentHeader] == nil {
			t.Errorf("%s %s: the %s answer does not describe the xAPI headers", method, path, status)
		}
	}
}

// isEveryone reports whether a route is open to every role (so it cannot answer 403).
func isEveryone(s *Server, method, path string) bool {
	for _, rt := range s.apiRoutes() {
		if rt.method == method && apiPrefix+rt.path == path {
			return len(rt.roles) == len(everyone)
		}
	}
	return false
}
