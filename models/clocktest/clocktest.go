// Package clocktest is the one clock of the test suites. Every test takes "now" from
// Now (or Clock), and builds its fixtures from it, so that the suite can be run as of any
// instant: TEST_NOW=2028-02-29T12:00:00Z make test. Without TEST_NOW (go test run by
// hand) the instant is the machine's time when the test binary started, printed on
// failure by the helpers that use it, so that a failing run can be repeated.
package clocktest

import (
	"fmt"
	"os"
	"sync"
	"time"
)

var (
	once    sync.Once
	instant time.Time
)

// Now is the instant the tests run as of, in UTC.
func Now() time.Time {
	once.Do(func() {
		raw := os.Getenv("TEST_NOW")
		if raw == "" {
			instant = time.Now().UTC().Truncate(time.Second)
			return
		}
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			fmt.Fprintf(os.Stderr, "clocktest: TEST_NOW=%q is not an RFC 3339 instant: %v\n", raw, err)
			os.Exit(2)
		}
		instant = t.UTC()
	})
	return instant
}

// Clock is a models.Clock that always answers Now.
type Clock struct{}

// Now is the suite's instant.
func (Clock) Now() time.Time { return Now() }

// Describe says which instant the tests ran as of, for failure messages.
func Describe() string { return "TEST_NOW=" + Now().Format(time.RFC3339Nano) }

// Days is now moved by n days (negative: the past).
func Days(n int) time.Time { return Now().AddDate(0, 0, n) }

// MonthStart is the first instant of the calendar month (UTC) that is n months from
// now's: 0 is this month, 1 the next.
func MonthStart(n int) time.Time {
	t := Now()
	return time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
}

// Elapsed measures wall time for bounds on how long something takes (timeouts, polling
// deadlines), never for what time it is: the business clock is Now.
func Elapsed() func() time.Duration {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }
}

// Eventually polls cond until it holds or within has elapsed, and reports whether it held.
func Eventually(within, every time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		select {
		case <-deadline.C:
			return cond()
		case <-tick.C:
		}
	}
}

// Manual is a clock a test moves by hand, for behaviour that depends on time passing
// between requests (audit times, expiry). It starts at Now.
type Manual struct {
	mu sync.Mutex
	at time.Time
}

// NewManual returns a clock standing at Now.
func NewManual() *Manual { return &Manual{at: Now()} }

// Now is the clock's current instant.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.at
}

// Advance moves the clock forward by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.at = m.at.Add(d)
}

// Deadline bounds a polling loop in elapsed time.
type Deadline struct{ at time.Time }

// After is a deadline d from now, in elapsed (wall) time.
func After(d time.Duration) Deadline { return Deadline{time.Now().Add(d)} }

// Passed reports whether the deadline has passed.
func (d Deadline) Passed() bool { return time.Now().After(d.at) }
