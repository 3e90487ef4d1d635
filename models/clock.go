package models

import "time"

// Clock is where the service learns what time it is. main wires SystemClock; tests wire a
// fixed instant (clocktest), so that every rule that depends on "now" (evidence expiry,
// leavers, report dates, token expiry, the month of a snapshot) can be run as of any
// moment. Rules take the instant as an argument; only the service reads the clock.
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock, in UTC.
type SystemClock struct{}

// Now is the current instant in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock always answers the same instant.
type FixedClock time.Time

// Now is the fixed instant.
func (c FixedClock) Now() time.Time { return time.Time(c) }

// TodayAt is the calendar date of now in UTC. Dates here are administrative (an
// organisation closes on a day); an hour's difference around midnight does not matter.
func TodayAt(now time.Time) Date { return DateOf(now.UTC()) }
