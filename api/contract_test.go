package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard"
	"cyberskills/docs"
)

// The contract test: every exchange the API tests make through send (and the fault
// tests through faultEnv.send) is validated against the description the server serves,
// with kin-openapi's openapi3filter, an OpenAPI validator independent of how the
// description is made. An answer that breaks the description fails the test that
// produced it: a status, header, media type or body shape it does not declare.
//
// The rule for requests: a request the server accepted (any status below 400) must be one
// the description accepts, security included. A request the server refused is often
// malformed on purpose (the tests of 400s), so only its answer is validated.
//
// Requests to paths or methods the description does not have (unknown routes, 405s,
// Swagger UI's files) have no operation to check against; TestEveryRouteIsDescribed keeps
// every route of the router in the description.

// contract is the served description, loaded once per package run.
var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error

	validated, undescribed atomic.Int64
}

// loadContract loads the description the server embeds and serves.
func loadContract() (*openapi3.T, routers.Router, error) {
	contract.once.Do(func() {
		// Files (NDJSON imports, this description as YAML, xAPI statements with their
		// attachments' data) and the start page for a browser are declared as strings.
		for _, mediaType := range []string{"application/x-ndjson", "application/jsonl", "application/yaml", "multipart/mixed", "text/html"} {
			openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.PlainBodyDecoder)
		}
		loader := openapi3.NewLoader()
		contract.doc, contract.err = loader.LoadFromData(docs.OpenAPI)
		if contract.err == nil {
			contract.err = contract.doc.Validate(context.Background())
		}
		if contract.err == nil {
			contract.router, contract.err = gorillamux.NewRouter(contract.doc)
		}
	})
	return contract.doc, contract.router, contract.err
}

// bearerPresent is the check of the bearer and basic schemes on a request the server
// accepted: it carries a bearer token, or HTTP Basic credentials (whether they are good
// is the server's business). xAPI 1.0's alternate syntax carries them in its form.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	auth := r.Header.Get("Authorization")
	if r.URL.Query().Has("method") && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("Authorization") != "" {
			auth = form.Get("Authorization")
		}
	}
	scheme := map[string]string{"bearer": "Bearer ", "basic": "Basic "}[in.SecurityScheme.Scheme]
	switch {
	case in.SecurityScheme.Type != "http" || scheme == "":
		return fmt.Errorf("scheme %s is not checked by the tests", in.SecuritySchemeName)
	case !strings.HasPrefix(auth, scheme):
		return fmt.Errorf("no %s credentials", in.SecurityScheme.Scheme)
	}
	return nil
}

// transportHeaders are response headers that belong to HTTP itself, not to an operation.
var transportHeaders = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Date": true, "Vary": true,
	"Content-Encoding": true, "Transfer-Encoding": true,
}

// checkExchange validates one exchange, req with its body and the answer rec, against
// the description; t fails with each violation. Safe from any goroutine of the test.
func checkExchange(t testing.TB, req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, router, err := loadContract()
	if err != nil {
		t.Fatalf("contract: loading the served description: %v", err)
	}
	// The router needs a request as a client would have sent it; the server may have
	// read the body, so each validation gets it anew.
	fresh := func() *http.Request {
		r := req.Clone(context.Background())
		r.Body = io.NopCloser(bytes.NewReader(body))
		return r
	}
	route, pathParams, err := router.FindRoute(fresh())
	if err != nil {
		contract.undescribed.Add(1)
		return
	}
	contract.validated.Add(1)
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: bearerPresent}
	// A server sends no body in answer to a HEAD (net/http eats what the handler writes);
	// the recorder keeps it, which the description rightly does not describe.
	head := req.Method == http.MethodHead
	opts.ExcludeResponseBody = head
	opts.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
	})
	in := &openapi3filter.RequestValidationInput{Request: fresh(), PathParams: pathParams, Route: route, Options: opts}
	var violations []string
	if rec.Code < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			violations = append(violations, "request: "+err.Error())
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code,
		Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		violations = append(violations, "response: "+err.Error())
	}
	violations = append(violations, undeclared(route.Operation, rec, head)...)
	if len(violations) == 0 {
		keepExchange(route.Operation, req.Header.Get("Content-Type"), body, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	}
	if len(violations) > 0 {
		t.Errorf("contract: %s %s (%s) answered %d, which breaks the description:\n  %s\nrequest body: %s\nresponse: %v\n%s",
			req.Method, req.URL.RequestURI(), route.Operation.OperationID, rec.Code, strings.Join(violations, "\n  "),
			excerpt(body), rec.Header(), excerpt(rec.Body.Bytes()))
	}
}

// undeclared lists what the answer carries that the operation does not declare, which
// openapi3filter lets through: headers, and a body where none is described (unless
// the request was a HEAD, whose answer's body is never sent).
func undeclared(op *openapi3.Operation, rec *httptest.ResponseRecorder, head bool) []string {
	r := op.Responses.Status(rec.Code)
	if r == nil || r.Value == nil {
		return nil // reported by ValidateResponse
	}
	declared := map[string]bool{}
	for name := range r.Value.Headers {
		declared[http.CanonicalHeaderKey(name)] = true
	}
	var out []string
	for name := range rec.Header() {
		if !transportHeaders[name] && !declared[name] {
			out = append(out, fmt.Sprintf("header %s is not declared for %d", name, rec.Code))
		}
	}
	if !head && rec.Body.Len() > 0 && len(r.Value.Content) == 0 {
		out = append(out, fmt.Sprintf("a body is sent, but %d declares none", rec.Code))
	}
	return out
}

// checkWire is checkExchange for an exchange made over a socket: req as sent with its
// body, and res, whose body the caller has read as answer. It returns the answer as a
// recorder, as the in-process exchanges have it.
func checkWire(t testing.TB, req *http.Request, body []byte, res *http.Response, answer []byte) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	for k, v := range res.Header {
		rec.Header()[k] = v
	}
	rec.WriteHeader(res.StatusCode)
	rec.Write(answer)
	checkExchange(t, req, body, rec)
	return rec
}

func excerpt(b []byte) string {
	const most = 1500
	if len(b) > most {
		return string(b[:most]) + "..."
	}
	return string(b)
}

func TestMain(m *testing.M) {
	code := m.Run()
	removeServerBinary()
	if examplesOut != "" && code == 0 {
		if err := writeExamples(); err != nil {
			fmt.Println("examples:", err)
			code = 1
		}
	}
	if n := contract.validated.Load(); n > 0 {
		line := fmt.Sprintf("contract: %d exchanges validated against docs/openapi.json (%d to routes it does not describe)\n",
			n, contract.undescribed.Load())
		fmt.Print(line)
		// go test shows a passing package's output only with -v; scripts/test.sh prints this file.
		if report := os.Getenv("CONTRACT_REPORT"); report != "" {
			os.WriteFile(report, []byte(line), 0o644)
		}
	}
	os.Exit(code)
}

// TestEveryRouteIsDescribed keeps the router and the description in step: every route
// but Swagger UI's and the xAPI document resources' (which only answer 501, and are named
// in the xapi tag's description) is an operation, and every operation a route.
func TestEveryRouteIsDescribed(t *testing.T) {
	e := newEnv(t)
	doc, _, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+path] = true
		}
	}
	for _, r := range e.h.(interface{ Routes() gin.RoutesInfo }).Routes() {
		if strings.HasPrefix(r.Path, "/docs") {
			continue // Swagger UI
		}
		if strings.HasPrefix(r.Path, dashboard.Prefix) {
			continue // HTML for people, not the API: TestDashboardViewsCoverEveryRoute
		}
		if slices.Contains(xapiDocumentPaths, strings.TrimPrefix(r.Path, xapiBase)) {
			continue
		}
		key := r.Method + " " + ginPathParams.ReplaceAllString(r.Path, "{$1}")
		if !described[key] {
			t.Errorf("route %s is not in the description", key)
		}
		delete(described, key)
	}
	for key := range described {
		t.Errorf("the description has %s, which no route serves", key)
	}
}

var ginPathParams = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPIYAMLIsTheJSON checks that /openapi.yaml says what /openapi.json says.
func TestOpenAPIYAMLIsTheJSON(t *testing.T) {
	t.Parallel()
	fromJSON, _, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := openapi3.NewLoader().LoadFromData(docs.OpenAPIYAML)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fromJSON)
	b, _ := json.Marshal(fromYAML)
	if !bytes.Equal(a, b) {
		t.Error("docs/openapi.yaml and docs/openapi.json differ")
	}
}
