package api

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// multiServerEnv makes elections quick (a poll of 100 ms, a lease of one second), sweeps
// often, and keeps statistics in memory for an hour, so that only the database's
// announcements can bring a change to another server's figures; the leader computes the
// assurance figures again at its next look after a change.
var multiServerEnv = []string{"LEADER_POLL=100ms", "LEADER_LEASE=1s", "SWEEP_INTERVAL=200ms", "REFRESH_INTERVAL=100ms",
	"STATISTICS_CACHE=1h", "TOKEN_CACHE=1h", "RATE_LIMIT=0", "ASSURANCE_REFRESH_INTERVAL=0"}

// Two server processes on one database: one leads and runs the background work, the
// other does none; a change made through either is seen through the other (statistics,
// tokens, frameworks); the same Idempotency-Key sent to both at once acts once; when the
// leader is killed the other takes over within a poll or so, a restarted server follows,
// and a leader frozen with SIGSTOP loses leadership when its lease runs out, and knows
// it once it runs again.
func TestTwoServersOnOneDatabase(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewURL(t)
	a := startServer(t, "A", url, multiServerEnv...)
	b := startServer(t, "B", url, multiServerEnv...)
	_, admin, err := db.CreateToken(context.Background(), models.NewToken{Name: "multi-server admin", Role: models.RoleAdmin}, clocktest.Now())
	if err != nil {
		t.Fatal(err)
	}

	leader := oneLeader(t, 10*time.Second, a, b)
	follower := map[*serverProcess]*serverProcess{a: b, b: a}[leader]
	backgroundRunsOnlyOnTheLeader(t, leader, follower)
	lockHolders(t, db, 1)

	changesReachTheOtherServer(t, a, b, admin)
	idempotencyKeyActsOnceAcrossServers(t, a, b, admin)

	// Killed: its connections close, PostgreSQL frees the lock at once, and the follower
	// takes it at its next poll.
	leader.kill()
	took := within(t, 10*time.Second, "the follower takes over from the killed leader", follower.leading)
	t.Logf("takeover after SIGKILL: %s (LEADER_POLL=100ms)", took)
	backgroundRunsOnlyOnTheLeader(t, follower, nil)
	lockHolders(t, db, 1)

	// A server started again follows.
	c := startServer(t, "C", url, multiServerEnv...)
	backgroundRunsOnlyOnTheLeader(t, follower, c)

	// Frozen: its TCP connection stays up (the kernel answers for it), so only the lease
	// (idle_session_timeout) frees the lock. Once it runs again it finds its session gone
	// and steps down.
	follower.signal(syscall.SIGSTOP)
	took = within(t, 15*time.Second, "the other server takes over from the frozen leader", c.leading)
	t.Logf("takeover after SIGSTOP: %s (LEADER_LEASE=1s, LEADER_POLL=100ms)", took)
	// The lease runs from the leader's last word, at most a poll before the freeze on a
	// quiet machine but longer on a busy one, where the process may not have run for a
	// while: half the lease still tells a lease that held from a lock freed at once.
	if took < 500*time.Millisecond {
		t.Errorf("taken over %s after the freeze: the frozen leader's lease of 1s did not hold", took)
	}
	follower.signal(syscall.SIGCONT)
	within(t, 10*time.Second, "the thawed server sees it no longer leads", func() bool { return !follower.leading() })
	if got := oneLeader(t, 10*time.Second, follower, c); got != c {
		t.Fatalf("%s leads after the thaw, want C", got.name)
	}
	backgroundRunsOnlyOnTheLeader(t, c, follower)
	lockHolders(t, db, 1)
}

// backgroundRunsOnlyOnTheLeader checks that the leader flushes and sweeps, repeatedly,
// while follower (nil: none) runs neither.
func backgroundRunsOnlyOnTheLeader(t *testing.T, leader, follower *serverProcess) {
	t.Helper()
	flushes, sweeps, assurance := leader.flushes(), leader.sweeps(), leader.assuranceRounds()
	var before [3]float64
	if follower != nil {
		before = [3]float64{follower.flushes(), follower.sweeps(), follower.assuranceRounds()}
	}
	within(t, 30*time.Second, "the leader "+leader.name+" flushes, sweeps and looks for assurance figures due", func() bool {
		return leader.flushes() >= flushes+3 && leader.sweeps() >= sweeps+2 && leader.assuranceRounds() >= assurance+1
	})
	if follower == nil {
		return
	}
	if follower.leading() {
		t.Fatalf("%s and %s both lead", leader.name, follower.name)
	}
	if after := [3]float64{follower.flushes(), follower.sweeps(), follower.assuranceRounds()}; after != before {
		t.Fatalf("the follower %s ran background work (flushes, sweeps, assurance) %v -> %v", follower.name, before, after)
	}
}

// lockHolders checks how many sessions hold the leadership lock.
func lockHolders(t *testing.T, db *repository.DB, want int) {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7301205 AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%d sessions hold the leadership lock, want %d", n, want)
	}
}

// changesReachTheOtherServer writes through a and reads through b: a new trust is in b's
// statistics (cached for an hour, lapsed by the database's announcement), a token b has
// cached stops working on b once a revokes it, and a framework a publishes is at once
// readable on b (frameworks are not kept in memory).
func changesReachTheOtherServer(t *testing.T, a, b *serverProcess, admin string) {
	t.Helper()
	trusts := func() int {
		var h disclosure.HeadlineStatistics
		b.send(admin, "GET", "/api/v1/statistics/headline?disclosure=none", nil).expect(200).decode(&h)
		return *h.Organisations.Value
	}
	before := trusts()
	a.send(admin, "POST", "/api/v1/organisations", org{"code": "MS1", "name": "Made on A", "type": "trust"}).expect(201)
	took := within(t, 20*time.Second, "B's statistics count the trust made on A", func() bool { return trusts() == before+1 })
	t.Logf("statistics on B after a write on A: %s (STATISTICS_CACHE=1h)", took)
	// The assurance figures: computed by the leader alone, served by both.
	assessed := func(p *serverProcess) int {
		var st disclosure.AssuranceStatistics
		p.send(admin, "GET", "/api/v1/statistics/assurance?disclosure=none", nil).expect(200).decode(&st)
		for _, in := range st.National {
			if in.Indicator == "awareness" && in.Organisations.Value != nil {
				return *in.Organisations.Value
			}
		}
		return 0
	}
	took = within(t, 20*time.Second, "B's assurance figures count the trust made on A", func() bool { return assessed(b) == before+1 })
	t.Logf("assurance figures on B after a write on A: %s (ASSURANCE_REFRESH_INTERVAL=0)", took)
	if got := assessed(a); got != before+1 {
		t.Errorf("A's assurance figures count %d trusts, want %d", got, before+1)
	}

	var created models.CreatedToken
	a.send(admin, "POST", "/api/v1/tokens", map[string]any{"name": "short-lived", "role": "analyst"}).expect(201).decode(&created)
	b.send(created.Secret, "GET", "/api/v1/statistics/headline", nil).expect(200) // now in B's token cache
	a.send(admin, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.ID), nil).expect(200)
	took = within(t, 20*time.Second, "B refuses the token revoked on A", func() bool {
		return b.send(created.Secret, "GET", "/api/v1/statistics/headline", nil).Code == 401
	})
	t.Logf("revocation on A refused on B after %s (TOKEN_CACHE=1h)", took)

	a.send(admin, "POST", "/api/v1/frameworks", testFramework("multi")).expect(201)
	var skills Page[models.SkillEntry]
	b.send(admin, "GET", "/api/v1/frameworks/multi/skills", nil).expect(200).decode(&skills)
	if len(skills.Items) != 3 {
		t.Fatalf("B reads %d skills of the framework published on A, want 3", len(skills.Items))
	}
}

// idempotencyKeyActsOnceAcrossServers sends the same evidence POST with the same key to
// both servers at once, several times: each time one record is made, and each answer is
// that record (201, the second marked replayed) or a 409 while the first runs.
func idempotencyKeyActsOnceAcrossServers(t *testing.T, a, b *serverProcess, admin string) {
	t.Helper()
	a.send(admin, "POST", "/api/v1/organisations", org{"code": "MS2", "name": "Idempotent", "type": "trust"}).expect(201)
	a.send(admin, "POST", "/api/v1/organisations/MS2/staff", map[string]any{"external_id": "E1"}).expect(201)
	path := "/api/v1/organisations/MS2/staff/E1/evidence"
	const rounds = 8
	for i := range rounds {
		key := fmt.Sprintf("both-servers-%d", i)
		body := map[string]any{"skill": "backup-recovery", "level": 1 + i%4, "source": "manager"}
		var wg sync.WaitGroup
		answers := make([]*response, 2)
		for j, s := range []*serverProcess{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[j] = s.send(admin, "POST", path, body, "Idempotency-Key", key)
			}()
		}
		wg.Wait()
		ids := map[int64]bool{}
		for _, r := range answers {
			switch r.Code {
			case 201:
				var ev models.Evidence
				r.decode(&ev)
				ids[ev.ID] = true
			case 409:
			default:
				t.Fatalf("round %d: %d %s", i, r.Code, r.Body.String())
			}
		}
		if len(ids) != 1 {
			t.Fatalf("round %d: the answers name %d records, want 1", i, len(ids))
		}
	}
	var history Page[models.Evidence]
	b.send(admin, "GET", path+"?limit=100", nil).expect(200).decode(&history)
	if len(history.Items) != rounds {
		t.Fatalf("%d evidence records after %d keys sent to both servers, want %d", len(history.Items), rounds, rounds)
	}
}
