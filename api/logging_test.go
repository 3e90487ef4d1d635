package api

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/logtest"
	"cyberskills/repository/pgtest"
)

// logCapture keeps everything a server logs, for tests to read back.
type logCapture struct{ logtest.Buffer }

// lines decodes every line as JSON, failing the test on one that is not.
func (c *logCapture) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(c.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out
}

// withRequestID returns the lines of one request.
func (c *logCapture) withRequestID(t *testing.T, id string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, rec := range c.lines(t) {
		if rec["request_id"] == id {
			out = append(out, rec)
		}
	}
	return out
}

// newLoggingEnv is a test server whose logger writes JSON lines, from debug level up,
// to a capture, as the service's logger does in production (LOG_FORMAT=json). Like
// newEnv, it starts a parallel test.
func newLoggingEnv(t *testing.T) (*testEnv, *logCapture) {
	t.Helper()
	t.Parallel()
	db := pgtest.New(t)
	capture := &logCapture{}
	log := slog.New(slog.NewJSONHandler(capture, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newTestServer(db, log, testConfig())
	return &testEnv{t: t, db: db, srv: srv, h: srv.Router()}, capture
}

func keysOf(rec map[string]any) []string {
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Identifiers the log must never show: a staff member's external id and name, a search
// term, and secrets.
const (
	logStaffID   = "EMP-LOGSECRET-4471"
	logStaffName = "Jane Logsecret-Public"
	logSearch    = "QLOGSECRET"
)

// TestRequestLogShowsRoutePatternsOnly: each request is one JSON line with the request
// id, method, route pattern, status, duration, bytes and token id, and nothing else: the
// raw path (with staff ids), the query string, the body and the bearer token never reach
// the log, for reads, writes, searches and unknown routes alike.
func TestRequestLogShowsRoutePatternsOnly(t *testing.T) {
	e, capture := newLoggingEnv(t)
	tok, admin := e.createToken(models.NewToken{Name: "log admin", Role: models.RoleAdmin})
	if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type) VALUES ('ORGL', 'Logging trust', 'trust')`); err != nil {
		t.Fatal(err)
	}
	e.as(admin, "PUT", "/api/v1/organisations/ORGL/roles/log-role", roleBody("")).expect(201)
	e.as(admin, "PUT", "/api/v1/organisations/ORGL/staff/"+logStaffID,
		map[string]any{"role": "log-role", "display_name": logStaffName, "email": "jane.logsecret@nhs.net"},
		"X-Request-ID", "log-put").expect(201)
	e.as(admin, "GET", "/api/v1/organisations/ORGL/staff/"+logStaffID+"?token="+admin, nil, "X-Request-ID", "log-get").expect(200)
	e.as(admin, "GET", "/api/v1/organisations/ORGL/staff?q="+logSearch+"&limit=5", nil, "X-Request-ID", "log-list").expect(200)
	e.as(admin, "POST", "/api/v1/organisations/ORGL/staff/"+logStaffID+"/evidence",
		map[string]any{"skill": "firewall-config", "level": 2, "source": "assessment"}, "X-Request-ID", "log-evidence").expect(201)
	e.as(admin, "GET", "/api/v1/no-such/"+logStaffID+"?q="+logSearch, nil, "X-Request-ID", "log-unmatched").problem(404)

	for _, tc := range []struct {
		id, method, route string
		status            float64
		level             string
		token             bool
	}{
		{"log-put", "PUT", "/api/v1/organisations/:code/staff/:external_id", 201, "INFO", true},
		{"log-get", "GET", "/api/v1/organisations/:code/staff/:external_id", 200, "INFO", true},
		{"log-list", "GET", "/api/v1/organisations/:code/staff", 200, "INFO", true},
		{"log-evidence", "POST", "/api/v1/organisations/:code/staff/:external_id/evidence", 201, "INFO", true},
		{"log-unmatched", "GET", "unmatched", 404, "WARN", false},
	} {
		lines := capture.withRequestID(t, tc.id)
		if len(lines) != 1 {
			t.Errorf("%s: %d log lines, want exactly one: %v", tc.id, len(lines), lines)
			continue
		}
		rec := lines[0]
		wantKeys := []string{"bytes", "duration", "level", "method", "msg", "request_id", "route", "status", "time"}
		if tc.token {
			wantKeys = append(wantKeys, "token_id")
			sort.Strings(wantKeys)
		}
		if got := keysOf(rec); !slices.Equal(got, wantKeys) {
			t.Errorf("%s: keys %v, want exactly %v", tc.id, got, wantKeys)
		}
		if rec["msg"] != "request" || rec["level"] != tc.level || rec["method"] != tc.method || rec["route"] != tc.route || rec["status"] != tc.status {
			t.Errorf("%s: logged %v, want msg request, level %s, %s %s, status %v", tc.id, rec, tc.level, tc.method, tc.route, tc.status)
		}
		if tc.token && rec["token_id"] != float64(tok.ID) {
			t.Errorf("%s: token_id %v, want %d", tc.id, rec["token_id"], tok.ID)
		}
		if d, ok := rec["duration"].(float64); !ok || d <= 0 {
			t.Errorf("%s: duration %v, want a positive number", tc.id, rec["duration"])
		}
	}

	all := capture.String()
	for _, secret := range []string{logStaffID, "LOGSECRET", logSearch, admin, strings.TrimPrefix(admin, "csk_"), "jane.logsecret", "?", "ORGL"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log contains %q:\n%s", secret, all)
		}
	}
}

// TestFailedAuthenticationLoggedAtWarn: a missing, malformed, unknown or revoked token
// is answered 401 and logged at warn level with its reason and the route pattern, and
// the log holds neither the token nor the Authorization header, nor the raw path.
func TestFailedAuthenticationLoggedAtWarn(t *testing.T) {
	e, capture := newLoggingEnv(t)
	ctx := context.Background()
	revoked, revokedSecret := e.createToken(models.NewToken{Name: "log analyst", Role: models.RoleAnalyst})
	if _, err := e.db.RevokeToken(ctx, revoked.ID, clocktest.Now()); err != nil {
		t.Fatal(err)
	}
	unknown := "csk_LOGSECRETunknownTOKENvalue0123456789abcdefABCDEF"
	basic := "Basic TE9HU0VDUkVUOnBhc3N3b3Jk"
	path := "/api/v1/organisations/ORGL/staff/" + logStaffID + "?q=" + logSearch
	for _, tc := range []struct {
		id, authorization, reason string
	}{
		{"auth-missing", "", "missing bearer token"},
		{"auth-basic", basic, "missing bearer token"},
		{"auth-unknown", "Bearer " + unknown, "the token is not valid"},
		{"auth-revoked", "Bearer " + revokedSecret, "the token has been revoked"},
	} {
		headers := []string{"X-Request-ID", tc.id}
		if tc.authorization != "" {
			headers = append(headers, "Authorization", tc.authorization)
		}
		r := e.request("GET", path, nil, headers...)
		r.problem(401)
		if !strings.HasPrefix(r.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", tc.id, r.Header().Get("WWW-Authenticate"))
		}
		lines := capture.withRequestID(t, tc.id)
		var auth, req []map[string]any
		for _, rec := range lines {
			switch rec["msg"] {
			case "authentication failed":
				auth = append(auth, rec)
			case "request":
				req = append(req, rec)
			default:
				t.Errorf("%s: unexpected line %v", tc.id, rec)
			}
		}
		if len(auth) != 1 || len(req) != 1 {
			t.Errorf("%s: %d authentication lines and %d request lines, want one each: %v", tc.id, len(auth), len(req), lines)
			continue
		}
		a := auth[0]
		if a["level"] != "WARN" || a["reason"] != tc.reason || a["route"] != "/api/v1/organisations/:code/staff/:external_id" {
			t.Errorf("%s: logged %v, want WARN, reason %q and the route pattern", tc.id, a, tc.reason)
		}
		wantKeys := []string{"client_ip", "level", "msg", "reason", "request_id", "route", "time"}
		if got := keysOf(a); !slices.Equal(got, wantKeys) {
			t.Errorf("%s: authentication line keys %v, want exactly %v", tc.id, got, wantKeys)
		}
		if q := req[0]; q["level"] != "WARN" || q["status"] != float64(401) || q["token_id"] != nil {
			t.Errorf("%s: request line %v, want WARN, status 401 and no token_id", tc.id, q)
		}
	}
	all := capture.String()
	for _, secret := range []string{unknown, strings.TrimPrefix(unknown, "csk_"), revokedSecret, strings.TrimPrefix(revokedSecret, "csk_"),
		basic, "TE9HU0VDUkVU", logStaffID, logSearch, "Bearer"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log contains %q:\n%s", secret, all)
		}
	}
}
