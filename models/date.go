package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without time or zone, written "2026-01-31" in JSON and CSV.
type Date struct{ time.Time }

// DateLayout is the one textual form of a Date.
const DateLayout = "2006-01-02"

// ParseDate reads "2026-01-31".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-01-31", s)
	}
	return Date{t}, nil
}

// NewDate is the date of t in UTC.
func NewDate(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string { return d.Format(DateLayout) }

// MarshalJSON writes "2026-01-31".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "2026-01-31" and reports a bad value as an invalid field.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Errorf(EINVALID, "a date must be a string like 2026-01-31")
	}
	v, err := ParseDate(s)
	if err != nil {
		return Errorf(EINVALID, "%s", err.Error())
	}
	*d = v
	return nil
}

// Value stores a Date as a PostgreSQL date.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a PostgreSQL date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = NewDate(v)
		return nil
	case string:
		p, err := ParseDate(v)
		*d = p
		return err
	case []byte:
		p, err := ParseDate(string(v))
		*d = p
		return err
	}
	return fmt.Errorf("cannot scan %T into a Date", src)
}
