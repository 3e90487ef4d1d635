package repository

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// leaderLock is the session-level advisory lock whose holder leads: it runs the
// background work (the flusher, the sweeper with its erasure scans and monthly
// snapshots) for every server on the database. The service's advisory lock keys are
// 7_301_202 migrations, 7_301_203 the sweep, 7_301_204 the flush (workforce_flush),
// 7_301_205 leadership, 7_301_206 the history's flush (history_flush) and 7_301_207 the
// national assurance figures' computation (ComputeAssuranceStatistics): a holder of one
// must never wait for another's, so a new lock takes the next number.
const leaderLock = 7_301_205

// Leadership elects one server of several, by PostgreSQL advisory lock held on a
// connection of its own. A follower tries to take the lock every poll; the leader
// confirms every poll that the session holding it is still its own. The connection is
// opened with idle_session_timeout = lease, so that the database ends the session, and
// so frees the lock, when the leader says nothing for that long: a frozen process, or a
// host that vanished, loses leadership in bounded time although its TCP connection looks
// alive (the kernel of a stopped process still answers keepalives). A leader whose
// confirmation fails, or takes longer than the lease less two polls, steps down at once:
// at most the lease less one poll after its last word to the database, before the
// database would free the lock (the lease is at least three polls). The slack is there so
// that a busy machine's slow answer does not move leadership for nothing.
//
// Takeover: a leader that exits or crashes closes its socket and PostgreSQL frees the
// lock at once; a follower takes it within one poll. A frozen or vanished leader's lock
// is freed a lease after its last statement; a follower takes it within one poll more.
//
// Leadership decides who schedules the work; it does not fence it: a leader frozen in the
// middle of a task may wake after another has taken over. Each task therefore takes a
// lock of its own for the time it runs (see Sweep and Flush), bounded the same way.
type Leadership struct {
	pool  *sql.DB
	poll  time.Duration
	lease time.Duration
	log   *slog.Logger

	conn    *sql.Conn
	pid     int
	leading atomic.Bool
	terms   atomic.Int64
}

// LeadershipConfig sets how fast leadership moves.
type LeadershipConfig struct {
	Poll  time.Duration // how often a follower tries the lock and the leader confirms it
	Lease time.Duration // how long the database waits for a silent leader; at least 3 polls
}

// NewLeadership prepares leadership over the database that cfg reaches, on a connection
// of its own; Run takes part in the election.
func NewLeadership(cfg Config, lc LeadershipConfig, log *slog.Logger) (*Leadership, error) {
	if lc.Poll <= 0 || lc.Lease < 3*lc.Poll {
		return nil, fmt.Errorf("leadership: the lease (%s) must be at least three polls (%s)", lc.Lease, lc.Poll)
	}
	dsn, err := withRuntimeParam(cfg.URL, "idle_session_timeout", fmt.Sprint(lc.Lease.Milliseconds()))
	if err != nil {
		return nil, err
	}
	cfg.URL = dsn
	cfg.StatementTimeout = lc.Lease - 2*lc.Poll
	pool, err := openPool(cfg)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	pool.SetConnMaxLifetime(0)
	pool.SetConnMaxIdleTime(0)
	return &Leadership{pool: pool.DB, poll: lc.Poll, lease: lc.Lease, log: log}, nil
}

// patience is how long one poll's query may take: the lease less two polls, so that a
// leader whose confirmation times out still steps down before the lease runs out.
func (l *Leadership) patience() time.Duration { return l.lease - 2*l.poll }

// Leading reports whether this server leads now.
func (l *Leadership) Leading() bool { return l.leading.Load() }

// Terms is how many times this server has taken leadership.
func (l *Leadership) Terms() int64 { return l.terms.Load() }

// Run takes part in the election until ctx ends. Each time this server takes
// leadership, work runs with a context that ends when leadership is lost (or ctx ends);
// the server tries for leadership again only once that work has returned, so that two
// terms' work never overlap here.
func (l *Leadership) Run(ctx context.Context, work func(ctx context.Context)) {
	defer l.pool.Close()
	defer l.drop(nil)
	t := time.NewTicker(l.poll)
	defer t.Stop()
	var stop context.CancelFunc
	finished := make(chan struct{})
	close(finished)
	for {
		was := l.leading.Load()
		if was || closed(finished) { // a follower whose last term's work is still stopping waits
			l.step(ctx)
		}
		switch now := l.leading.Load(); {
		case now && !was:
			var term context.Context
			term, stop = context.WithCancel(ctx)
			finished = make(chan struct{})
			go func(done chan struct{}) { defer close(done); work(term) }(finished)
		case !now && was:
			stop()
		}
		select {
		case <-ctx.Done():
			if stop != nil {
				stop()
			}
			<-finished
			return
		case <-t.C:
		}
	}
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// step is one poll: confirm the lock when leading, try for it otherwise.
func (l *Leadership) step(ctx context.Context) {
	qctx, cancel := context.WithTimeout(ctx, l.patience())
	defer cancel()
	if l.conn == nil {
		if err := l.connect(qctx); err != nil {
			if ctx.Err() == nil {
				l.log.Warn("leadership: cannot reach the database; not leading", "error", err.Error())
			}
			return
		}
	}
	if l.leading.Load() {
		var pid int
		err := l.conn.QueryRowContext(qctx, `SELECT pg_backend_pid()`).Scan(&pid)
		if err == nil && pid != l.pid {
			err = fmt.Errorf("the session changed (backend %d, was %d)", pid, l.pid)
		}
		if err != nil {
			l.drop(err)
		}
		return
	}
	var got bool
	if err := l.conn.QueryRowContext(qctx, `SELECT pg_try_advisory_lock($1)`, leaderLock).Scan(&got); err != nil {
		l.drop(err)
		return
	}
	if got {
		l.leading.Store(true)
		l.terms.Add(1)
		l.log.Info("leadership taken: this server runs the background work", "backend", l.pid)
	}
}

// connect pins one session for the election: the lock belongs to it, so a query must
// never move to another connection unnoticed.
func (l *Leadership) connect(ctx context.Context) error {
	c, err := l.pool.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	if err := c.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&l.pid); err != nil {
		discard(c)
		return translate(err)
	}
	l.conn = c
	return nil
}

// drop gives up the session, and with it the lock when the database still has it; a
// leader steps down. err says why (nil: shutting down).
func (l *Leadership) drop(err error) {
	if l.leading.Swap(false) && err != nil {
		l.log.Warn("leadership lost: the background work stops here", "error", err.Error())
	}
	if l.conn != nil {
		discard(l.conn)
		l.conn = nil
	}
}

// discard closes a pinned connection for good: the pool must not hand its session out
// again.
func discard(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}
