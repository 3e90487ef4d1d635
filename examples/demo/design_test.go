package demo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"cyberskills/models/clocktest"
)

// TestDesignGivesATrustTheGapsItIsGiven: whatever the draw, in a tier without a gap
// everyone meets every essential requirement and three technical staff are practitioners
// in each basic and incident response skill; in a tier with a gap exactly one person
// falls short, in the tier's gapSkill, and is kept out of training for it.
func TestDesignGivesATrustTheGapsItIsGiven(t *testing.T) {
	t.Parallel()
	now := clocktest.Now()
	roles := map[string][]requirement{
		"clinical-staff":              {{"secure-data", 1, "essential"}, {"malware-protection", 1, "desirable"}},
		"administrative-staff":        {{"secure-data", 1, "essential"}},
		"information-governance-lead": {{"secure-data", 4, "essential"}, {"incident-management", 3, "essential"}},
	}
	for _, role := range digitalRoles {
		roles[role] = []requirement{{"firewall-config", 3, "essential"}, {"incident-detection", 2, "essential"},
			{"security-architecture", 3, "essential"}, {"threat-intelligence", 2, "desirable"}}
	}
	for _, gaps := range [][]string{nil, {tierBasic}, {tierIncident, tierAdvanced}, {tierBasic, tierIncident, tierAdvanced}} {
		tr := trust{code: "RXX", clinical: 12, admin: 4, digital: 5, maturity: 0.3, gaps: gaps}
		rng := rand.New(rand.NewPCG(seed, 1))
		d := newDesign(gaps, now)
		shortIn := map[string]int{}
		practitioners := map[string]int{}
		for _, p := range staffOf(tr, rng, now) {
			reqs := roles[p.role]
			technical := p.org == "RXX-DIG"
			records, short := d.shape(p, reqs, evidenceOf(p, reqs, tr.maturity, technical, rng, now), technical)
			held := verifiedLevels(records, now)
			for _, r := range reqs {
				if r.Criticality == "essential" && held[r.Skill] < r.Level {
					shortIn[r.Skill]++
					if !short[r.Skill] {
						t.Errorf("gaps %v: %s falls short in %s but may be trained in it", gaps, p.id, r.Skill)
					}
				}
			}
			for skill, level := range held {
				if level >= 3 {
					practitioners[skill]++
				}
			}
		}
		for _, tier := range []string{tierBasic, tierIncident, tierAdvanced} {
			want := 0
			if slices.Contains(gaps, tier) {
				want = 1
			}
			if got := shortIn[gapSkill[tier]]; got != want {
				t.Errorf("gaps %v: %d people short in %s, want %d", gaps, got, gapSkill[tier], want)
			}
		}
		if len(shortIn) > len(gaps) {
			t.Errorf("gaps %v: people short in %v", gaps, shortIn)
		}
		for _, skill := range append(slices.Clone(basicSkills), incidentSkills...) {
			if practitioners[skill] < targetHolders {
				t.Errorf("gaps %v: %d practitioners in %s, want %d for the targets", gaps, practitioners[skill], skill, targetHolders)
			}
		}
	}
}
