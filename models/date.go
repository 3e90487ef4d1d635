package models

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Date is a calendar date without a time of day or a zone, such as an organisation's open
// date. It is "2006-01-02" in JSON and in SQL.
type Date struct{ t time.Time } // midnight UTC; the zero value is "no date"

// NewDate builds a date.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate reads a date a caller wrote: "2006-01-02" or, as the NHS ODS extracts write
// dates, "20060102", in the range of every date and time (ErrOutOfRange outside it).
func ParseDate(s string) (Date, error) {
	d, err := parseDate(s)
	if err == nil && !InTimeRange(d.t) {
		return Date{}, ErrOutOfRange
	}
	return d, err
}

// parseDate reads either form of a date without judging its range: what the database
// holds is read as it is.
func parseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	layout := "2006-01-02"
	if len(s) == 8 && !strings.Contains(s, "-") {
		layout = "20060102"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time is midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// String is d as "2006-01-02".
func (d Date) String() string { return d.t.Format("2006-01-02") }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// MarshalJSON writes "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "2006-01-02" in the range of every date and time. Anything else, a
// number or an object included, is a type error about Date, so that the binder says a
// date in the range was expected.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &json.UnmarshalTypeError{Value: typeErr.Value, Type: dateType}
		}
		return err
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || !InTimeRange(t) {
		return &json.UnmarshalTypeError{Value: "string", Type: dateType}
	}
	d.t = t
	return nil
}

var dateType = reflect.TypeOf(Date{})

// JSONTypeName names the JSON form of a date in error messages.
func (Date) JSONTypeName() string { return "a date (YYYY-MM-DD) " + TimeRange }

// DatePtr returns a pointer to the date of t, or nil for nil.
func DatePtr(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	d := DateOf(*t)
	return &d
}

// Value stores a Date as a PostgreSQL date; the zero date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a PostgreSQL date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v.UTC())
		return nil
	case string:
		p, err := parseDate(v)
		*d = p
		return err
	case []byte:
		p, err := parseDate(string(v))
		*d = p
		return err
	}
	return fmt.Errorf("cannot scan %T into a Date", src)
}
