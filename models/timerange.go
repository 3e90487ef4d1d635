package models

import (
	"errors"
	"time"
)

// Every date and time the service accepts, in any field of any route or file, lies in one
// range: from the first instant of 1900 to the last of 9999, UTC. The start is before
// anything the service records could have happened (the NHS dates from 1948) and keeps
// out year 0, which Go reads but PostgreSQL stores as 1 BC, while dates before year 1
// were refused by the database with no field named; the end is the last year that
// RFC 3339, and so every JSON answer, can write.
var (
	EarliestTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestTime   = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// TimeRange states the range in messages and documentation.
const TimeRange = "from 1900-01-01 to 9999-12-31"

// ErrOutOfRange is the error of a date or time that parses but lies outside the range.
var ErrOutOfRange = errors.New("must be " + TimeRange)

// InTimeRange reports whether t lies in the range, judged in UTC (a time written with an
// offset can fall in another year there).
func InTimeRange(t time.Time) bool {
	return !t.Before(EarliestTime) && !t.After(LatestTime)
}

// CheckTime records against field that t, when given, lies outside the range.
func (v *Validator) CheckTime(t *time.Time, field string) {
	if t != nil {
		v.Check(InTimeRange(*t), field, ErrOutOfRange.Error())
	}
}

// TimeOrDateMessage is the message for a field ParseTimeOrDate cannot read.
const TimeOrDateMessage = "must be a date (2026-01-31) or an RFC 3339 time, " + TimeRange

// ParseTimeOrDate reads an RFC 3339 time, or a YYYY-MM-DD date as its midnight UTC, in
// the range: how files and query parameters give times.
func ParseTimeOrDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if !InTimeRange(t) {
				return time.Time{}, ErrOutOfRange
			}
			return t, nil
		}
	}
	return time.Time{}, errors.New(TimeOrDateMessage)
}
