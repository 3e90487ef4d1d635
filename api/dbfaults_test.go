package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// faultFixture is an organisation with staff to read and write, made directly in the
// database.
func faultFixture(t *testing.T, direct *repository.DB, staff int) {
	t.Helper()
	if _, err := direct.Exec(`INSERT INTO organisations (code, name, type) VALUES ('FLT', 'Fault trust', 'trust')`); err != nil {
		t.Fatal(err)
	}
	if _, err := direct.Exec(`
		INSERT INTO staff (organisation_id, external_id, status)
		SELECT o.id, 'S' || g, 'active' FROM organisations o, generate_series(1, $1) g WHERE o.code = 'FLT'`, staff); err != nil {
		t.Fatal(err)
	}
}

const faultRead = "/api/v1/organisations/FLT/staff/S1"

func evidencePath(staff int) string {
	return fmt.Sprintf("/api/v1/organisations/FLT/staff/S%d/evidence", staff)
}

// TestDatabaseFaultsAnswer503 takes the database away in each way it can go: refused
// (the server is down), reset, and a black hole (TCP accepted, nothing answered, as when
// PostgreSQL's processes are stopped). Readiness checks, authenticated reads and writes,
// more at once than the pool has connections, all answer 503 as a problem with
// Retry-After: within a second when the database refuses or resets, /readyz within a
// second even in the black hole, and every other request within its budget
// (REQUEST_TIMEOUT). Once the fault is lifted the service answers again without a
// restart, with no goroutine and no connection left behind.
func TestDatabaseFaultsAnswer503(t *testing.T) {
	t.Parallel()
	for _, fault := range []pgtest.Fault{pgtest.Refuse, pgtest.Reset, pgtest.BlackHole} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			cfg.RequestTimeout = 2 * time.Second
			leakCheck(t, func(warm, settle func()) {
				e := newFaultEnv(t, 4, cfg, 4)
				e.waitHealthy(faultRead)
				if a := e.send("POST", evidencePath(1), map[string]any{"skill": "firewall-config", "level": 2, "source": "manager"}); a.code != 201 {
					t.Fatalf("before the fault: %s", a)
				}
				warm()

				e.proxy.Set(fault)
				bound := map[string]time.Duration{"readyz": time.Second, "api": time.Second}
				if fault == pgtest.BlackHole {
					bound["api"] = cfg.RequestTimeout + clientSlack
				}
				var mu sync.Mutex
				var answers []answer
				var wg sync.WaitGroup
				for i := range 8 {
					for _, req := range []struct{ method, path string }{
						{"GET", "/readyz"}, {"GET", faultRead}, {"POST", evidencePath(1 + i%2)},
					} {
						wg.Add(1)
						go func() {
							defer wg.Done()
							var body any
							if req.method == "POST" {
								body = map[string]any{"skill": "firewall-config", "level": 3, "source": "manager"}
							}
							a := e.send(req.method, req.path, body)
							mu.Lock()
							answers = append(answers, a)
							mu.Unlock()
						}()
					}
				}
				wg.Wait()
				t.Logf("%s: %s", fault, timings(answers))
				for _, a := range answers {
					b := bound["api"]
					if a.path == "/readyz" {
						b = bound["readyz"]
					}
					if why := a.unavailable(b); why != "" {
						t.Errorf("%s: %s", a, why)
					}
				}

				e.proxy.Set(pgtest.Pass)
				e.waitHealthy(faultRead)
				if a := e.send("POST", evidencePath(2), map[string]any{"skill": "firewall-config", "level": 2, "source": "manager"}); a.code != 201 {
					t.Fatalf("after the fault: %s", a)
				}
				e.noLeftovers()
				settle()
			})
		})
	}
}

// stubAuth admits every request as an admin without asking the database, so that each
// handler, not authentication, meets the fault.
type stubAuth struct{}

func (stubAuth) Authenticate(context.Context, string, time.Time) (models.Principal, error) {
	return models.Principal{TokenID: 1, Name: "stub", Role: models.RoleAdmin}, nil
}

// answersWithoutDatabase are the routes whose matrix request is refused before the
// handler needs the database; they must still not answer 500.
var answersWithoutDatabase = map[string]int{
	"POST /api/v1/organisations/import": http.StatusUnsupportedMediaType, // the matrix sends JSON, not CSV
	// The stub is an administrator, who writes no statements; the Agents resource says
	// what the request gave.
	"POST /xapi/statements": http.StatusForbidden,
	"PUT /xapi/statements":  http.StatusForbidden,
	"GET /xapi/agents":      http.StatusOK,
	"HEAD /xapi/agents":     http.StatusOK,
}

// The xAPI document resources are not provided: 501 whatever the database.
func init() {
	for key, a := range accessMatrix {
		if a.unsupported {
			answersWithoutDatabase[key] = http.StatusNotImplemented
		}
	}
}

// TestEveryRouteAnswers503WhenTheDatabaseIsDown sends the access matrix's request for
// every route of the API to a server whose database refuses connections, and to one
// whose database is a black hole, past authentication: each handler's errors go through
// the repository's one translation, so every route answers 503 (a problem with
// Retry-After) within its budget, and none answers 500.
func TestEveryRouteAnswers503WhenTheDatabaseIsDown(t *testing.T) {
	t.Parallel()
	for _, fault := range []pgtest.Fault{pgtest.Refuse, pgtest.BlackHole} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			_, url := pgtest.NewURL(t)
			proxy, through := pgtest.NewProxy(t, url)
			db, err := repository.Open(context.Background(), faultPool(through, 4))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			cfg := testConfig()
			cfg.RequestTimeout = 2 * time.Second
			cfg.ImportTimeout = 2 * time.Second
			srv := newTestServer(db, slog.New(slog.DiscardHandler), cfg)
			srv.AuthenticateWith(stubAuth{})
			srv.RecordAuditWith(discardAudit{})
			e := &faultEnv{t: t, srv: srv, h: srv.Router(), db: db, proxy: proxy, admin: "csk_stub"}
			bound := time.Second
			if fault == pgtest.BlackHole {
				bound = cfg.RequestTimeout + clientSlack
			}
			proxy.Set(fault)

			keys := make([]string, 0, len(accessMatrix))
			for k := range accessMatrix {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			answers := make([]answer, len(keys))
			var wg sync.WaitGroup
			for i, key := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					a := accessMatrix[key]
					method, _, _ := strings.Cut(key, " ")
					answers[i] = e.sendRaw(method, a.path, a.body, a.headers...)
				}()
			}
			wg.Wait()
			var all []answer
			for _, a := range answers {
				all = append(all, answer{method: "every", path: "route", elapsed: a.elapsed})
			}
			t.Logf("%s: %s", fault, timings(all))
			for i, a := range answers {
				if want, ok := answersWithoutDatabase[keys[i]]; ok {
					if a.code != want {
						t.Errorf("%s: %s, want %d", keys[i], a, want)
					}
					continue
				}
				if why := a.unavailable(bound); why != "" {
					t.Errorf("%s: %s: %s", keys[i], a, why)
				}
			}
		})
	}
}

// sendRaw is send for a matrix body, which may be a rawBody with its own media type.
func (e *faultEnv) sendRaw(method, path string, body any, headers ...string) answer {
	if rb, ok := body.(rawBody); ok {
		return e.sendText(method, path, rb.contentType, rb.body, headers...)
	}
	if s, ok := body.(string); ok {
		return e.sendText(method, path, "application/json", s, headers...)
	}
	return e.send(method, path, body, headers...)
}

// TestAcknowledgedWritesSurviveDatabaseFaults runs writers against the API (evidence
// added, staff records replaced) while the database is refused, reset and black-holed
// in turn, and recovers in between. Every answer is a 2xx or a 503 problem with
// Retry-After, within the request's budget; afterwards every write the API
// acknowledged is in the database: each evidence id answered 201 is stored for its
// person at its level, and each person's record holds the last replacement answered 200
// or one sent after it.
func TestAcknowledgedWritesSurviveDatabaseFaults(t *testing.T) {
	t.Parallel()
	const writers = 6
	cfg := testConfig()
	cfg.RequestTimeout = 2 * time.Second
	leakCheck(t, func(warm, settle func()) {
		e := newFaultEnv(t, writers, cfg, 4)
		e.waitHealthy(faultRead)
		warm()

		type ack struct {
			id    int64
			level int
		}
		var (
			mu       sync.Mutex
			acked    = map[int][]ack{} // per writer: the evidence answered 201
			lastPut  = map[int]int{}   // per writer: the last replacement answered 2xx
			statuses = map[int]int{}
			stop     = make(chan struct{})
			wg       sync.WaitGroup
			problems []string
		)
		check := func(a answer) bool {
			statuses[a.code]++
			if a.code/100 == 2 {
				return true
			}
			if why := a.unavailable(cfg.RequestTimeout); why != "" {
				problems = append(problems, fmt.Sprintf("%s: %s", a, why))
			}
			return false
		}
		// count says how many answers of a kind (2xx, or 503) the writers have had.
		count := func(ok bool) int {
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for code, c := range statuses {
				if (code/100 == 2) == ok {
					n += c
				}
			}
			return n
		}
		// until polls until the writers have had n more answers of the kind.
		until := func(ok bool, n int, what string) {
			t.Helper()
			target := count(ok) + n
			for deadline := clocktest.After(30 * time.Second); count(ok) < target; time.Sleep(10 * time.Millisecond) {
				if deadline.Passed() {
					t.Fatalf("the writers did not get %d more answers %s within thirty seconds", n, what)
				}
			}
		}
		for w := 1; w <= writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 1; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					level := 1 + n%4
					a := e.send("POST", evidencePath(w), map[string]any{"skill": "backup-recovery", "level": level, "source": "manager"})
					put := e.send("PUT", fmt.Sprintf("/api/v1/organisations/FLT/staff/S%d", w), map[string]any{"display_name": fmt.Sprintf("v%d", n)})
					mu.Lock()
					if check(a) {
						var ev models.Evidence
						if err := json.Unmarshal(a.body, &ev); err != nil || ev.ID == 0 {
							problems = append(problems, fmt.Sprintf("%s: no evidence id", a))
						}
						acked[w] = append(acked[w], ack{ev.ID, level})
					}
					if check(put) {
						lastPut[w] = n
					}
					mu.Unlock()
				}
			}()
		}
		// Each fault lasts until every writer could have met it, each recovery until
		// writes are acknowledged again.
		for _, fault := range []pgtest.Fault{pgtest.Refuse, pgtest.Reset, pgtest.BlackHole, pgtest.Reset} {
			until(true, 2*writers, "acknowledged")
			e.proxy.Set(fault)
			until(false, writers, "refused with 503 under "+fault.String())
			e.proxy.Set(pgtest.Pass)
		}
		until(true, 2*writers, "acknowledged")
		close(stop)
		wg.Wait()
		e.waitHealthy(faultRead)
		for _, p := range problems {
			t.Error(p)
		}
		if statuses[201] == 0 || statuses[503] == 0 {
			t.Fatalf("answers %v: the writes should meet both a healthy and a failing database", statuses)
		}
		t.Logf("answers during the faults: %v", statuses)

		for w := 1; w <= writers; w++ {
			var stored []struct {
				ID    int64 `db:"id"`
				Level int   `db:"level"`
			}
			if err := e.direct.Select(&stored, `
				SELECT e.id, e.level FROM evidence e JOIN staff s ON s.id = e.staff_id
				 WHERE s.external_id = $1 AND e.source = 'manager'`, fmt.Sprintf("S%d", w)); err != nil {
				t.Fatal(err)
			}
			have := map[int64]int{}
			for _, s := range stored {
				have[s.ID] = s.Level
			}
			for _, a := range acked[w] {
				if lvl, ok := have[a.id]; !ok || lvl != a.level {
					t.Errorf("writer %d: evidence %d (level %d) was acknowledged but is not stored (stored: level %d, %v)", w, a.id, a.level, lvl, ok)
				}
			}
			var name string
			if err := e.direct.Get(&name, `SELECT coalesce(display_name, '') FROM staff WHERE external_id = $1`, fmt.Sprintf("S%d", w)); err != nil {
				t.Fatal(err)
			}
			var n int
			if _, err := fmt.Sscanf(name, "v%d", &n); lastPut[w] > 0 && (err != nil || n < lastPut[w]) {
				t.Errorf("writer %d: the record holds %q, but replacement v%d was acknowledged", w, name, lastPut[w])
			}
		}
		e.noLeftovers()
		settle()
	})
}

// TestDatabaseFaultsAreLoggedWithTheirCause: a 503 for an unavailable database is logged
// at warn level through the server's logger, with the request id and the driver's error
// (which the caller never sees); an internal error is logged at error level through the
// same logger, not the process-wide default.
func TestDatabaseFaultsAreLoggedWithTheirCause(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, 1, testConfig(), 2)
	e.h.(*gin.Engine).GET("/test/internal", func(c *gin.Context) { problem.Error(c, errors.New("a bug with secret internals")) })
	e.waitHealthy(faultRead)

	e.proxy.Set(pgtest.Refuse)
	a := e.send("GET", faultRead, nil, "X-Request-ID", "fault-log-1")
	if why := a.unavailable(time.Second); why != "" {
		t.Fatalf("%s: %s", a, why)
	}
	if strings.Contains(string(a.body), "refused") || strings.Contains(string(a.body), "127.0.0.1") {
		t.Fatalf("the problem shows the driver's error: %s", a.body)
	}
	if a := e.send("GET", "/test/internal", nil, "X-Request-ID", "fault-log-2"); a.code != 500 {
		t.Fatalf("internal error: %s", a)
	}
	var warned, failed bool
	requestLine := ""
	for _, l := range e.logs.lines(t) {
		switch l["request_id"] {
		case "fault-log-1":
			if l["msg"] == "request failed: service unavailable" {
				warned = l["level"] == "WARN" && strings.Contains(fmt.Sprint(l["error"]), "connection refused")
			}
			if l["msg"] == "request" {
				requestLine = fmt.Sprint(l["level"])
			}
		case "fault-log-2":
			if l["msg"] == "request failed" {
				failed = l["level"] == "ERROR" && strings.Contains(fmt.Sprint(l["error"]), "a bug with secret internals")
			}
		}
	}
	if !warned || !failed {
		t.Fatalf("unavailable logged at warn with its cause: %v; internal logged at error: %v; log:\n%s", warned, failed, e.logs.String())
	}
	// The request's own line says the same: an outage to watch is a warning.
	if requestLine != "WARN" {
		t.Fatalf("the 503's request line is at %q, want WARN; log:\n%s", requestLine, e.logs.String())
	}
}
