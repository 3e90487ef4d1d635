package models

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

// scenarioWorld is one organisation, ORG, with a course FW-1 and a role eng; its
// projection (from projStart) has E1 in post and E2, who already leaves in March 2026.
func scenarioInput() (ProjectionInput, ScenarioWorld) {
	leaves := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	running := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	in := ProjectionInput{Start: projStart, Months: 4,
		People: []ProjectedPerson{
			{ID: PersonKey("ORG", "E1"), Organisation: "ORG"},
			{ID: PersonKey("ORG", "E2"), Organisation: "ORG", EndDate: &leaves},
		},
		Targets:  map[string]Target{"soc": {MinLevel: 2, MinHeadcount: 1}},
		Coverage: map[string][]ExternalCoverage{"soc": {{Provider: "Old SOC", ContractEnd: &running}}},
	}
	world := ScenarioWorld{Organisation: "ORG",
		Courses: map[string]ScenarioCourse{"FW-1": {Confers: map[string]int{"fw": 2}, ValidityMonths: 24, PassRate: 0.8}},
		Roles:   map[string]map[string]ProjReq{"ORG/eng": {"fw": {Level: 2, Essential: true}}},
	}
	return in, world
}

func firstOf(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

// TestApplyScenario: each kind of change, applied to a copy of the projection's input.
func TestApplyScenario(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change ScenarioChange
		check  func(t *testing.T, in, out ProjectionInput)
	}{
		{"enrol: the course completes in the month given, with its pass rate and what it confers",
			ScenarioChange{Type: "enrol", StaffExternalID: "E1", Course: "FW-1", From: "2026-04"},
			func(t *testing.T, in, out ProjectionInput) {
				want := []ProjectedEnrolment{{Completes: firstOf(2026, 4), PassRate: 0.8, Confers: map[string]int{"fw": 2}, ValidityMonths: 24}}
				if !reflect.DeepEqual(out.People[0].Enrolments, want) {
					t.Errorf("E1's enrolments %+v, want %+v", out.People[0].Enrolments, want)
				}
			}},
		{"hire: count new people in the role from the month, with the levels given",
			ScenarioChange{Type: "hire", Role: "eng", Count: 2, Levels: map[string]int{"fw": 3}, From: "2026-03"},
			func(t *testing.T, in, out ProjectionInput) {
				if len(out.People) != 4 {
					t.Fatalf("%d people, want 2 hired beside 2", len(out.People))
				}
				for i, p := range out.People[2:] {
					if p.ID != fmt.Sprintf("hire:0:%d", i) || p.Organisation != "ORG" || p.StartDate == nil || !p.StartDate.Equal(firstOf(2026, 3)) ||
						p.Requirements["fw"] != (ProjReq{Level: 2, Essential: true}) || !reflect.DeepEqual(p.Evidence["fw"], []ProjectedEvidence{{Level: 3}}) {
						t.Errorf("hired %+v", p)
					}
				}
			}},
		{"leaver: leaves from the month",
			ScenarioChange{Type: "leaver", StaffExternalID: "E1", From: "2026-04"},
			func(t *testing.T, in, out ProjectionInput) {
				if e := out.People[0].EndDate; e == nil || !e.Equal(firstOf(2026, 4)) {
					t.Errorf("E1 leaves %v, want April 2026", e)
				}
			}},
		{"leaver already leaving sooner keeps the sooner date",
			ScenarioChange{Type: "leaver", StaffExternalID: "E2", From: "2026-05"},
			func(t *testing.T, in, out ProjectionInput) {
				if e := out.People[1].EndDate; e == nil || !e.Equal(firstOf(2026, 3)) {
					t.Errorf("E2 leaves %v, want March 2026 still", e)
				}
			}},
		{"outsource: a contract beside the one in force, from the month (next month by default) until the month given",
			ScenarioChange{Type: "outsource", Skill: "soc", Provider: "New SOC", Until: "2027-01"},
			func(t *testing.T, in, out ProjectionInput) {
				from, until := firstOf(2026, 2), firstOf(2027, 1)
				want := []ExternalCoverage{in.Coverage["soc"][0], {Provider: "New SOC", ContractStart: &from, ContractEnd: &until}}
				if !reflect.DeepEqual(out.Coverage["soc"], want) {
					t.Errorf("cover of soc %+v, want %+v", out.Coverage["soc"], want)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, world := scenarioInput()
			before := clonePeople(in)
			out, err := ApplyScenario(in, world, []ScenarioChange{tc.change})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, in, out)
			if !reflect.DeepEqual(clonePeople(in), before) || len(in.Coverage["soc"]) != 1 {
				t.Error("the input was changed: a scenario applies to a copy")
			}
		})
	}
}

// clonePeople is in's people as values, to compare before and after.
func clonePeople(in ProjectionInput) []ProjectedPerson {
	out := slices.Clone(in.People)
	for i, p := range out {
		out[i].Enrolments = slices.Clone(p.Enrolments)
		if p.EndDate != nil {
			e := *p.EndDate
			out[i].EndDate = &e
		}
	}
	return out
}

// TestApplyScenarioRefusesWhatCannotApply: every change that names something unknown or
// a bad value is refused, each with the field at fault, all at once.
func TestApplyScenarioRefusesWhatCannotApply(t *testing.T) {
	in, world := scenarioInput()
	_, err := ApplyScenario(in, world, []ScenarioChange{
		{Type: "enrol", StaffExternalID: "NOBODY", Course: "NO-COURSE"},
		{Type: "hire", Role: "no-role", Count: 0, Levels: map[string]int{"cooking": 2}},
		{Type: "hire", Role: "eng", Count: 1, Levels: map[string]int{"fw": 5}},
		{Type: "leaver", StaffExternalID: "E9"},
		{Type: "outsource", From: "2026-05", Until: "2026-04"},
		{Type: "promote"},
		{Type: "leaver", StaffExternalID: "E1", From: "March"},
	})
	var fields []string
	for _, f := range fieldsOf(err) {
		fields = append(fields, f.Field)
	}
	want := []string{"changes[0].staff_external_id", "changes[0].course", "changes[1].role", "changes[1].count",
		"changes[1].levels.cooking", "changes[2].levels.fw", "changes[3].staff_external_id", "changes[4].skill",
		"changes[4].provider", "changes[4].until", "changes[5].type", "changes[6].from"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields at fault:\n got  %v\n want %v", fields, want)
	}
}

func fieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) && e.Code == EINVALID {
		return e.Fields
	}
	return nil
}
