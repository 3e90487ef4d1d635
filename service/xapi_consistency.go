package service

import (
	"sync"
	"time"
)

// statementWrites tracks the statement writes in flight on this server: a statement is
// stored as of the instant its request arrived, but is readable only once its
// transaction commits, so until then nothing stored after that instant can be promised.
type statementWrites struct {
	mu       sync.Mutex
	inFlight map[*time.Time]bool
}

// begin registers a write stored as of at; the returned func ends it.
func (w *statementWrites) begin(at time.Time) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight == nil {
		w.inFlight = map[*time.Time]bool{}
	}
	key := &at
	w.inFlight[key] = true
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.inFlight, key)
	}
}

// earliest is the stored instant of the oldest write in flight, or now when none is.
func (w *statementWrites) earliest(now time.Time) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := now
	for at := range w.inFlight {
		if at.Before(out) {
			out = *at
		}
	}
	return out
}

// ConsistentThrough is X-Experience-API-Consistent-Through: every statement stored
// before it is readable. It is now, or the stored instant of the oldest statement write
// still in flight on this server. Several servers behind one address each know only their own
// writes: a reader needing certainty across them should allow a request's time
// (REQUEST_TIMEOUT), the longest a write can take.
func (s *Service) ConsistentThrough() time.Time {
	return s.writes.earliest(s.now())
}
