package plan

import (
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"
)

// bruteKey mirrors objectives (1)-(3) of Train, computed from scratch.
type bruteKey struct {
	closed int
	metric float64
	count  int
	depth  int
}

func (a bruteKey) better(b bruteKey) int {
	switch {
	case a.closed != b.closed:
		return map[bool]int{true: -1, false: 1}[a.closed > b.closed]
	case a.metric != b.metric:
		return map[bool]int{true: -1, false: 1}[a.metric < b.metric]
	case a.count != b.count:
		return map[bool]int{true: -1, false: 1}[a.count < b.count]
	case a.depth != b.depth:
		return map[bool]int{true: -1, false: 1}[a.depth < b.depth]
	}
	return 0
}

type brutePair struct{ person, course int }

// bruteForcePlan tries every subset of the (person, course) pairs that raise some level
// and returns the best feasible plan by the documented objective, written independently of
// the planner: levels after a plan are plain maxima, every unit recounted from scratch.
func bruteForcePlan(in Input) ([][2]string, bruteKey, Metric) {
	people := append([]Person(nil), in.People...)
	sort.Slice(people, func(i, j int) bool { return people[i].ID < people[j].ID })
	courses := append([]Course(nil), in.Courses...)
	sort.Slice(courses, func(i, j int) bool { return courses[i].Code < courses[j].Code })
	base := make([]map[string]int, len(people))
	need := make([]map[string]int, len(people))
	for p, person := range people {
		base[p] = map[string]int{}
		for s, l := range person.Levels {
			base[p][s] = l
		}
		for _, c := range courses {
			if person.Busy[c.Code] {
				for s, l := range c.Confers {
					base[p][s] = max(base[p][s], l)
				}
			}
		}
		need[p] = map[string]int{}
		for _, n := range person.Needs {
			if n.Level > base[p][n.Skill] {
				need[p][n.Skill] = max(need[p][n.Skill], n.Level)
			}
		}
	}
	deficit := make([]int, len(in.Targets))
	for t, tg := range in.Targets {
		deficit[t] = tg.MinHeadcount
		for p := range people {
			if base[p][tg.Skill] >= tg.MinLevel {
				deficit[t]--
			}
		}
	}
	useful := func(p int, c Course) bool {
		for s, l := range need[p] {
			if c.Confers[s] >= l {
				return true
			}
		}
		for t, tg := range in.Targets {
			if deficit[t] > 0 && base[p][tg.Skill] < tg.MinLevel && c.Confers[tg.Skill] >= tg.MinLevel {
				return true
			}
		}
		return false
	}
	var pairs []brutePair
	allCost, allHours := true, true
	for p, person := range people {
		for c, course := range courses {
			if person.Busy[course.Code] {
				continue
			}
			if useful(p, course) {
				allCost = allCost && course.Cost != nil
				allHours = allHours && course.Hours != nil
			}
			for s, l := range course.Confers {
				if l > base[p][s] {
					pairs = append(pairs, brutePair{p, c})
					break
				}
			}
		}
	}
	metric := MetricEnrolments
	if allCost {
		metric = MetricCost
	} else if allHours {
		metric = MetricHours
	}
	value := func(c Course) float64 { // a course closing nothing may lack the figure: count it free
		switch {
		case metric == MetricCost && c.Cost != nil:
			return *c.Cost
		case metric == MetricHours && c.Hours != nil:
			return *c.Hours
		case metric == MetricEnrolments:
			return 1
		}
		return 0
	}
	var bestSet uint64
	var best bruteKey
	found := false
	for set := uint64(0); set < 1<<len(pairs); set++ {
		after := make([]map[string]int, len(people))
		for p := range people {
			after[p] = map[string]int{}
			for s, l := range base[p] {
				after[p][s] = l
			}
		}
		var k bruteKey
		for i, pr := range pairs {
			if set&(1<<i) != 0 {
				k.metric += value(courses[pr.course])
				k.count++
				for s, l := range courses[pr.course].Confers {
					after[pr.person][s] = max(after[pr.person][s], l)
				}
			}
		}
		if in.Budget != nil && k.metric > *in.Budget {
			continue
		}
		for p := range people {
			for s, l := range need[p] {
				if after[p][s] >= l {
					k.closed++
					k.depth += l - base[p][s]
				}
			}
		}
		for t, tg := range in.Targets {
			gained := 0
			for p := range people {
				if deficit[t] > 0 && base[p][tg.Skill] < tg.MinLevel && after[p][tg.Skill] >= tg.MinLevel {
					gained++
					k.depth += tg.MinLevel - base[p][tg.Skill]
				}
			}
			k.closed += min(max(deficit[t], 0), gained)
		}
		c := k.better(best)
		if x := set ^ bestSet; !found || c < 0 || c == 0 && set&(x&-x) != 0 {
			best, bestSet, found = k, set, true
		}
	}
	var plan [][2]string
	for i, pr := range pairs {
		if bestSet&(1<<i) != 0 {
			plan = append(plan, [2]string{people[pr.person].ID, courses[pr.course].Code})
		}
	}
	return plan, best, metric
}

func randomPlanInput(r *rand.Rand) Input {
	skills := []string{"a", "b", "c"}[:1+r.Intn(3)]
	var in Input
	for c := range 1 + r.Intn(4) {
		course := Course{Code: fmt.Sprintf("C%d", c), Confers: map[string]int{}}
		for _, s := range skills {
			if r.Intn(2) == 0 {
				course.Confers[s] = 1 + r.Intn(4)
			}
		}
		if r.Intn(8) > 0 {
			v := float64(r.Intn(6))
			course.Cost = &v
		}
		if r.Intn(6) > 0 {
			v := float64(1 + r.Intn(8))
			course.Hours = &v
		}
		in.Courses = append(in.Courses, course)
	}
	for p := range 1 + r.Intn(4) {
		person := Person{ID: fmt.Sprintf("p%d", p), Levels: map[string]int{}, Busy: map[string]bool{}}
		for _, s := range skills {
			cur := r.Intn(4)
			person.Levels[s] = cur
			if r.Intn(2) == 0 {
				person.Needs = append(person.Needs, Need{s, cur + 1 + r.Intn(4-cur)})
			}
		}
		for _, c := range in.Courses {
			if r.Intn(7) == 0 {
				person.Busy[c.Code] = true
			}
		}
		in.People = append(in.People, person)
	}
	for range r.Intn(3) {
		in.Targets = append(in.Targets, Target{skills[r.Intn(len(skills))], 1 + r.Intn(4), 1 + r.Intn(4)})
	}
	if r.Intn(2) == 0 {
		b := float64(r.Intn(12))
		in.Budget = &b
	}
	r.Shuffle(len(in.Courses), func(i, j int) { in.Courses[i], in.Courses[j] = in.Courses[j], in.Courses[i] })
	r.Shuffle(len(in.People), func(i, j int) { in.People[i], in.People[j] = in.People[j], in.People[i] })
	return in
}

// metricTotal recomputes a result's metric total from its enrolments.
func metricTotal(in Input, res Result) float64 {
	byCode := map[string]Course{}
	for _, c := range in.Courses {
		byCode[c.Code] = c
	}
	total := 0.0
	for _, e := range res.Enrolments {
		switch res.Metric {
		case MetricCost:
			total += *byCode[e.Course].Cost
		case MetricHours:
			total += *byCode[e.Course].Hours
		default:
			total++
		}
	}
	return total
}

func TestPlanTrainingMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewSource(20260301))
	for i := range 800 {
		in := randomPlanInput(r)
		res := Train(in)
		want, key, metric := bruteForcePlan(in)
		var got [][2]string
		for _, e := range res.Enrolments {
			got = append(got, [2]string{e.Person, e.Course})
		}
		total := metricTotal(in, res)
		if !res.Optimal || res.Metric != metric || res.Closed != key.closed || total != key.metric || !reflect.DeepEqual(got, want) {
			t.Fatalf("instance %d: %+v\ngot  %v closed %d %s %v optimal %v\nwant %v closed %d %s %v",
				i, in, got, res.Closed, res.Metric, total, res.Optimal, want, key.closed, metric, key.metric)
		}
		if in.Budget != nil && total > *in.Budget {
			t.Fatalf("instance %d: total %v over budget %v", i, total, *in.Budget)
		}
	}
}

func TestPlanTrainingFallbackIsFeasible(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := range 300 {
		in := randomPlanInput(r)
		in.SearchLimit = 1
		res := Train(in)
		_, key, _ := bruteForcePlan(in)
		total := metricTotal(in, res)
		if in.Budget != nil && total > *in.Budget {
			t.Fatalf("instance %d: total %v over budget %v", i, total, *in.Budget)
		}
		if res.Closed > key.closed || in.Budget == nil && res.Closed != key.closed {
			t.Fatalf("instance %d: heuristic closed %d, optimum %d", i, res.Closed, key.closed)
		}
	}
}

// The search alone, from an empty incumbent, must reach the same optimum: the greedy
// start only speeds it up. Budget tables of every size are tried: none (the knapsack
// bound), some targets tracked, all of them.
func TestPlanSearchFromEmptyIncumbent(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	for i := range 600 {
		in := randomPlanInput(r)
		pp := newPlanProblem(in)
		pp.tableCells = []int{0, 30, 100, 400, atLeastCells}[i%5]
		s := pp.newSearch()
		if s == nil {
			t.Fatalf("instance %d: no exact search", i)
		}
		plan, optimal := s.run(nil, DefaultSearchLimit)
		res := pp.result(plan, optimal)
		want, key, _ := bruteForcePlan(in)
		var got [][2]string
		for _, e := range res.Enrolments {
			got = append(got, [2]string{e.Person, e.Course})
		}
		if !optimal || res.Closed != key.closed || !reflect.DeepEqual(got, want) {
			t.Fatalf("instance %d: %+v\ngot %v closed %d, want %v closed %d", i, in, got, res.Closed, want, key.closed)
		}
	}
}

// The local search scores moves incrementally; the score must match a fresh evaluation.
func TestPlanStateTracksEvaluate(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	for i := range 300 {
		pp := newPlanProblem(randomPlanInput(r))
		if len(pp.cands) == 0 {
			continue
		}
		st := pp.newPlanState(nil)
		for range 20 {
			ci := r.Intn(len(pp.cands))
			if st.in[ci] {
				st.swap(ci, -1)
			} else {
				st.swap(-1, ci)
			}
			if want := pp.evaluate(st.plan()); st.key != want {
				t.Fatalf("instance %d: incremental %+v, evaluated %+v", i, st.key, want)
			}
		}
	}
}
