package disclosure

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"cyberskills/models"
)

// BenchmarkReleaseNHSTrusts publishes a release of 286 trusts in 7 regions and 42 ICBs,
// evaluated in 17 skills: the NHS's trusts, with made-up figures.
func BenchmarkReleaseNHSTrusts(b *testing.B) {
	p := nhsLikePopulation(1)
	for b.Loop() {
		NewRelease(p, true)
	}
}

// nhsLikePopulation is 286 trusts in 7 regions of 6 ICBs, five sectors and three size
// bands, evaluated in 17 skills (advanced ones only for large trusts), with demand in a
// few skills everywhere and in the others here and there, mostly met, a gap in one skill
// in ten or so, and staff at every level.
func nhsLikePopulation(seed uint64) models.StatPopulation {
	rnd := rand.New(rand.NewPCG(seed, 1))
	p := models.StatPopulation{}
	tiers := []string{"basic", "basic", "basic", "basic", "basic", "basic", "basic", "basic", "incident_response", "incident_response",
		"advanced", "advanced", "advanced", "advanced", "advanced", "advanced", "advanced"}
	for i, t := range tiers {
		p.Skills = append(p.Skills, models.StatSkill{Code: fmt.Sprintf("s%02d", i), Name: fmt.Sprintf("Skill %d", i), Tier: t})
	}
	sectors := []string{"acute", "acute", "acute", "acute", "mental_health", "mental_health", "community", "ambulance", "specialist"}
	sizes := []string{"medium", "large", "large", "very_large"}
	for range 286 {
		icb := rnd.IntN(42)
		o := models.StatOrg{Keys: [4]string{fmt.Sprint("R", icb/6), fmt.Sprint("I", icb), sectors[rnd.IntN(len(sectors))], sizes[rnd.IntN(len(sizes))]}}
		o.Labels = o.Keys
		for s := range p.Skills {
			if tiers[s] == "advanced" && o.Keys[3] == "medium" {
				continue
			}
			sk := models.StatOrgSkill{Skill: s}
			if s < 3 || s == 8 || rnd.IntN(4) == 0 {
				sk.Demand = rnd.IntN(200)
			}
			sk.Supply = sk.Demand
			if sk.Demand > 0 && rnd.IntN(3) == 0 {
				sk.Supply = rnd.IntN(sk.Demand + 1)
			}
			sk.Gap = (sk.Supply < sk.Demand && rnd.IntN(3) == 0) || rnd.IntN(25) == 0
			for l := 1; l <= models.MaxLevel; l++ {
				sk.Held[l] = rnd.IntN(sk.Supply/2 + 3)
			}
			o.Skills = append(o.Skills, sk)
		}
		p.Orgs = append(p.Orgs, o)
	}
	return p
}
