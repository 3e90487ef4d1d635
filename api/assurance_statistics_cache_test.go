package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
	"cyberskills/repository"
	"cyberskills/service"
)

// computeAssurance runs the leader's computation of the national assurance figures, as it
// would after an announced change: the figures analysts are then served.
func (e *testEnv) computeAssurance() {
	e.t.Helper()
	svc := e.svc
	if svc == nil { // a server made by hand: the leader may be any service on its database
		svc = service.New(e.db, clocktest.Clock{}, testRules)
	}
	svc.FiguresChanged()
	if _, err := svc.RefreshAssuranceStatistics(context.Background()); err != nil {
		e.t.Fatalf("computing the assurance figures: %v", err)
	}
}

// newEnvFollowingStatistics is a server whose service hears the database's announcements
// of change as a server's does; announced counts them (and the listener's start), each
// counted once the service has been told.
func newEnvFollowingStatistics(t *testing.T, rules service.Config) (e *testEnv, announced *atomic.Int64) {
	t.Helper()
	e, svc, url := newEnvWithService(t, testConfig(), clocktest.Clock{}, rules)
	announced = new(atomic.Int64)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.db.FollowStatistics(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil)), func() {
			svc.FiguresChanged()
			announced.Add(1)
		})
	}()
	t.Cleanup(func() { stop(); <-done })
	e.eventually(10*time.Second, "the statistics listener listens", func() bool { return announced.Load() > 0 })
	return e, announced
}

// oneTrustFixture is region R1, ICB I1 and trust T1 with one member of staff, S1, never
// trained, applied to the counts.
func oneTrustFixture(e *testEnv) (admin string) {
	e.t.Helper()
	admin = e.admin()
	for _, o := range [][3]string{{"R1", "region", ""}, {"I1", "icb", "R1"}, {"T1", "trust", "I1"}} {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id)
			VALUES ($1, $1, $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')))`, o[0], o[1], o[2]); err != nil {
			e.t.Fatal(err)
		}
	}
	e.as(admin, "PUT", "/api/v1/organisations/T1/staff/S1", map[string]any{"role": "clinical-staff"}).expect(201)
	e.flush()
	return admin
}

// flush applies what is queued, as the leader's flusher does.
func (e *testEnv) flush() {
	e.t.Helper()
	if _, err := e.db.Flush(context.Background(), clocktest.Now()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) trainS1(admin string) {
	e.t.Helper()
	e.as(admin, "POST", "/api/v1/organisations/T1/staff/S1/evidence", map[string]any{"skill": "secure-data", "level": 1,
		"source": "training", "assessed_at": clocktest.Days(-10).Format(time.RFC3339)}).expect(201)
	e.flush()
}

func assuranceNow(e *testEnv, token string) disclosure.AssuranceStatistics {
	return getJSON[disclosure.AssuranceStatistics](e, token, "/api/v1/statistics/assurance?disclosure=none")
}

func meeting(t *testing.T, st disclosure.AssuranceStatistics, code string) string {
	t.Helper()
	return figure(indicatorOf(t, st.National, code).Meeting)
}

// A request publishes the stored result, with the instant it is as of and when it was
// computed; a change to the data is not in it until the next computation.
func TestAssuranceStatisticsServedFromTheStoredResult(t *testing.T) {
	e := newEnv(t)
	admin := oneTrustFixture(e)
	e.computeAssurance()
	before := assuranceNow(e, admin)
	if got := meeting(t, before, "awareness"); got != "0" {
		t.Fatalf("awareness met by %s, want 0", got)
	}
	if !before.AsOf.Equal(clocktest.Now()) || !before.Metadata.GeneratedAt.Equal(clocktest.Now()) || before.ComputedAt.IsZero() {
		t.Errorf("as of %s, generated at %s, computed at %s: want the clock's %s and a computation time",
			before.AsOf, before.Metadata.GeneratedAt, before.ComputedAt, clocktest.Now())
	}
	e.trainS1(admin)
	after := assuranceNow(e, admin)
	if got := meeting(t, after, "awareness"); got != "0" || !after.ComputedAt.Equal(before.ComputedAt) {
		t.Errorf("awareness met by %s, computed at %s: want the stored result (0, %s)", got, after.ComputedAt, before.ComputedAt)
	}
	csv := e.as(admin, "GET", "/api/v1/statistics/assurance?disclosure=none&format=csv", nil).expect(200).Body.String()
	if want := "," + clocktest.Now().Format(time.RFC3339) + "\n"; !strings.Contains(csv, want) {
		t.Errorf("CSV without its as_of %q:\n%s", want, csv)
	}
}

// The leader computes the figures again after the database announces a change: evidence
// once the flusher has applied it, an appointment at once.
func TestAssuranceStatisticsRefreshedAfterAChange(t *testing.T) {
	e, announced := newEnvFollowingStatistics(t, testRules)
	admin := oneTrustFixture(e)
	refresh := func(after int64, what string) {
		t.Helper()
		e.eventually(10*time.Second, what+"'s announcement", func() bool { return announced.Load() > after })
		if _, err := e.svc.RefreshAssuranceStatistics(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	refresh(0, "the fixture")
	if got := meeting(t, assuranceNow(e, admin), "awareness"); got != "0" {
		t.Fatalf("awareness met by %s, want 0", got)
	}
	seen := announced.Load()
	e.trainS1(admin)
	refresh(seen, "the flush")
	if got := meeting(t, assuranceNow(e, admin), "awareness"); got != "1" {
		t.Errorf("awareness met by %s after the evidence was applied and the figures computed, want 1", got)
	}
	seen = announced.Load()
	e.as(admin, "PUT", "/api/v1/organisations/T1/assurance/key-roles", map[string]any{"roles": []any{},
		"staff": []map[string]any{{"external_id": "S1", "key_roles": []string{"siro", "caldicott_guardian", "dpo"}}}}).expect(200)
	refresh(seen, "the appointments")
	if got := meeting(t, assuranceNow(e, admin), "training_needs_analysis"); got != "1" {
		t.Errorf("training needs analysis met by %s after the appointments, want 1", got)
	}
}

// Changes are taken in at most once an interval: a stream of them costs one computation
// an interval, not one each.
func TestAssuranceStatisticsNotComputedMoreOftenThanTheInterval(t *testing.T) {
	rules := testRules
	rules.AssuranceRefreshInterval = time.Hour
	e, _, _ := newEnvWithService(t, testConfig(), clocktest.Clock{}, rules)
	admin := oneTrustFixture(e)
	e.computeAssurance() // the first result is computed whatever the interval
	first := assuranceNow(e, admin)
	e.trainS1(admin)
	e.svc.FiguresChanged()
	stored, err := e.svc.RefreshAssuranceStatistics(context.Background())
	if err != nil || len(stored) != 0 {
		t.Fatalf("computed %+v (%v) within the interval of the last computation", stored, err)
	}
	if st := assuranceNow(e, admin); meeting(t, st, "awareness") != "0" || !st.ComputedAt.Equal(first.ComputedAt) {
		t.Errorf("the figures changed within the interval: %+v", st)
	}
}

// Before a type's first result the answer says so, with when to come back, and the type
// is computed at the leader's next round.
func TestAssuranceStatisticsBeforeTheFirstResult(t *testing.T) {
	e := newEnv(t)
	admin := oneTrustFixture(e)
	for _, path := range []string{"/api/v1/statistics/assurance", "/api/v1/statistics/assurance?type=icb"} {
		r := e.as(admin, "GET", path, nil)
		p := r.problem(503)
		if r.Header().Get("Retry-After") != "30" || p.Detail == "" {
			t.Errorf("%s: Retry-After %q, detail %q: want 30 and why", path, r.Header().Get("Retry-After"), p.Detail)
		}
	}
	stored, err := e.svc.RefreshAssuranceStatistics(context.Background())
	if err != nil || len(stored) != 2 || stored[0].Type != "icb" || stored[1].Type != "trust" {
		t.Fatalf("the leader computed %+v (%v), want icb (asked for) and trust", stored, err)
	}
	st := getJSON[disclosure.AssuranceStatistics](e, admin, "/api/v1/statistics/assurance?type=icb&disclosure=none")
	if st.Type != "icb" || figure(indicatorOf(t, st.National, "awareness").Organisations) != "1" {
		t.Errorf("ICB figures: %+v", st)
	}
}

// One server computes at a time: while another holds the computation's lock (a leader
// that froze mid-computation and woke after another took over), a server computes
// nothing; what one server stores, every server serves.
func TestAssuranceStatisticsComputedByOneServerAtATime(t *testing.T) {
	e := newEnv(t)
	admin := oneTrustFixture(e)
	other := service.New(e.db, clocktest.Clock{}, testRules)
	ctx := context.Background()
	conn, err := e.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const assuranceLock = 7_301_207 // repository's, held by the computing server
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, assuranceLock); err != nil {
		t.Fatal(err)
	}
	if stored, err := other.RefreshAssuranceStatistics(ctx); !errors.Is(err, repository.ErrBusy) || len(stored) != 0 {
		t.Fatalf("computed %+v (%v) while another server computes, want ErrBusy", stored, err)
	}
	e.as(admin, "GET", "/api/v1/statistics/assurance", nil).problem(503)
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, assuranceLock); err != nil {
		t.Fatal(err)
	}
	if stored, err := other.RefreshAssuranceStatistics(ctx); err != nil || len(stored) != 1 {
		t.Fatalf("computed %+v (%v) once the lock was free", stored, err)
	}
	// This server serves the other's result, and takes in its next one.
	if got := meeting(t, assuranceNow(e, admin), "awareness"); got != "0" {
		t.Errorf("awareness met by %s, want 0", got)
	}
	e.trainS1(admin)
	other.FiguresChanged()
	if _, err := other.RefreshAssuranceStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	if got := meeting(t, assuranceNow(e, admin), "awareness"); got != "1" {
		t.Errorf("awareness met by %s after the other server's new result, want 1", got)
	}
}
