package repository_test

import (
	"fmt"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// The gap rule exists twice: models.EvaluateSkill for one organisation's report, and the
// SQL function skill_gap for roll-ups and statistics over many. Both must say the same
// over every kind of case: met and unmet essential requirements, targets met and unmet at
// each level, no target, and external cover running, ended or absent.
func TestSkillGapAgreesWithEvaluateSkill(t *testing.T) {
	db, ctx := testDB(t)
	day := clocktest.Now()
	yesterday, nextYear := day.AddDate(0, 0, -1), day.AddDate(1, 0, 0)
	covers := map[string]*models.ExternalCoverage{
		"none": nil, "running": {Provider: "SOC"}, "until next year": {Provider: "SOC", ContractEnd: &nextYear},
		"ended": {Provider: "SOC", ContractEnd: &yesterday},
	}
	cases := 0
	for _, demand := range [][2]int{{0, 0}, {2, 2}, {3, 1}} { // essential demand, supply
		for _, held := range [][4]int{{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 0, 2}, {3, 2, 1, 1}} {
			for _, target := range []*models.Target{nil, {MinLevel: 1, MinHeadcount: 1}, {MinLevel: 2, MinHeadcount: 2},
				{MinLevel: 3, MinHeadcount: 1}, {MinLevel: 4, MinHeadcount: 3}, {MinLevel: 2, MinHeadcount: 0}} {
				for name, cover := range covers {
					c := models.SkillCounts{Demand: demand[0], Supply: demand[1], DemandEssential: demand[0], SupplyEssential: demand[1],
						Held: [models.MaxLevel + 1]int{0, held[0], held[1], held[2], held[3]}}
					want := models.EvaluateSkill(c, target, cover, day).Gap
					var minLevel, minHeadcount *int
					if target != nil {
						minLevel, minHeadcount = &target.MinLevel, &target.MinHeadcount
					}
					// The cover is judged as the reports judge it in SQL: a provider whose
					// contract has not ended on the day.
					var provider *string
					var contractEnd *models.Date
					if cover != nil {
						provider, contractEnd = &cover.Provider, models.DatePtr(cover.ContractEnd)
					}
					var got bool
					if err := db.GetContext(ctx, &got, `SELECT skill_gap($1, $2, $3, $4, $5, $6, $7, $8,
						$9::text IS NOT NULL AND ($10::date IS NULL OR $11::date < $10::date))`,
						c.DemandEssential, c.SupplyEssential, held[0], held[1], held[2], held[3], minLevel, minHeadcount,
						provider, contractEnd, models.TodayAt(day)); err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("essential %d/%d, held %v, target %s, cover %s: SQL gap %v, models %v",
							demand[1], demand[0], held, describeTarget(target), name, got, want)
					}
					cases++
				}
			}
		}
	}
	if cases != 360 {
		t.Fatalf("%d cases, want 360", cases)
	}
}

func describeTarget(t *models.Target) string {
	if t == nil {
		return "none"
	}
	return fmt.Sprintf("%d at level %d", t.MinHeadcount, t.MinLevel)
}
