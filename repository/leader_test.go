package repository_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// leadershipOn starts a server's part in the election on the database at url; work
// reports each term's start on terms and blocks until the term ends. stop ends it.
func leadershipOn(t *testing.T, url string, lc repository.LeadershipConfig) (l *repository.Leadership, terms chan context.Context, stop func()) {
	t.Helper()
	l, err := repository.NewLeadership(repository.Config{URL: url, ConnectTimeout: 2 * time.Second}, lc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	terms = make(chan context.Context, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Run(ctx, func(term context.Context) { terms <- term; <-term.Done() })
	}()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return l, terms, stop
}

// waitTerm waits for a term to start on terms.
func waitTerm(t *testing.T, terms chan context.Context, within time.Duration, who string) context.Context {
	t.Helper()
	select {
	case term := <-terms:
		return term
	case <-time.After(within):
		t.Fatalf("%s did not take leadership within %s", who, within)
		return nil
	}
}

// One of two servers leads and runs the work; when it stops, its term's work is told to
// stop and the other takes over within a poll or two.
func TestLeadershipMovesWhenTheLeaderStops(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewURL(t)
	lc := repository.LeadershipConfig{Poll: 50 * time.Millisecond, Lease: time.Second}
	a, termsA, stopA := leadershipOn(t, url, lc)
	termA := waitTerm(t, termsA, 5*time.Second, "the first server")
	b, termsB, _ := leadershipOn(t, url, lc)
	// b polls and fails while a leads.
	if !clocktest.Eventually(5*time.Second, 10*time.Millisecond, func() bool { return a.Leading() && !b.Leading() }) {
		t.Fatalf("leading: a %v, b %v", a.Leading(), b.Leading())
	}
	select {
	case <-termsB:
		t.Fatal("both servers lead")
	case <-time.After(5 * lc.Poll):
	}
	elapsed := clocktest.Elapsed()
	stopA()
	if termA.Err() == nil {
		t.Fatal("the stopped leader's work goes on")
	}
	waitTerm(t, termsB, 2*time.Second, "the second server")
	t.Logf("taken over %s after the leader stopped", elapsed())
	if a.Leading() || !b.Leading() || b.Terms() != 1 {
		t.Fatalf("after the handover: a %v, b %v (%d terms)", a.Leading(), b.Leading(), b.Terms())
	}
}

// A leader that holds the lock and then falls silent (a frozen process keeps its TCP
// connection) loses it when the database ends its session after the lease.
func TestLeadershipOfASilentLeaderLapses(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewURL(t)
	ctx := context.Background()
	lease := 400 * time.Millisecond
	silent, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// The stopwatch starts before the lock is taken: the database's lease runs from the
	// end of that statement, so the time measured is never less than the lease, however
	// long this goroutine waits for a CPU before its next line (CI runs on two cores).
	elapsed := clocktest.Elapsed()
	if _, err := silent.ExecContext(ctx, `SELECT set_config('idle_session_timeout', $1, false), pg_advisory_lock($2)`,
		lease.Milliseconds(), repository.LeaderLock); err != nil {
		t.Fatal(err)
	}
	l, terms, _ := leadershipOn(t, url, repository.LeadershipConfig{Poll: 50 * time.Millisecond, Lease: time.Second})
	waitTerm(t, terms, 10*time.Second, "the follower")
	if took := elapsed(); took < lease {
		t.Fatalf("leadership taken after %s, before the silent leader's lease of %s ran out", took, lease)
	}
	if !l.Leading() {
		t.Fatal("the new leader does not say so")
	}
}

// A leader whose session the database ends (here by hand, as an administrator or a
// failover would) steps down, its work is stopped, and it leads again with a new session.
func TestLeadershipStepsDownWhenItsSessionEnds(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewURL(t)
	l, terms, _ := leadershipOn(t, url, repository.LeadershipConfig{Poll: 50 * time.Millisecond, Lease: time.Second})
	first := waitTerm(t, terms, 5*time.Second, "the server")
	// pg_locks lists every database's locks: the tests beside this one, in databases of
	// their own on the same server, hold the same key, and must not lose their sessions.
	if _, err := db.ExecContext(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND objid = $1 AND granted
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, repository.LeaderLock); err != nil {
		t.Fatal(err)
	}
	if !clocktest.Eventually(5*time.Second, 5*time.Millisecond, func() bool { return first.Err() != nil }) {
		t.Fatal("the work of the lost term goes on")
	}
	waitTerm(t, terms, 5*time.Second, "the server, again")
	if l.Terms() != 2 {
		t.Fatalf("%d terms, want 2", l.Terms())
	}
}

// The lag of a standby is the age of the newest primary position it has replayed.
func TestLagBehind(t *testing.T) {
	t.Parallel()
	marks := [][2]int64{{100, 10}, {200, 20}, {300, 30}}
	for _, tc := range []struct {
		name           string
		marks          [][2]int64
		replayed, now  int64
		wantLagSeconds int64
	}{
		{"caught up", marks, 300, 31, 1},
		{"between two marks", marks, 250, 40, 20},
		{"at a mark", marks, 200, 40, 20},
		{"behind every mark", marks, 50, 40, 30},
		{"ahead of the last mark", marks, 400, 30, 0},
	} {
		if got := repository.LagBehind(tc.marks, tc.replayed, tc.now); got != tc.wantLagSeconds {
			t.Errorf("%s: %ds, want %ds", tc.name, got, tc.wantLagSeconds)
		}
	}
	if got := repository.LagBehind(nil, 1, 1); got != int64(repository.UnknownLag/time.Second) {
		t.Errorf("no marks: %ds, want unknown", got)
	}
}

// A sweep whose runner fell silent holding the sweep's lock (a leader frozen mid-sweep)
// keeps other sweeps out only for the task lease: then the database ends its session.
// A lock released in the ordinary way leaves the session as it found it.
func TestTaskLockOfASilentRunnerLapses(t *testing.T) {
	t.Parallel()
	db, url := pgtest.NewURL(t)
	ctx := context.Background()
	lease := 300 * time.Millisecond
	frozen, err := repository.Open(ctx, repository.Config{URL: url, MaxOpenConns: 2, TaskLease: lease})
	if err != nil {
		t.Fatal(err)
	}
	defer frozen.Close()

	conn, err := frozen.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := frozen.LockTask(ctx, conn, repository.SweepLock)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	var idle string
	if err := conn.GetContext(ctx, &idle, `SELECT current_setting('idle_session_timeout') || current_setting('idle_in_transaction_session_timeout')`); err != nil || idle != "00" {
		t.Fatalf("after the lock is released the session's timeouts are %q (%v), want them off", idle, err)
	}
	conn.Close()

	conn, err = frozen.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	elapsed := clocktest.Elapsed() // before the lock, as in TestLeadershipOfASilentLeaderLapses
	if _, err := frozen.LockTask(ctx, conn, repository.SweepLock); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Sweep(ctx, clocktest.Now()); !errors.Is(err, repository.ErrBusy) {
		t.Fatalf("a sweep beside a held sweep lock: %v, want ErrBusy", err)
	}
	if !clocktest.Eventually(10*time.Second, 20*time.Millisecond, func() bool {
		_, err := db.Sweep(ctx, clocktest.Now())
		return err == nil
	}) {
		t.Fatal("the silent runner's sweep lock was never freed")
	}
	if took := elapsed(); took < lease {
		t.Fatalf("swept after %s, before the silent runner's lease of %s ran out", took, lease)
	}
}
