package api

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
)

// discardAudit is a recorder that records nothing: what reaches the trail with it in
// place was written by the storage itself.
type discardAudit struct{}

func (discardAudit) RecordAudit(context.Context, models.AuditEntry) error { return nil }

// computeOnly are the write routes that change nothing: their entries are recorded after
// the response, as reads are.
var computeOnly = []string{"POST /api/v1/organisations/:code/scenarios/evaluate"}

// Every write that succeeds has its audit entry committed in its own transaction: with a
// recorder that drops everything handed to it after the response, each 2xx write still
// finds its entry in the trail (its status not yet filled in).
func TestWriteAuditCommitsWithTheWrite(t *testing.T) {
	base := newEnv(t)
	srv := newTestServer(base.db, slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	srv.RecordAuditWith(discardAudit{})
	e := &testEnv{t: t, db: base.db, srv: srv, h: srv.Router()}
	newMatrixFixture(e)
	var keys []string
	for key := range accessMatrix {
		if !strings.HasPrefix(key, "GET ") && !strings.HasPrefix(key, "HEAD ") && !slices.Contains(computeOnly, key) {
			keys = append(keys, key)
		}
	}
	// Deletions last, so that they do not take away what the other writes name.
	slices.SortFunc(keys, func(a, b string) int {
		return strings.Compare(strings.Replace(a, "DELETE ", "~", 1), strings.Replace(b, "DELETE ", "~", 1))
	})
	checked := 0
	for _, key := range keys {
		a := accessMatrix[key]
		method, _, _ := strings.Cut(key, " ")
		r := e.as(e.admin(), method, a.path, a.body, a.headers...)
		if r.Code >= 300 {
			continue // refused in this order of calls: nothing was written
		}
		var n int
		var pending bool
		if err := e.db.QueryRow(`SELECT count(*), COALESCE(bool_and(status IS NULL), false) FROM audit_log WHERE request_id = $1`,
			r.Header().Get("X-Request-ID")).Scan(&n, &pending); err != nil {
			t.Fatal(err)
		}
		if n != 1 || !pending {
			t.Errorf("%s answered %d but the trail holds %d entries for it (status pending: %v)", key, r.Code, n, pending)
		}
		checked++
	}
	if checked < 30 {
		t.Fatalf("only %d writes succeeded: the check covers too little", checked)
	}
}

// A NUL or a byte that is not UTF-8 in the path, the query or a header is refused with
// 400 before anything reads it, authentication included, and leaves no trace in the trail.
func TestMalformedInputIsRefusedFirst(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	cases := []struct {
		name, target string
		header       []string
		where        string
	}{
		{"NUL in a path parameter", "/api/v1/organisations/ORGA/staff/x%00y", nil, "path"},
		{"bytes that are not UTF-8 in the path", "/api/v1/organisations/%ff%fe", nil, "path"},
		{"NUL in the query", "/api/v1/organisations?q=a%00b", nil, "query string"},
		{"bytes that are not UTF-8 in the query", "/api/v1/organisations?q=%c3%28", nil, "query string"},
		{"a malformed escape in the query", "/api/v1/organisations?q=%zz", nil, "query string"},
		{"NUL in a header", "/api/v1/organisations", []string{"X-Note", "a\x00b"}, "header X-Note"},
		{"bytes that are not UTF-8 in a header", "/api/v1/organisations", []string{"X-Note", "caf\xe9"}, "header X-Note"},
	}
	for _, tc := range cases {
		for _, token := range []string{"", admin} {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", ""
			u, err := req.URL.Parse(tc.target)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			req.URL = u
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			for i := 0; i+1 < len(tc.header); i += 2 {
				req.Header[tc.header[i]] = []string{tc.header[i+1]}
			}
			p := e.serve(req, nil).problem(400)
			if !strings.Contains(p.Detail, tc.where) {
				t.Errorf("%s: detail %q does not name the %s", tc.name, p.Detail, tc.where)
			}
		}
	}
	var entries int
	if err := e.db.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&entries); err != nil || entries != 0 {
		t.Fatalf("the refused requests left %d audit entries (%v)", entries, err)
	}
	e.as(admin, "GET", "/api/v1/organisations?q=caf%C3%A9", nil).expect(200)
}
