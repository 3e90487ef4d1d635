package models

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The projections below start on 10 January 2026 and run four months: row 0 is then,
// rows 1-4 are the ends of February, March, April and May.
var projStart = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// needsFirewall is someone in post whose role requires firewall at level 3.
func needsFirewall(id string, essential bool) ProjectedPerson {
	return ProjectedPerson{ID: id, Requirements: map[string]ProjReq{"firewall": {3, essential}}}
}

func withEvidence(p ProjectedPerson, skill string, level int, expires *time.Time) ProjectedPerson {
	if p.Evidence == nil {
		p.Evidence = map[string][]ProjectedEvidence{}
	}
	p.Evidence[skill] = append(p.Evidence[skill], ProjectedEvidence{level, expires})
	return p
}

func withEnrolment(p ProjectedPerson, skill string, level int, completes *time.Time, pass float64, validity int) ProjectedPerson {
	p.Enrolments = append(p.Enrolments, ProjectedEnrolment{*completes, pass, map[string]int{skill: level}, validity})
	return p
}

// month is the expected projection of one skill in one month.
type month struct {
	demand, supply, essentialShortfall, holders float64
	gap                                         bool
}

func series(rows []ProjectedSkillMonth, skill string) []month {
	var out []month
	for _, r := range rows {
		if r.Skill == skill {
			out = append(out, month{r.Demand, r.Supply, r.EssentialShortfall, r.TargetHolders, r.Gap})
		}
	}
	return out
}

func TestProject(t *testing.T) {
	cases := []struct {
		name   string
		people []ProjectedPerson
		target *Target
		cover  *ExternalCoverage
		want   []month // firewall, rows 0-4
	}{
		{
			name:   "evidence expiring mid-horizon: a gap from the month it lapses",
			people: []ProjectedPerson{withEvidence(withEvidence(needsFirewall("A", true), "firewall", 3, date(2026, 3, 15)), "firewall", 2, nil)},
			want:   []month{{1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}},
		},
		{
			name:   "evidence expiring on the first of a month still counts at the end of the one before",
			people: []ProjectedPerson{withEvidence(needsFirewall("A", true), "firewall", 3, date(2026, 3, 1))},
			want:   []month{{1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}},
		},
		{
			name: "two enrolments at 0.5 give 0.75: rounded, no shortfall",
			people: []ProjectedPerson{withEnrolment(withEnrolment(needsFirewall("A", true),
				"firewall", 3, date(2026, 2, 10), 0.5, 0), "firewall", 4, date(2026, 2, 20), 0.5, 0)},
			want: []month{{1, 0, 1, 0, true}, {1, 0.75, 0.25, 0, false}, {1, 0.75, 0.25, 0, false}, {1, 0.75, 0.25, 0, false}, {1, 0.75, 0.25, 0, false}},
		},
		{
			name: "one enrolment at 0.5: half a person short rounds up to a gap; a course short of the level counts nothing",
			people: []ProjectedPerson{withEnrolment(withEnrolment(needsFirewall("A", true),
				"firewall", 3, date(2026, 2, 10), 0.5, 0), "firewall", 2, date(2026, 2, 10), 1, 0)},
			want: []month{{1, 0, 1, 0, true}, {1, 0.5, 0.5, 0, true}, {1, 0.5, 0.5, 0, true}, {1, 0.5, 0.5, 0, true}, {1, 0.5, 0.5, 0, true}},
		},
		{
			name: "a certification lapses after its validity",
			people: []ProjectedPerson{withEnrolment(needsFirewall("A", true),
				"firewall", 3, date(2026, 2, 10), 1, 2)},
			want: []month{{1, 0, 1, 0, true}, {1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}},
		},
		{
			name: "a leaver stops counting in the month they leave",
			people: []ProjectedPerson{
				func() ProjectedPerson {
					p := withEvidence(needsFirewall("A", true), "firewall", 3, nil)
					p.EndDate = date(2026, 3, 15)
					return p
				}(),
				withEvidence(needsFirewall("B", true), "firewall", 4, nil),
			},
			want: []month{{2, 2, 0, 0, false}, {2, 2, 0, 0, false}, {1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {1, 1, 0, 0, false}},
		},
		{
			name: "a new post is filled untrained in its start month",
			people: []ProjectedPerson{
				withEvidence(needsFirewall("A", true), "firewall", 3, nil),
				func() ProjectedPerson { p := needsFirewall("post-1", true); p.StartDate = date(2026, 3, 1); return p }(),
			},
			want: []month{{1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {2, 1, 1, 0, true}, {2, 1, 1, 0, true}, {2, 1, 1, 0, true}},
		},
		{
			name:   "a desirable shortfall alone is no gap",
			people: []ProjectedPerson{needsFirewall("A", false)},
			want:   []month{{1, 0, 0, 0, false}, {1, 0, 0, 0, false}, {1, 0, 0, 0, false}, {1, 0, 0, 0, false}, {1, 0, 0, 0, false}},
		},
		{
			name:   "external coverage hides the gap until its contract ends",
			people: []ProjectedPerson{needsFirewall("A", true)},
			cover:  &ExternalCoverage{Provider: "SOC", ContractEnd: date(2026, 3, 1)},
			want:   []month{{1, 0, 1, 0, false}, {1, 0, 1, 0, false}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}, {1, 0, 1, 0, true}},
		},
		{
			name: "target holders: 1.5 expected rounds to 2 and meets a headcount of 2",
			people: []ProjectedPerson{
				withEvidence(ProjectedPerson{ID: "A"}, "firewall", 4, nil),
				withEnrolment(ProjectedPerson{ID: "B"}, "firewall", 3, date(2026, 2, 10), 0.5, 0),
			},
			target: &Target{MinLevel: 3, MinHeadcount: 2},
			want:   []month{{0, 0, 0, 1, true}, {0, 0, 0, 1.5, false}, {0, 0, 0, 1.5, false}, {0, 0, 0, 1.5, false}, {0, 0, 0, 1.5, false}},
		},
		{
			name: "target holders: 1.4 expected rounds to 1, short of 2",
			people: []ProjectedPerson{
				withEvidence(ProjectedPerson{ID: "A"}, "firewall", 4, nil),
				withEnrolment(ProjectedPerson{ID: "B"}, "firewall", 3, date(2026, 2, 10), 0.4, 0),
			},
			target: &Target{MinLevel: 3, MinHeadcount: 2},
			want:   []month{{0, 0, 0, 1, true}, {0, 0, 0, 1.4, true}, {0, 0, 0, 1.4, true}, {0, 0, 0, 1.4, true}, {0, 0, 0, 1.4, true}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := ProjectionInput{Start: projStart, Months: 4, People: tc.people}
			if tc.target != nil {
				in.Targets = map[string]Target{"firewall": *tc.target}
			}
			if tc.cover != nil {
				in.Coverage = map[string][]ExternalCoverage{"firewall": {*tc.cover}}
			}
			if got := series(Project(in), "firewall"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestProjectRowsByMonthThenSkill(t *testing.T) {
	in := ProjectionInput{
		Start:   projStart,
		Months:  2,
		People:  []ProjectedPerson{{ID: "A", Requirements: map[string]ProjReq{"zeta": {1, true}, "alpha": {2, false}}}},
		Targets: map[string]Target{"mid": {MinLevel: 2, MinHeadcount: 1}},
	}
	rows := Project(in)
	var got []string
	for _, r := range rows {
		got = append(got, r.Month.Format("2006-01")+" "+r.At.Format(time.RFC3339Nano)+" "+r.Skill)
	}
	want := []string{
		"2026-01 2026-01-10T12:00:00Z alpha", "2026-01 2026-01-10T12:00:00Z mid", "2026-01 2026-01-10T12:00:00Z zeta",
		"2026-02 2026-02-28T23:59:59.999999999Z alpha", "2026-02 2026-02-28T23:59:59.999999999Z mid", "2026-02 2026-02-28T23:59:59.999999999Z zeta",
		"2026-03 2026-03-31T23:59:59.999999999Z alpha", "2026-03 2026-03-31T23:59:59.999999999Z mid", "2026-03 2026-03-31T23:59:59.999999999Z zeta",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n%v\nwant\n%v", got, want)
	}
	if r := rows[1]; r.Target == nil || r.Target.MinLevel != 2 || !r.Gap || r.Demand != 0 {
		t.Errorf("target-only skill: %+v", r)
	}
	if rows[0].Target != nil || rows[0].Shortfall != 1 || rows[0].EssentialDemand != 0 {
		t.Errorf("alpha: %+v", rows[0])
	}
	if len(Project(ProjectionInput{Start: projStart, Months: -3, People: in.People})) != 2 {
		t.Errorf("a negative horizon still gives the position now")
	}
}

func TestWholePersons(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want int
	}{{0, 0}, {0.49, 0}, {0.5, 1}, {1.4999, 1}, {2.5, 3}, {0.1 + 0.2 + 0.2, 1}, {2.4999999999, 3}} {
		if got := wholePersons(tc.x); got != tc.want {
			t.Errorf("wholePersons(%v) = %d, want %d", tc.x, got, tc.want)
		}
	}
}

// An organisation's projection gains, per month and skill, the organisations below it
// with a gap then, and has a gap where it or any below has one.
func TestRollUpProjection(t *testing.T) {
	t.Parallel()
	jan, feb := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	row := func(m time.Time, skill string, gap bool) ProjectedSkillMonth {
		return ProjectedSkillMonth{Month: m, Skill: skill, Gap: gap}
	}
	rows := []ProjectedSkillMonth{row(jan, "fw", false), row(jan, "bk", true), row(feb, "fw", false), row(feb, "bk", false)}
	RollUpProjection(rows, [][]ProjectedSkillMonth{
		{row(jan, "fw", true), row(jan, "bk", true), row(feb, "fw", false), row(feb, "bk", false)},
		{row(jan, "fw", true), row(jan, "bk", false), row(feb, "fw", false), row(feb, "bk", false)},
	})
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s below=%d gap=%v", r.Month.Format("2006-01"), r.Skill, *r.OrganisationsWithGap, r.Gap))
	}
	want := []string{"2027-01 fw below=2 gap=true", "2027-01 bk below=1 gap=true", "2027-02 fw below=0 gap=false", "2027-02 bk below=0 gap=false"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("rolled up:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
