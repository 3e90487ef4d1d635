package models

import (
	"math"
	"testing"
)

func TestDepth(t *testing.T) {
	for _, tc := range []struct{ required, held, want int }{
		{3, 0, 3}, {3, 1, 2}, {3, 3, 0}, {3, 4, 0}, {0, 0, 0},
	} {
		if got := Depth(tc.required, tc.held); got != tc.want {
			t.Errorf("Depth(%d, %d) = %d, want %d", tc.required, tc.held, got, tc.want)
		}
	}
}

func TestEvaluateSkill(t *testing.T) {
	today := day(100)
	// Ten staff need the skill at level 3 (eight essential, two desirable); seven meet it.
	// Held levels among all active staff: 2 at level 2, 3 at level 3, 4 at level 4.
	counts := SkillCounts{
		Demand: 10, Supply: 7, DemandEssential: 8, SupplyEssential: 6,
		RequiredEssential: 24, RequiredDesirable: 6, DepthEssential: 3, DepthDesirable: 1,
		Held: [MaxLevel + 1]int{0, 0, 2, 3, 4},
	}
	cases := []struct {
		name          string
		counts        SkillCounts
		target        *Target
		cover         *ExternalCoverage
		wantGap       bool
		wantTargetMet bool
		wantHolders   int
	}{
		{name: "essential shortfall is a gap", counts: counts, wantGap: true, wantTargetMet: true},
		{name: "target met by holders at or above its level", counts: counts,
			target: &Target{MinLevel: 3, MinHeadcount: 7}, wantGap: true, wantTargetMet: true, wantHolders: 7},
		{name: "covered externally: reported, not a gap", counts: counts,
			cover: &ExternalCoverage{Provider: "SOC", ContractEnd: dayPtr(200)}, wantGap: false, wantTargetMet: true},
		{name: "contract ended: a gap again", counts: counts,
			cover: &ExternalCoverage{Provider: "SOC", ContractEnd: dayPtr(100)}, wantGap: true, wantTargetMet: true},
		{name: "only desirable shortfall and target met: no gap",
			counts: SkillCounts{Demand: 2, Supply: 1, RequiredDesirable: 4, DepthDesirable: 2, Held: [MaxLevel + 1]int{0, 0, 1, 0, 2}},
			target: &Target{MinLevel: 4, MinHeadcount: 2}, wantGap: false, wantTargetMet: true, wantHolders: 2},
		{name: "unmet target without any demand is a gap",
			counts: SkillCounts{Held: [MaxLevel + 1]int{0, 0, 0, 1, 0}},
			target: &Target{MinLevel: 3, MinHeadcount: 2}, wantGap: true, wantTargetMet: false, wantHolders: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := EvaluateSkill(tc.counts, tc.target, tc.cover, today)
			if g.Gap != tc.wantGap || g.TargetMet != tc.wantTargetMet || g.TargetHolders != tc.wantHolders {
				t.Errorf("gap %v target_met %v holders %d, want %v %v %d", g.Gap, g.TargetMet, g.TargetHolders, tc.wantGap, tc.wantTargetMet, tc.wantHolders)
			}
			if g.CoveredExternally != (tc.cover != nil && tc.cover.ActiveOn(today)) {
				t.Errorf("covered_externally %v", g.CoveredExternally)
			}
		})
	}
	g := EvaluateSkill(counts, nil, nil, today)
	if g.Shortfall != 3 || g.EssentialShortfall != 2 || g.Coverage == nil || *g.Coverage != 0.7 {
		t.Errorf("shortfall %d essential %d coverage %v", g.Shortfall, g.EssentialShortfall, g.Coverage)
	}
	// risk = (3*3 + 1) / (3*24 + 6) = 10/78
	if math.Abs(g.Risk-10.0/78) > 1e-12 {
		t.Errorf("risk %v, want %v", g.Risk, 10.0/78)
	}
	if none := EvaluateSkill(SkillCounts{}, nil, nil, today); none.Coverage != nil || none.Risk != 0 || none.Gap {
		t.Errorf("empty counts: %+v", none)
	}
}

func TestSkillCountsAddAndHolders(t *testing.T) {
	a := SkillCounts{Demand: 1, Supply: 1, Held: [MaxLevel + 1]int{0, 1, 0, 2, 0}}
	b := SkillCounts{Demand: 2, DepthEssential: 3, Held: [MaxLevel + 1]int{0, 0, 1, 0, 1}}
	s := a.Add(b)
	if s.Demand != 3 || s.Supply != 1 || s.DepthEssential != 3 || s.Held != [MaxLevel + 1]int{0, 1, 1, 2, 1} {
		t.Fatalf("sum %+v", s)
	}
	for level, want := range map[int]int{0: 5, 1: 5, 2: 4, 3: 3, 4: 1} {
		if got := s.HoldersAtLeast(level); got != want {
			t.Errorf("HoldersAtLeast(%d) = %d, want %d", level, got, want)
		}
	}
}
