package models

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMonthEnds(t *testing.T) {
	for _, c := range []struct {
		at          string
		first, last string
	}{
		{"2027-01-31T23:30:00Z", "2026-01-31T23:59:59.999999Z", "2026-12-31T23:59:59.999999Z"},
		{"2028-02-29T12:00:00Z", "2027-02-28T23:59:59.999999Z", "2028-01-31T23:59:59.999999Z"},
		{"2026-03-01T00:00:00Z", "2025-03-31T23:59:59.999999Z", "2026-02-28T23:59:59.999999Z"},
		// A zone other than UTC is read in UTC: 01:00 on 1 March in +02:00 is still February.
		{"2026-03-01T01:00:00+02:00", "2025-02-28T23:59:59.999999Z", "2026-01-31T23:59:59.999999Z"},
	} {
		at, _ := time.Parse(time.RFC3339, c.at)
		ends := MonthEnds(at, 12)
		if len(ends) != 12 || ends[0].Format(time.RFC3339Nano) != c.first || ends[11].Format(time.RFC3339Nano) != c.last {
			t.Errorf("MonthEnds(%s) = %v ... %v, want %s ... %s", c.at, ends[0], ends[len(ends)-1], c.first, c.last)
		}
		for i := 1; i < len(ends); i++ {
			if next := ends[i-1].Add(time.Microsecond).AddDate(0, 1, 0).Add(-time.Microsecond); !ends[i].Equal(next) {
				t.Errorf("MonthEnds(%s)[%d] = %s, want %s", c.at, i, ends[i], next)
			}
		}
	}
}

func TestJudgeAwareness(t *testing.T) {
	for _, c := range []struct {
		head, in int
		want     IndicatorStatus
	}{
		{0, 0, IndicatorNotMet}, {100, 95, IndicatorMet}, {100, 94, IndicatorPartlyMet}, {1000, 949, IndicatorPartlyMet},
		{1000, 950, IndicatorMet}, {10, 8, IndicatorPartlyMet}, {10, 7, IndicatorNotMet}, {3, 3, IndicatorMet},
		{2000, 1899, IndicatorPartlyMet}, {2000, 1599, IndicatorNotMet}, // 94.95% and 79.95% show as 95.0 and 80.0
	} {
		if got := JudgeAwareness(TrainingFigures{Headcount: c.head, InDate: c.in}); got.Status != c.want || got.Rule == "" {
			t.Errorf("%d of %d in date: %s, want %s", c.in, c.head, got.Status, c.want)
		}
	}
}

func TestJudgeKeyRoles(t *testing.T) {
	for _, c := range []struct {
		head, in int
		want     IndicatorStatus
	}{
		{0, 0, IndicatorNotMet}, {5, 5, IndicatorMet}, {5, 4, IndicatorPartlyMet}, {4, 2, IndicatorPartlyMet}, {5, 2, IndicatorNotMet},
		{2000, 999, IndicatorNotMet}, // 49.95% shows as 50.0
	} {
		if got := JudgeKeyRoles(TrainingFigures{Headcount: c.head, InDate: c.in}); got.Status != c.want {
			t.Errorf("%d of %d in date: %s, want %s", c.in, c.head, got.Status, c.want)
		}
	}
}

func TestJudgeTNA(t *testing.T) {
	for _, c := range []struct {
		holders map[Audience]int
		want    IndicatorStatus
	}{
		{map[Audience]int{AudienceSIRO: 1, AudienceCaldicottGuardian: 1, AudienceDPO: 2}, IndicatorMet},
		{map[Audience]int{AudienceSIRO: 1, AudienceIGLead: 3}, IndicatorPartlyMet},
		{map[Audience]int{AudienceAllStaff: 100, AudienceITSecurity: 4}, IndicatorNotMet},
	} {
		if got := JudgeTNA(c.holders); got.Status != c.want {
			t.Errorf("%v: %s (%s), want %s", c.holders, got.Status, got.Finding, c.want)
		}
	}
}

func TestJudgeEvaluation(t *testing.T) {
	f := func(head, in int) TrainingFigures { return TrainingFigures{Headcount: head, InDate: in} }
	for _, c := range []struct {
		then, now TrainingFigures
		change    int
		want      IndicatorStatus
	}{
		{f(10, 5), f(10, 8), -1, IndicatorMet},
		{f(10, 5), f(20, 10), 0, IndicatorMet}, // the same share
		{f(0, 0), f(10, 1), 0, IndicatorMet},   // nobody then: nothing to fall from
		{f(10, 9), f(10, 8), -2, IndicatorPartlyMet},
		{f(10, 5), f(10, 6), 1, IndicatorPartlyMet},
		{f(10, 9), f(10, 8), 1, IndicatorNotMet},
		{f(10, 9), f(0, 0), 0, IndicatorPartlyMet}, // nobody now: no share held
	} {
		if got := JudgeEvaluation(c.then, c.now, SkillGapChange{Change: c.change}); got.Status != c.want {
			t.Errorf("%v -> %v, gaps %+d: %s, want %s", c.then, c.now, c.change, got.Status, c.want)
		}
	}
}

func TestValidateTrainingRequirements(t *testing.T) {
	ok := TrainingRequirement{Audience: AudienceAllStaff, Skill: "secure-data", Level: 1, RefreshMonths: 12, Reason: "why"}
	if err := ValidateTrainingRequirements([]TrainingRequirement{ok}); err != nil {
		t.Fatal(err)
	}
	err := ValidateTrainingRequirements([]TrainingRequirement{ok, ok, {Audience: "board", Level: 0, RefreshMonths: 121}})
	fields := fieldNames(err)
	want := "requirements[1].audience requirements[2].audience requirements[2].skill requirements[2].level requirements[2].refresh_months requirements[2].reason"
	if got := fields; got != want {
		t.Errorf("fields %s\nwant %s", got, want)
	}
}

func TestValidateKeyRoles(t *testing.T) {
	err := ValidateKeyRoles(KeyRoles{
		Roles: []RoleKeyRoles{{Role: "a", KeyRoles: []Audience{}}, {Role: "a", KeyRoles: []Audience{"all_staff"}}, {Role: "b"}},
		Staff: []StaffKeyRoles{{ExternalID: "E1", KeyRoles: []Audience{"siro"}}, {ExternalID: "E1"}},
	})
	fields := fieldNames(err)
	want := "roles[1].role roles[1].key_roles[0] roles[2].key_roles staff[1].external_id staff[1].key_roles"
	if got := fields; got != want {
		t.Errorf("fields %s\nwant %s", got, want)
	}
}

func fieldNames(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	return strings.Join(names, " ")
}
