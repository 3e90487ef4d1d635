package models

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// rollUpWorld is a random tree of organisations below "R" with people, targets and
// coverage: what ProjectRollUp is checked on against projecting each unit on its own.
func rollUpWorld(rng *rand.Rand) (ProjectionInput, []ProjectionUnit) {
	skills := []string{"bk", "fw", "ir", "mon"}
	orgs := []string{"R"}
	var units []ProjectionUnit
	for i := 0; i < 12; i++ {
		code := fmt.Sprintf("U%d", i)
		u := ProjectionUnit{Organisation: code, Parent: orgs[rng.IntN(len(orgs))], Targets: map[string]Target{},
			Coverage: map[string][]ExternalCoverage{}}
		if rng.IntN(2) == 0 {
			u.Targets[skills[rng.IntN(len(skills))]] = Target{MinLevel: 1 + rng.IntN(4), MinHeadcount: 1 + rng.IntN(3)}
		}
		if rng.IntN(4) == 0 {
			u.Coverage[skills[rng.IntN(len(skills))]] = []ExternalCoverage{{Provider: "SOC", ContractEnd: date(2026, 3, 1)}}
		}
		orgs = append(orgs, code)
		units = append(units, u)
	}
	in := ProjectionInput{Start: projStart, Months: 4, Targets: map[string]Target{"fw": {MinLevel: 3, MinHeadcount: 4}},
		Coverage: map[string][]ExternalCoverage{}}
	for i := 0; i < 60; i++ {
		p := ProjectedPerson{ID: fmt.Sprint(i), Organisation: orgs[rng.IntN(len(orgs))], Requirements: map[string]ProjReq{}}
		p.Requirements[skills[rng.IntN(len(skills))]] = ProjReq{Level: 1 + rng.IntN(4), Essential: rng.IntN(2) == 0}
		if rng.IntN(5) == 0 {
			p.EndDate = date(2026, time.Month(2+rng.IntN(4)), 15)
		}
		if rng.IntN(6) == 0 {
			p.StartDate = date(2026, time.Month(2+rng.IntN(4)), 1)
		}
		for j := rng.IntN(3); j > 0; j-- {
			var expires *time.Time
			if rng.IntN(2) == 0 {
				expires = date(2026, time.Month(1+rng.IntN(6)), 20)
			}
			p = withEvidence(p, skills[rng.IntN(len(skills))], 1+rng.IntN(4), expires)
		}
		if rng.IntN(3) == 0 {
			p = withEnrolment(p, skills[rng.IntN(len(skills))], 1+rng.IntN(4), date(2026, time.Month(1+rng.IntN(5)), 25), 0.5, rng.IntN(3))
		}
		in.People = append(in.People, p)
	}
	return in, units
}

// within is the part of the input in a unit's subtree, judged by the unit's targets and
// coverage: the roll-up's definition, projected on its own.
func within(in ProjectionInput, units []ProjectionUnit, u ProjectionUnit) ProjectionInput {
	parent := map[string]string{}
	for _, x := range units {
		parent[x.Organisation] = x.Parent
	}
	below := func(org string) bool {
		for ; org != ""; org = parent[org] {
			if org == u.Organisation {
				return true
			}
		}
		return false
	}
	sub := in
	sub.People, sub.Targets, sub.Coverage = nil, u.Targets, u.Coverage
	for _, p := range in.People {
		if below(p.Organisation) {
			sub.People = append(sub.People, p)
		}
	}
	return sub
}

// A roll-up's rows are the organisation's own projection, and each row counts the units
// whose own projection has a gap then: projecting every person once into their
// organisation's figures and summing subtrees gives what projecting each unit apart does.
func TestProjectRollUpEqualsTheSumOfItsParts(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		in, units := rollUpWorld(rng)
		got := ProjectRollUp(in, "R", units)
		own := Project(in)
		if len(got) != len(own) {
			t.Fatalf("seed %d: %d rows, want %d", seed, len(got), len(own))
		}
		type cell struct {
			month time.Time
			skill string
		}
		gaps := map[cell]int{}
		for _, u := range units {
			for _, r := range Project(within(in, units, u)) {
				if r.Gap {
					gaps[cell{r.Month, r.Skill}]++
				}
			}
		}
		for i, r := range got {
			want := own[i]
			n := gaps[cell{want.Month, want.Skill}]
			want.Gap = want.Gap || n > 0
			want.OrganisationsWithGap = &n
			if !reflect.DeepEqual(r, want) {
				t.Fatalf("seed %d, row %d:\n got %+v (%d below with a gap)\nwant %+v (%d)", seed, i, r, *r.OrganisationsWithGap, want, n)
			}
		}
	}
}

// The organisation's figures are the sums of its parts: its own people's and each
// child's subtree's.
func TestProjectSumsTheSubtrees(t *testing.T) {
	t.Parallel()
	in, units := rollUpWorld(rand.New(rand.NewPCG(3, 3)))
	var children []ProjectionUnit
	for _, u := range units {
		if u.Parent == "R" {
			children = append(children, u)
		}
	}
	ownPeople := in
	ownPeople.People = nil
	for _, p := range in.People {
		if p.Organisation == "R" {
			ownPeople.People = append(ownPeople.People, p)
		}
	}
	sum := map[string]float64{}
	key := func(r ProjectedSkillMonth) string { return r.Month.Format("2006-01") + " " + r.Skill }
	for _, part := range append([]ProjectionInput{ownPeople}, func() (out []ProjectionInput) {
		for _, c := range children {
			out = append(out, within(in, units, c))
		}
		return out
	}()...) {
		for _, r := range Project(part) {
			sum[key(r)+" demand"] += r.Demand
			sum[key(r)+" supply"] += r.Supply
		}
	}
	for _, r := range Project(in) {
		if d, s := sum[key(r)+" demand"], sum[key(r)+" supply"]; round6(d) != r.Demand || round6(s) != r.Supply {
			t.Errorf("%s: demand %v supply %v, parts sum to %v and %v", key(r), r.Demand, r.Supply, d, s)
		}
	}
}
