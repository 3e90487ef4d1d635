package plan

import (
	"math/rand"
	"reflect"
	"testing"
)

func money(v float64) *float64 { return &v }

// course builds a course conferring skill:level pairs, e.g. course("FW3", 450, 14, "firewall", 3).
func course(code string, cost, hours float64, confers ...any) Course {
	c := Course{Code: code, Confers: map[string]int{}}
	if cost >= 0 {
		c.Cost = money(cost)
	}
	if hours >= 0 {
		c.Hours = money(hours)
	}
	for i := 0; i < len(confers); i += 2 {
		c.Confers[confers[i].(string)] = confers[i+1].(int)
	}
	return c
}

// person builds a member of staff with levels as skill:level pairs.
func person(id string, needs []Need, levels ...any) Person {
	p := Person{ID: id, Levels: map[string]int{}, Needs: needs, Busy: map[string]bool{}}
	for i := 0; i < len(levels); i += 2 {
		p.Levels[levels[i].(string)] = levels[i+1].(int)
	}
	return p
}

func enrolmentsOf(r Result) [][2]string {
	out := [][2]string{}
	for _, e := range r.Enrolments {
		out = append(out, [2]string{e.Person, e.Course})
	}
	return out
}

func TestPlanTraining(t *testing.T) {
	busyOn := func(p Person, code string) Person { p.Busy[code] = true; return p }
	cases := []struct {
		name          string
		in            Input
		want          [][2]string
		metric        Metric
		total         float64 // of the metric
		closed        int
		uncovNeeds    []UncoveredNeed
		uncovTargets  []UncoveredTarget
		optimalWanted bool
	}{
		{
			name: "single need: the course reaching the level, not the one short of it",
			in: Input{
				People:  []Person{person("E1", []Need{{"firewall", 3}}, "firewall", 1)},
				Courses: []Course{course("FW2", 50, 7, "firewall", 2), course("FW3", 450, 14, "firewall", 3)},
			},
			want: [][2]string{{"E1", "FW3"}}, metric: MetricCost, total: 450, closed: 1,
		},
		{
			name: "two cheaper courses beat one dear course covering both needs",
			in: Input{
				People: []Person{person("E1", []Need{{"a", 3}, {"b", 3}})},
				Courses: []Course{course("BOTH", 500, 10, "a", 3, "b", 3),
					course("A", 150, 10, "a", 3), course("B", 200, 10, "b", 4)},
			},
			want: [][2]string{{"E1", "A"}, {"E1", "B"}}, metric: MetricCost, total: 350, closed: 2,
		},
		{
			name: "one course covering both needs beats two dearer ones",
			in: Input{
				People: []Person{person("E1", []Need{{"a", 3}, {"b", 3}})},
				Courses: []Course{course("BOTH", 300, 10, "a", 3, "b", 3),
					course("A", 150, 10, "a", 3), course("B", 200, 10, "b", 4)},
			},
			want: [][2]string{{"E1", "BOTH"}}, metric: MetricCost, total: 300, closed: 2,
		},
		{
			name: "target met by a person already holding the level: nothing to do",
			in: Input{
				People:  []Person{person("E1", nil, "backup", 3), person("E2", nil)},
				Courses: []Course{course("BK3", 100, 7, "backup", 3)},
				Targets: []Target{{"backup", 3, 1}},
			},
			want: [][2]string{}, metric: MetricCost, closed: 0,
		},
		{
			name: "target met by a person already enrolled: counted, not proposed again",
			in: Input{
				People:  []Person{person("E1", nil), busyOn(person("E2", []Need{{"backup", 3}}), "BK3")},
				Courses: []Course{course("BK3", 100, 7, "backup", 3)},
				Targets: []Target{{"backup", 3, 2}},
			},
			want: [][2]string{{"E1", "BK3"}}, metric: MetricCost, total: 100, closed: 1,
		},
		{
			name: "target holders: the person closest to the level first, then the first id",
			in: Input{
				People: []Person{person("E1", nil), person("E2", nil, "ir", 2),
					person("E3", nil, "ir", 2), person("E4", nil, "ir", 1)},
				Courses: []Course{course("IR3", 200, 7, "ir", 3)},
				Targets: []Target{{"ir", 3, 3}},
			},
			want: [][2]string{{"E2", "IR3"}, {"E3", "IR3"}, {"E4", "IR3"}}, metric: MetricCost, total: 600, closed: 3,
		},
		{
			name: "a need's course that also makes a holder spares a separate enrolment",
			in: Input{
				People: []Person{person("E1", []Need{{"fw", 3}}), person("E2", nil, "ir", 2)},
				Courses: []Course{course("FW3", 300, 7, "fw", 3), course("FWIR", 350, 7, "fw", 3, "ir", 3),
					course("IR3", 100, 7, "ir", 3)},
				Targets: []Target{{"ir", 3, 1}},
			},
			// E1 on FWIR (350) closes both for less than FW3 + E2 on IR3 (400).
			want: [][2]string{{"E1", "FWIR"}}, metric: MetricCost, total: 350, closed: 2,
		},
		{
			name: "budget: two cheap needs closed rather than one dear one",
			in: Input{
				People: []Person{person("E1", []Need{{"a", 3}}), person("E2", []Need{{"b", 3}}),
					person("E3", []Need{{"c", 3}})},
				Courses: []Course{course("A", 300, 7, "a", 3), course("B", 150, 7, "b", 3), course("C", 150, 7, "c", 3)},
				Budget:  money(300),
			},
			want: [][2]string{{"E2", "B"}, {"E3", "C"}}, metric: MetricCost, total: 300, closed: 2,
			uncovNeeds: []UncoveredNeed{{"E1", "a", 3}},
		},
		{
			name: "budget too small for anything leaves everything uncovered",
			in: Input{
				People:  []Person{person("E1", []Need{{"a", 3}})},
				Courses: []Course{course("A", 300, 7, "a", 3)},
				Targets: []Target{{"a", 3, 2}},
				Budget:  money(299.99),
			},
			want: [][2]string{}, metric: MetricCost, closed: 0,
			uncovNeeds: []UncoveredNeed{{"E1", "a", 3}}, uncovTargets: []UncoveredTarget{{"a", 3, 2}},
		},
		{
			name: "hours are minimised when a candidate course has no cost",
			in: Input{
				People:  []Person{person("E1", []Need{{"a", 3}})},
				Courses: []Course{course("LONG", 10, 35, "a", 3), course("SHORT", -1, 7, "a", 4)},
			},
			want: [][2]string{{"E1", "SHORT"}}, metric: MetricHours, total: 7, closed: 1,
		},
		{
			name: "an irrelevant course without a cost does not switch the metric",
			in: Input{
				People:  []Person{person("E1", []Need{{"a", 3}})},
				Courses: []Course{course("CHEAP", 10, 35, "a", 3), course("DEAR", 90, 7, "a", 4), course("OTHER", -1, -1, "z", 4)},
			},
			want: [][2]string{{"E1", "CHEAP"}}, metric: MetricCost, total: 10, closed: 1,
		},
		{
			name: "fewest enrolments when neither cost nor hours are known; the budget counts them",
			in: Input{
				People: []Person{person("E1", []Need{{"a", 3}, {"b", 3}}), person("E2", []Need{{"a", 2}})},
				Courses: []Course{course("A", -1, -1, "a", 3), course("B", -1, 7, "b", 3),
					course("AB", -1, -1, "a", 3, "b", 3)},
				Budget: money(1),
			},
			want: [][2]string{{"E1", "AB"}}, metric: MetricEnrolments, total: 1, closed: 2,
			uncovNeeds: []UncoveredNeed{{"E2", "a", 2}},
		},
		{
			name: "a busy course is never proposed again and its levels count",
			in: Input{
				People:  []Person{busyOn(person("E1", []Need{{"a", 3}, {"b", 2}}), "AB")},
				Courses: []Course{course("AB", 10, 7, "a", 2, "b", 2), course("A", 500, 7, "a", 3)},
			},
			want: [][2]string{{"E1", "A"}}, metric: MetricCost, total: 500, closed: 1,
		},
		{
			name: "useless and free courses are not proposed; an unreachable need stays uncovered",
			in: Input{
				People:  []Person{person("E1", []Need{{"a", 3}, {"forensics", 4}})},
				Courses: []Course{course("FREE", 0, 1, "z", 4), course("A", 100, 7, "a", 3), course("F3", 0, 1, "forensics", 3)},
			},
			want: [][2]string{{"E1", "A"}}, metric: MetricCost, total: 100, closed: 1,
			uncovNeeds: []UncoveredNeed{{"E1", "forensics", 4}},
		},
		{
			name: "no people, no courses",
			in:   Input{Targets: []Target{{"a", 2, 1}}},
			want: [][2]string{}, metric: MetricCost,
			uncovTargets: []UncoveredTarget{{"a", 2, 1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Train(tc.in)
			if got := enrolmentsOf(r); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("enrolments %v, want %v", got, tc.want)
			}
			if r.Metric != tc.metric || metricTotal(tc.in, r) != tc.total || r.Closed != tc.closed || !r.Optimal {
				t.Errorf("metric %s total %v closed %d optimal %v, want %s %v %d true",
					r.Metric, metricTotal(tc.in, r), r.Closed, r.Optimal, tc.metric, tc.total, tc.closed)
			}
			if tc.uncovNeeds == nil {
				tc.uncovNeeds = []UncoveredNeed{}
			}
			if tc.uncovTargets == nil {
				tc.uncovTargets = []UncoveredTarget{}
			}
			if !reflect.DeepEqual(r.UncoveredNeeds, tc.uncovNeeds) || !reflect.DeepEqual(r.UncoveredTargets, tc.uncovTargets) {
				t.Errorf("uncovered %v %v, want %v %v", r.UncoveredNeeds, r.UncoveredTargets, tc.uncovNeeds, tc.uncovTargets)
			}
		})
	}
}

func TestPlanTrainingReportsWhatEachEnrolmentCloses(t *testing.T) {
	in := Input{
		People:  []Person{person("E1", []Need{{"fw", 3}}), person("E2", nil)},
		Courses: []Course{course("FWIR", 350, 14, "fw", 3, "ir", 3)},
		Targets: []Target{{"ir", 3, 2}},
	}
	r := Train(in)
	want := []Enrolment{
		{Person: "E1", Course: "FWIR", Cost: money(350), Hours: money(14), Closes: []string{"need:fw", "target:ir"}},
		{Person: "E2", Course: "FWIR", Cost: money(350), Hours: money(14), Closes: []string{"target:ir"}},
	}
	if !reflect.DeepEqual(r.Enrolments, want) {
		t.Fatalf("enrolments %+v", r.Enrolments)
	}
	if r.TotalCost == nil || *r.TotalCost != 700 || r.TotalHours == nil || *r.TotalHours != 28 {
		t.Errorf("totals %v %v", r.TotalCost, r.TotalHours)
	}
	in.Courses[0].Hours = nil
	if r := Train(in); r.TotalHours != nil || r.Enrolments[0].Hours != nil {
		t.Errorf("unknown hours: total %v", r.TotalHours)
	}
}

func TestPlanTrainingIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	in := realisticPlanInput(r, 60, nil)
	want := Train(in)
	for range 5 {
		shuffled := in
		shuffled.People = append([]Person(nil), in.People...)
		shuffled.Courses = append([]Course(nil), in.Courses...)
		shuffled.Targets = append([]Target(nil), in.Targets...)
		r.Shuffle(len(shuffled.People), func(i, j int) {
			shuffled.People[i], shuffled.People[j] = shuffled.People[j], shuffled.People[i]
		})
		r.Shuffle(len(shuffled.Courses), func(i, j int) {
			shuffled.Courses[i], shuffled.Courses[j] = shuffled.Courses[j], shuffled.Courses[i]
		})
		r.Shuffle(len(shuffled.Targets), func(i, j int) {
			shuffled.Targets[i], shuffled.Targets[j] = shuffled.Targets[j], shuffled.Targets[i]
		})
		if got := Train(shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("a shuffled input gave another plan")
		}
	}
	if !want.Optimal || len(want.Enrolments) == 0 {
		t.Errorf("optimal %v, %d enrolments", want.Optimal, len(want.Enrolments))
	}
}

func TestPlanTrainingFallsBackAtTheSearchLimit(t *testing.T) {
	in := realisticPlanInput(rand.New(rand.NewSource(1)), 50, money(5000))
	exact := Train(in)
	in.SearchLimit = 1
	r := Train(in)
	if r.Optimal || !exact.Optimal {
		t.Fatalf("optimal %v with one node, %v without a limit", r.Optimal, exact.Optimal)
	}
	if total := *r.TotalCost; total > 5000 || r.Closed > exact.Closed {
		t.Errorf("fallback: total %v closed %d, exact closed %d", total, r.Closed, exact.Closed)
	}
	if r.Closed < exact.Closed*9/10 {
		t.Errorf("fallback closed %d, far below the optimum %d", r.Closed, exact.Closed)
	}
}

func TestPlanTrainingFallsBackWhenAPersonHasTooManyOptions(t *testing.T) {
	var needs []Need
	var courses []Course
	for i := range 12 { // 12 needs, each its own course: 4096 sets of needs closed
		skill := string(rune('a' + i))
		needs = append(needs, Need{skill, 2})
		courses = append(courses, course("C-"+skill, 10, 1, skill, 2))
	}
	r := Train(Input{People: []Person{person("E1", needs)}, Courses: courses})
	if r.Optimal || r.Closed != 12 || len(r.Enrolments) != 12 || *r.TotalCost != 120 {
		t.Errorf("optimal %v closed %d enrolments %d cost %v", r.Optimal, r.Closed, len(r.Enrolments), *r.TotalCost)
	}
}

func TestPlanMetricValid(t *testing.T) {
	for m, want := range map[Metric]bool{MetricCost: true, MetricHours: true, MetricEnrolments: true, "money": false} {
		if m.Valid() != want {
			t.Errorf("%q.Valid() = %v", m, !want)
		}
	}
}

func TestPlanCostShare(t *testing.T) {
	for _, tc := range []struct {
		cost price
		k    int
		want price
	}{
		{price{300, 3, 6}, 3, price{100, 1, 2}},
		{price{301, 3, 6}, 3, price{100, 0, 0}}, // the metric falls short: the rest is free
		{price{300, -1, 5}, 2, price{150, -1, 0}},
	} {
		if got := tc.cost.share(tc.k); got != tc.want || got.times(tc.k).cmp(tc.cost) > 0 {
			t.Errorf("%+v.share(%d) = %+v, want %+v", tc.cost, tc.k, got, tc.want)
		}
	}
}

func TestPlanSmallestBoundsPastItsCap(t *testing.T) {
	vals := []*price{{5, 0, 0}, nil, {1, 0, 0}, {3, 0, 0}, {2, 0, 0}}
	ps := newPlanSmallest(vals, 2)
	for _, tc := range []struct {
		pos, r int
		want   int64
		ok     bool
	}{
		{0, 1, 1, true}, {0, 2, 3, true}, {0, 3, 5, true}, // past the cap: 1+2, then 2 again (true sum 6)
		{2, 3, 5, true}, {3, 2, 5, true}, {3, 3, 0, false}, {1, 0, 0, true}, // (true sum from 2: 6)
	} {
		got, ok := ps.sum(tc.pos, tc.r)
		if got.metric != tc.want || ok != tc.ok {
			t.Errorf("sum(%d, %d) = %d %v, want %d %v", tc.pos, tc.r, got.metric, ok, tc.want, tc.ok)
		}
	}
}
