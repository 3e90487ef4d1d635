package api

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
)

// newEnvCachingStatistics is a server that keeps national figures for an hour, lapsed by
// the database's announcements as a server's are; announced counts the announcements
// (and the listener's start), each counted once its figures have lapsed.
func newEnvCachingStatistics(t *testing.T) (e *testEnv, announced *atomic.Int64) {
	t.Helper()
	rules := testRules
	rules.StatisticsTTL = time.Hour
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

// The analysts' assurance figures are cached, and a change lapses them: evidence once the
// flusher has applied it, an appointment at once.
func TestAssuranceStatisticsCachedUntilAChange(t *testing.T) {
	e, announced := newEnvCachingStatistics(t)
	admin := e.admin()
	for _, o := range [][3]string{{"R1", "region", ""}, {"I1", "icb", "R1"}, {"T1", "trust", "I1"}} {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id)
			VALUES ($1, $1, $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')))`, o[0], o[1], o[2]); err != nil {
			t.Fatal(err)
		}
	}
	e.as(admin, "PUT", "/api/v1/organisations/T1/staff/S1", map[string]any{"role": "clinical-staff"}).expect(201)
	// flush applies what is queued, as the leader's flusher does, and waits for its announcement.
	flush := func() {
		t.Helper()
		before := announced.Load()
		if _, err := e.db.Flush(context.Background(), clocktest.Now()); err != nil {
			t.Fatal(err)
		}
		e.eventually(10*time.Second, "the flush's announcement", func() bool { return announced.Load() > before })
	}
	flush()
	meeting := func(code string) string {
		st := getJSON[disclosure.AssuranceStatistics](e, admin, "/api/v1/statistics/assurance?disclosure=none")
		return figure(indicatorOf(t, st.National, code).Meeting)
	}
	if got := meeting("awareness"); got != "0" {
		t.Fatalf("awareness met by %s, want 0", got)
	}

	e.as(admin, "POST", "/api/v1/organisations/T1/staff/S1/evidence", map[string]any{"skill": "secure-data", "level": 1,
		"source": "training", "assessed_at": clocktest.Days(-10).Format(time.RFC3339)}).expect(201)
	if got := meeting("awareness"); got != "0" {
		t.Fatalf("awareness met by %s before the flusher applied the evidence: the figures are not cached", got)
	}
	flush()
	e.eventually(10*time.Second, "the evidence in the figures", func() bool { return meeting("awareness") == "1" })

	e.as(admin, "PUT", "/api/v1/organisations/T1/assurance/key-roles", map[string]any{"roles": []any{},
		"staff": []map[string]any{{"external_id": "S1", "key_roles": []string{"siro", "caldicott_guardian", "dpo"}}}}).expect(200)
	e.eventually(10*time.Second, "the appointments in the figures", func() bool { return meeting("training_needs_analysis") == "1" })
}
