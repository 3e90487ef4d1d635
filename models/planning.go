package models

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// EstablishmentEntry is the funded posts of one role in one period.
type EstablishmentEntry struct {
	Role        string  `json:"role" example:"network-engineer"`
	Period      string  `json:"period" example:"2027-Q1"` // a month (2027-01) or a quarter (2027-Q1)
	FundedPosts float64 `json:"funded_posts" example:"6"`
	// InForce is set on the entry that applies today, with the posts filled and vacant.
	InForce   bool     `json:"in_force,omitempty" example:"true"`
	Filled    *int     `json:"filled,omitempty" example:"4"`
	Vacancies *float64 `json:"vacancies,omitempty" example:"2"`
}

var (
	monthPeriod   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	quarterPeriod = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// ParsePeriod reads a month (2027-01) or a quarter (2027-Q1) and returns its first day and kind.
func ParsePeriod(s string) (time.Time, string, error) {
	if m := monthPeriod.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), "month", nil
	}
	if m := quarterPeriod.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), "quarter", nil
	}
	return time.Time{}, "", fmt.Errorf("%q is not a month (2027-01) or a quarter (2027-Q1)", s)
}

// PeriodLabel writes a period's first day back as 2027-01 or 2027-Q1.
func PeriodLabel(start time.Time, kind string) string {
	if kind == "quarter" {
		return fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
	}
	return start.Format("2006-01")
}

// ValidateEstablishment checks entries as submitted.
func ValidateEstablishment(entries []EstablishmentEntry) error {
	var v Validator
	seen := map[string]bool{}
	for i, e := range entries {
		f := "entries[" + strconv.Itoa(i) + "]"
		v.Check(e.Role != "", f+".role", "is required")
		start, _, err := ParsePeriod(e.Period)
		v.Check(err == nil, f+".period", "must be a month (2027-01) or a quarter (2027-Q1)")
		key := e.Role + "/" + start.String()
		v.Check(err != nil || !seen[key], f+".period", "is listed twice for this role")
		seen[key] = true
		v.Check(e.FundedPosts >= 0 && e.FundedPosts <= 1e6, f+".funded_posts", "must be 0 or more")
	}
	return v.Err()
}
