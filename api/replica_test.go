package api

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
	"cyberskills/repository"
	"cyberskills/service"
)

// replicaEnv is a server whose lag-tolerant reads go to the standby of pair while it is
// within maxLag. With a statistics lifetime it keeps national figures that long, lapsed
// by the primary's announcements as a server's are.
func replicaEnv(t *testing.T, db *repository.DB, pair *standbyPair, maxLag, statistics time.Duration) *testEnv {
	t.Helper()
	replica, err := repository.OpenReplica(context.Background(), repository.Config{MaxOpenConns: 4, MaxIdleConns: 4,
		StatementTimeout: 10 * time.Second, ConnectTimeout: time.Second}, pair.standbyURL, db,
		repository.ReplicaConfig{MaxLag: maxLag, Check: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); replica.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done; replica.Close() })
	rules := testRules
	rules.StatisticsTTL = statistics
	svc := service.New(db, clocktest.Clock{}, rules)
	svc.ReadFrom(replica)
	if statistics > 0 {
		followed := make(chan struct{})
		go func() {
			defer close(followed)
			db.FollowStatistics(ctx, pair.primaryURL, slog.New(slog.NewTextHandler(io.Discard, nil)), svc.FiguresChanged)
		}()
		t.Cleanup(func() { stop(); <-followed })
	}
	srv := NewServer(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), testConfig())
	srv.ObserveReplica(replica)
	return &testEnv{t: t, db: db, srv: srv, h: srv.Router()}
}

// trusts is how many trusts the national headline counts, as e answers it.
func (e *testEnv) trusts() int {
	e.t.Helper()
	h := getJSON[disclosure.HeadlineStatistics](e, e.admin(), "/api/v1/statistics/headline?disclosure=none")
	return *h.Organisations.Value
}

// metric reads one of e's metrics.
func (e *testEnv) metric(name string) float64 {
	e.t.Helper()
	v, ok := metricValue(e.request("GET", "/metrics", nil).expect(200).Body.Bytes(), name)
	if !ok {
		e.t.Fatalf("no metric %s", name)
	}
	return v
}

// eventually fails the test unless cond holds within d.
func (e *testEnv) eventually(d time.Duration, what string, cond func() bool) {
	e.t.Helper()
	if !clocktest.Eventually(d, 20*time.Millisecond, cond) {
		e.t.Fatalf("not within %s: %s", d, what)
	}
}

// A streaming standby serves the national statistics and the gap reports as of a past
// date while it is within the lag bound: with its replay paused, a trust created on the
// primary is missing from them. Past the bound they are read from the primary again, and
// a standby that is down costs the reads nothing but the retry on the primary.
func TestReadReplicaServesLagTolerantReads(t *testing.T) {
	t.Parallel()
	pair := newStandbyPair(t)
	db, err := repository.Open(context.Background(), repository.Config{URL: pair.primaryURL, MaxOpenConns: 8, MaxIdleConns: 8,
		StatementTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	patient := replicaEnv(t, db, pair, time.Hour, 0)
	strict := replicaEnv(t, db, pair, time.Second, 0)
	cached := replicaEnv(t, db, pair, 3*time.Second, time.Hour)
	patient.adminToken = patient.admin()
	strict.adminToken = patient.adminToken
	cached.adminToken = patient.adminToken

	for _, e := range []*testEnv{patient, strict, cached} {
		e.eventually(30*time.Second, "the replica in use", func() bool { return e.metric("cyberskills_replica_in_use") == 1 })
	}
	if up, lag := patient.metric("cyberskills_replica_up"), patient.metric("cyberskills_replica_lag_seconds"); up != 1 || lag > 60 {
		t.Fatalf("replica up %v with a lag of %vs", up, lag)
	}
	before := patient.trusts()
	patient.mustCreateOrg(patient.admin(), org{"code": "RA1", "name": "Replayed", "type": "trust"})
	patient.eventually(30*time.Second, "the replica has the first trust", func() bool { return patient.trusts() == before+1 })
	cached.eventually(30*time.Second, "the cached figures have the first trust", func() bool { return cached.trusts() == before+1 })

	pair.onStandby(`SELECT pg_wal_replay_pause()`)
	patient.mustCreateOrg(patient.admin(), org{"code": "RA2", "name": "Not replayed", "type": "trust"})
	if n := patient.trusts(); n != before+1 {
		t.Fatalf("with replay paused the headline counts %d trusts, want %d: it was not read from the replica", n, before+1)
	}
	yesterday := clocktest.Days(-1).Format("2006-01-02")
	var fromReplica, fromPrimary struct{ Skills []any }
	patient.as(patient.admin(), "GET", "/api/v1/organisations/RA2/gaps?at="+yesterday, nil).expect(200).decode(&fromReplica)
	if len(fromReplica.Skills) != 0 {
		t.Fatalf("the gap report as of %s of a trust the replica does not have yet has %d skills: it was not read from the replica",
			yesterday, len(fromReplica.Skills))
	}
	patient.as(patient.admin(), "GET", "/api/v1/organisations/RA2/gaps", nil).expect(200).decode(&fromPrimary)
	if len(fromPrimary.Skills) == 0 {
		t.Fatal("the current gap report, read from the primary, has no skills: the marker above proves nothing")
	}
	patient.eventually(30*time.Second, "the lag grows while replay is paused", func() bool {
		return patient.metric("cyberskills_replica_lag_seconds") > 1
	})
	// The announcement of the second trust lapsed the cached figures; the first asker
	// since starts their recomputation, from the paused standby while it is within the
	// bound of three seconds, and meanwhile gets the figures it had: one trust either way.
	if n := cached.trusts(); n != before+1 {
		t.Fatalf("with replay paused the cached figures count %d trusts, want %d from the replica", n, before+1)
	}

	strict.eventually(30*time.Second, "the strict server stops using a replica past its bound", func() bool {
		return strict.metric("cyberskills_replica_in_use") == 0
	})
	if n := strict.trusts(); n != before+2 {
		t.Fatalf("past the lag bound the headline counts %d trusts, want %d from the primary", n, before+2)
	}
	if n := patient.trusts(); n != before+1 {
		t.Fatalf("within its bound the patient server counts %d trusts, want %d from the replica", n, before+1)
	}

	pair.onStandby(`SELECT pg_wal_replay_resume()`)
	patient.eventually(30*time.Second, "the replica catches up", func() bool { return patient.trusts() == before+2 })
	// No announcement comes after the one the standby lagged behind, yet figures kept for
	// an hour catch up: they lapse again once every read from the standby includes it.
	cached.eventually(30*time.Second, "the cached figures catch up without another change", func() bool {
		return cached.trusts() == before+2
	})
	strict.eventually(30*time.Second, "the strict server uses the replica again", func() bool {
		return strict.metric("cyberskills_replica_in_use") == 1
	})

	pair.stopStandby()
	if n := patient.trusts(); n != before+2 {
		t.Fatalf("with the replica down the headline counts %d trusts, want %d", n, before+2)
	}
	patient.as(patient.admin(), "GET", "/api/v1/organisations/RA2/gaps?at="+yesterday, nil).expect(200)
	patient.eventually(30*time.Second, "the replica shows as down and out of use", func() bool {
		return patient.metric("cyberskills_replica_up") == 0 && patient.metric("cyberskills_replica_in_use") == 0
	})
	if n := strict.trusts(); n != before+2 {
		t.Fatalf("with the replica down the strict server counts %d trusts, want %d", n, before+2)
	}
}
