package repository

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/lib/pq"

	"cyberskills/models"
)

// Replica is a streaming standby of the primary that serves the reads which tolerate
// lag, while it answers and is close enough behind. Its lag is measured from the
// primary's side: every check notes the primary's WAL position with the time, and the
// standby's lag is the age of the newest position it has replayed (see lagBehind). A
// standby that is paused, cut off from the primary or slow to replay falls behind, and
// an idle primary leaves no lag, whatever the clocks of the two hosts say.
type Replica struct {
	db      *DB
	primary *DB
	maxLag  time.Duration
	every   time.Duration

	mu      sync.Mutex
	marks   []walMark
	lag     time.Duration // at the last check
	checked time.Time     // when the last check measured the lag; zero: never
	up      bool          // the standby answered the last check or read
}

// UnknownLag is the lag of a standby not measured yet.
const UnknownLag = time.Duration(1<<63 - 1)

// walMark is the primary's WAL position at a moment.
type walMark struct {
	lsn int64
	at  time.Time
}

// ReplicaConfig is how the standby is used.
type ReplicaConfig struct {
	MaxLag time.Duration // past it, reads go to the primary
	Check  time.Duration // how often the lag is measured
}

// OpenReplica connects to the standby at url with the pool settings of cfg. Its
// connections are read-only, and reports read from it do not apply queued writes first
// (the standby cannot; the leader's flusher does, on the primary).
func OpenReplica(ctx context.Context, cfg Config, url string, primary *DB, rc ReplicaConfig) (*Replica, error) {
	cfg.URL = url
	var err error
	if cfg.URL, err = withRuntimeParam(cfg.URL, "default_transaction_read_only", "on"); err != nil {
		return nil, err
	}
	pool, err := openPool(cfg)
	if err != nil {
		return nil, err
	}
	return &Replica{db: &DB{DB: pool, cfg: cfg, readOnly: true}, primary: primary, maxLag: rc.MaxLag, every: rc.Check}, nil
}

// Close closes the standby's pool.
func (r *Replica) Close() error { return r.db.Close() }

// checkTimeout bounds each query of a check: a standby that does not answer in it is down.
const checkTimeout = 2 * time.Second

// Run measures the lag every Check until ctx ends.
func (r *Replica) Run(ctx context.Context) {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		r.check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// check notes the primary's WAL position, then reads how far the standby has replayed.
// A standby that is not in recovery (the URL names a primary) has no lag.
func (r *Replica) check(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var at int64
	if err := r.primary.GetContext(pctx, &at, `SELECT pg_current_wal_lsn() - '0/0'::pg_lsn`); err == nil {
		r.note(walMark{at, time.Now()})
	}
	rctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var replayed int64
	err := r.db.GetContext(rctx, &replayed, `
		SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn`)
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.up = err == nil
	if err == nil {
		r.lag, r.checked = lagBehind(r.marks, replayed, now), now
	}
}

// marksKept bounds the WAL positions remembered: a standby further behind than the
// oldest is reported as that far behind, far past any sensible bound.
const marksKept = 1000

// note records the primary's WAL position; an unchanged position only moves its time on.
func (r *Replica) note(m walMark) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.marks); n > 0 && r.marks[n-1].lsn >= m.lsn {
		r.marks[n-1].at = m.at
		return
	}
	if len(r.marks) == marksKept {
		r.marks = append(r.marks[:0], r.marks[1:]...)
	}
	r.marks = append(r.marks, m)
}

// lagBehind is how stale a standby that has replayed up to replayed is at now: the age
// of the newest mark it has reached, when the primary was last known to be at a position
// the standby has. Behind every mark, it is at least the age of the oldest; with no mark
// yet, nothing is known and the lag is taken as unbounded.
func lagBehind(marks []walMark, replayed int64, now time.Time) time.Duration {
	if len(marks) == 0 {
		return UnknownLag
	}
	for i := len(marks) - 1; i >= 0; i-- {
		if marks[i].lsn <= replayed {
			return max(now.Sub(marks[i].at), 0)
		}
	}
	return now.Sub(marks[0].at)
}

// Status is what the metrics show of the standby: whether it answered its last check,
// its lag now (at most the lag measured then plus the time since), and whether reads go
// to it.
func (r *Replica) Status() (up bool, lag time.Duration, inUse bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.checked.IsZero() || r.lag == UnknownLag {
		return r.up, UnknownLag, false
	}
	lag = r.lag + time.Since(r.checked)
	return r.up, lag, r.up && lag <= r.maxLag
}

// CatchUp is how long after a change commits on the primary every read served from the
// standby includes it: a read goes to the standby only while its lag is within the
// bound, and the lag is measured from positions the primary noted at most a check after
// the commit.
func (r *Replica) CatchUp() time.Duration { return r.maxLag + r.every }

// Read runs read on the standby when it is in use, and on the primary when it is not,
// or when the standby fails to answer: a standby that is down or cancels the query to
// replay WAL (a recovery conflict) costs the read a retry, never a 503. A standby that
// failed is out of use until its next check succeeds.
func (r *Replica) Read(ctx context.Context, read func(db *DB) error) error {
	if _, _, inUse := r.Status(); !inUse {
		return read(r.primary)
	}
	err := read(r.db)
	if err == nil || ctx.Err() != nil || !standbyFailed(err) {
		return err
	}
	r.mu.Lock()
	r.up = false
	r.mu.Unlock()
	return read(r.primary)
}

// standbyFailed recognises a read the standby could not serve: it was unreachable or
// slow (EUNAVAILABLE), or it cancelled the query in a conflict with recovery.
func standbyFailed(err error) bool {
	if models.ErrorCode(err) == models.EUNAVAILABLE {
		return true
	}
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40001" || pqErr.Code == "57P04")
}
