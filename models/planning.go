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

// ParsePeriod reads a month (2027-01) or a quarter (2027-Q1), in the range of every date
// and time, and returns its first day and kind.
func ParsePeriod(s string) (time.Time, string, error) {
	start, kind, err := parsePeriod(s)
	if err == nil && !InTimeRange(start) {
		return time.Time{}, "", fmt.Errorf("%q is not a month (2027-01) or a quarter (2027-Q1) %s", Excerpt(s), TimeRange)
	}
	return start, kind, err
}

func parsePeriod(s string) (time.Time, string, error) {
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
	return time.Time{}, "", fmt.Errorf("%q is not a month (2027-01) or a quarter (2027-Q1)", Excerpt(s))
}

// PeriodLabel writes a period's first day back as 2027-01 or 2027-Q1, the year in four
// digits as ParsePeriod reads it.
func PeriodLabel(start time.Time, kind string) string {
	if kind == "quarter" {
		return fmt.Sprintf("%04d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
	}
	return start.Format("2006-01")
}

// MaxFundedPosts bounds the funded posts of one role in one period.
const MaxFundedPosts = 1_000_000

// ValidateEstablishment checks entries as submitted.
func ValidateEstablishment(entries []EstablishmentEntry) error {
	var v Validator
	seen := map[string]bool{}
	for i, e := range entries {
		f := "entries[" + strconv.Itoa(i) + "]"
		v.Check(e.Role != "", f+".role", "is required")
		start, _, err := ParsePeriod(e.Period)
		v.Check(err == nil, f+".period", "must be a month (2027-01) or a quarter (2027-Q1) "+TimeRange)
		key := e.Role + "/" + start.String()
		v.Check(err != nil || !seen[key], f+".period", "is listed twice for this role")
		seen[key] = true
		v.Check(e.FundedPosts >= 0 && e.FundedPosts <= MaxFundedPosts, f+".funded_posts", "must be from 0 to "+strconv.Itoa(MaxFundedPosts))
	}
	return v.Err()
}

// EnrolmentStatus is where an enrolment stands.
type EnrolmentStatus string

// Enrolment statuses: a completion or xAPI statement closes an enrolment as completed or
// failed; a withdrawal as withdrawn.
const (
	EnrolmentOpen      EnrolmentStatus = "enrolled"
	EnrolmentCompleted EnrolmentStatus = "completed"
	EnrolmentFailed    EnrolmentStatus = "failed"
	EnrolmentWithdrawn EnrolmentStatus = "withdrawn"
)

// Enrolment is a person on a course: the training pipeline.
type Enrolment struct {
	ID                 int64           `json:"id" example:"88"`
	Organisation       string          `json:"organisation" example:"RJ1"`
	StaffExternalID    string          `json:"staff_external_id" example:"E10234"`
	Course             string          `json:"course" example:"FW-201"`
	Provider           string          `json:"provider" example:"nhs-digital-academy"`
	EnrolledAt         Date            `json:"enrolled_at" swaggertype:"string" format:"date" example:"2027-01-10"`
	ExpectedCompletion Date            `json:"expected_completion" swaggertype:"string" format:"date" example:"2027-03-31"`
	Status             EnrolmentStatus `json:"status" enums:"enrolled,completed,failed,withdrawn" example:"enrolled"`
	ClosedAt           *time.Time      `json:"closed_at,omitempty"`
	PassRate           *float64        `json:"pass_rate,omitempty" example:"0.85"` // the course's observed pass rate
}

// NewEnrolment is an enrolment as posted.
type NewEnrolment struct {
	StaffExternalID    string `json:"staff_external_id" example:"E10234"`
	Course             string `json:"course" example:"FW-201"`
	EnrolledAt         *Date  `json:"enrolled_at,omitempty" swaggertype:"string" format:"date" example:"2027-01-10"` // default today
	ExpectedCompletion *Date  `json:"expected_completion" swaggertype:"string" format:"date" example:"2027-03-31" extensions:"x-nullable"`
}

// Validate checks an enrolment as posted.
func (e NewEnrolment) Validate() error {
	var v Validator
	v.Check(e.StaffExternalID != "", "staff_external_id", "is required")
	v.Check(e.Course != "", "course", "is required")
	v.Check(e.ExpectedCompletion != nil, "expected_completion", "is required")
	if e.ExpectedCompletion != nil && e.EnrolledAt != nil {
		v.Check(!e.ExpectedCompletion.Before(*e.EnrolledAt), "expected_completion", "must not be before enrolled_at")
	}
	return v.Err()
}
