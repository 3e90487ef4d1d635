package service

import (
	"testing"

	"cyberskills/models"
)

// TestReleaseReusedWhileThePopulationIsUnchanged: a recomputation that finds the data as
// it was reuses the release; any change to the data publishes a new one.
func TestReleaseReusedWhileThePopulationIsUnchanged(t *testing.T) {
	t.Parallel()
	pop := func(demand int) models.StatPopulation {
		p := models.StatPopulation{Skills: []models.StatSkill{{Code: "fw", Name: "Firewalls", Tier: "basic"}}}
		for range 6 {
			p.Orgs = append(p.Orgs, models.StatOrg{Keys: [4]string{"R1", "I1", "acute", "medium"},
				Skills: []models.StatOrgSkill{{Skill: 0, Demand: demand, Supply: demand}}})
		}
		return p
	}
	r := newReleases()
	first := r.of("trust", pop(10))
	if again := r.of("trust", pop(10)); again != first {
		t.Error("an unchanged population was published again")
	}
	if changed := r.of("trust", pop(11)); changed == first {
		t.Error("a changed population reused the old release")
	}
	if other := r.of("department", pop(10)); other == first {
		t.Error("another organisation type shared the release")
	}
}
