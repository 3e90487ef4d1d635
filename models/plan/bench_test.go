package plan

import (
	"fmt"
	"math/rand"
	"testing"
)

// realisticPlanInput builds an organisation of n staff: 20 skills, 30 courses conferring
// one to three skills at levels 2-4 with costs in steps of 50, each person one to three
// needs, and eight capability targets short of a few holders.
// maxLevel is the highest proficiency level (models.MaxLevel).
const maxLevel = 4

func realisticPlanInput(r *rand.Rand, n int, budget *float64) Input {
	in := Input{Budget: budget}
	skill := func(i int) string { return fmt.Sprintf("skill-%02d", i) }
	for c := range 30 {
		course := Course{Code: fmt.Sprintf("COURSE-%02d", c), Confers: map[string]int{}}
		for range 1 + r.Intn(3) {
			course.Confers[skill(r.Intn(20))] = 2 + r.Intn(3)
		}
		cost, hours := float64(100+50*r.Intn(30)), float64(7*(1+r.Intn(5)))
		course.Cost, course.Hours = &cost, &hours
		in.Courses = append(in.Courses, course)
	}
	for p := range n {
		person := Person{ID: fmt.Sprintf("E%05d", p), Levels: map[string]int{}, Busy: map[string]bool{}}
		for s := range 20 {
			person.Levels[skill(s)] = r.Intn(3)
		}
		for range 1 + r.Intn(3) {
			s := skill(r.Intn(20))
			if l := person.Levels[s] + 1 + r.Intn(2); l <= maxLevel {
				person.Needs = append(person.Needs, Need{s, l})
			}
		}
		if r.Intn(10) == 0 {
			person.Busy[fmt.Sprintf("COURSE-%02d", r.Intn(30))] = true
		}
		in.People = append(in.People, person)
	}
	for t := range 8 {
		in.Targets = append(in.Targets, Target{skill(t * 2), 4, n/40 + 2 + r.Intn(4)})
	}
	return in
}

func benchmarkPlan(b *testing.B, n int, budget *float64) {
	in := realisticPlanInput(rand.New(rand.NewSource(1)), n, budget)
	var res Result
	for b.Loop() {
		res = Train(in)
	}
	b.ReportMetric(float64(len(res.Enrolments)), "enrolments")
	b.ReportMetric(map[bool]float64{true: 1}[res.Optimal], "optimal")
}

func BenchmarkPlanTraining500(b *testing.B)  { benchmarkPlan(b, 500, nil) }
func BenchmarkPlanTraining2000(b *testing.B) { benchmarkPlan(b, 2000, nil) }
func BenchmarkPlanTraining500Budget(b *testing.B) {
	budget := 50_000.0
	benchmarkPlan(b, 500, &budget)
}

func BenchmarkPlanTraining2000Budget(b *testing.B) {
	budget := 200_000.0
	benchmarkPlan(b, 2000, &budget)
}

func BenchmarkPlanTraining50Budget(b *testing.B) {
	budget := 5_000.0
	benchmarkPlan(b, 50, &budget)
}
