package disclosure

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"cyberskills/models"
)

// population builds a statistics population for tests.
type population struct{ models.StatPopulation }

func newPopulation(skills ...string) *population {
	p := &population{}
	for _, s := range skills { // "code:tier"
		code, tier := s, "basic"
		for i := range s {
			if s[i] == ':' {
				code, tier = s[:i], s[i+1:]
			}
		}
		p.Skills = append(p.Skills, models.StatSkill{Code: code, Name: code, Tier: tier})
	}
	return p
}

// org adds n organisations with these region, ICB, sector and size band, evaluated in
// every skill with the given figures (demand, supply, staff at level 3, gap).
func (p *population) org(n int, keys [4]string, demand, supply, level3 int, gap bool) {
	for range n {
		o := models.StatOrg{Keys: keys, Labels: keys}
		for i := range p.Skills {
			s := models.StatOrgSkill{Skill: i}
			if i == 0 {
				s.Demand, s.Supply, s.Held[3], s.Gap = demand, supply, level3, gap
			}
			o.Skills = append(o.Skills, s)
		}
		p.Orgs = append(p.Orgs, o)
	}
}

// figureOf is a group's published figure of a measure, as a string: "-" when withheld.
func figureOf(g StatGroup, m int) string {
	f := [...]Figure{g.Organisations, g.OrganisationsWithGap, g.Demand, g.Supply, g.Shortfall,
		g.levels[1], g.levels[2], g.levels[3], g.levels[4]}[m]
	return show(f)
}

// TestReleaseSharedFigureIsOne: a region and an ICB covering the same trusts are one
// figure, so the region table cannot publish what the ICB table withholds.
func TestReleaseSharedFigureIsOne(t *testing.T) {
	p := newPopulation("fw", "bk")
	p.org(6, [4]string{"R1", "I1", "acute", "medium"}, 10, 10, 10, false)
	p.org(2, [4]string{"R2", "I2", "acute", "medium"}, 4, 2, 2, true)
	p.org(3, [4]string{"R2", "I3", "acute", "medium"}, 8, 8, 8, false)
	p.org(5, [4]string{"R3", "I4", "acute", "medium"}, 9, 5, 5, true)
	r := NewRelease(p.StatPopulation, true)
	regions, _, _ := r.Table([]string{"region"})
	icbs, _, _ := r.Table([]string{"icb"})
	byKey := func(gs []StatGroup, dim string) map[string]StatGroup {
		out := map[string]StatGroup{}
		for _, g := range gs {
			out[g.Group[dim]] = g
		}
		return out
	}
	rg, ig := byKey(regions, "region"), byKey(icbs, "icb")
	for _, same := range [][2]string{{"R1", "I1"}, {"R3", "I4"}} {
		for m := range measures {
			if a, b := figureOf(rg[same[0]], m), figureOf(ig[same[1]], m); a != b {
				t.Errorf("measure %d: %s publishes %s, %s (the same trusts) %s", m, same[0], a, same[1], b)
			}
		}
	}
	// I2 (two trusts) is withheld whole; the ICB line needs another withheld ICB, and the
	// region line another region: whichever they are, the same trusts agree.
	if figureOf(ig["I2"], mDemand) != "-" {
		t.Errorf("I2's demand published: %s", figureOf(ig["I2"], mDemand))
	}
}

// TestReleaseShortfallIsDemandLessSupply: no group publishes two of demand, supply and
// shortfall while withholding the third.
func TestReleaseShortfallIsDemandLessSupply(t *testing.T) {
	p := newPopulation("fw", "bk")
	p.org(6, [4]string{"R1", "I1", "acute", "medium"}, 10, 7, 7, true)
	p.org(2, [4]string{"R2", "I2", "acute", "medium"}, 4, 2, 2, true)
	p.org(5, [4]string{"R3", "I3", "acute", "medium"}, 8, 8, 8, false)
	r := NewRelease(p.StatPopulation, true)
	for _, key := range r.tableOrder {
		groups, _, _ := r.Table(r.tables[key].dims)
		for _, g := range groups {
			withheld := 0
			for _, f := range []Figure{g.Demand, g.Supply, g.Shortfall} {
				if f.Suppressed {
					withheld++
				}
			}
			if withheld == 1 {
				t.Errorf("table %s, group %v: demand %s supply %s shortfall %s", key, g.Group, show(g.Demand), show(g.Supply), show(g.Shortfall))
			}
		}
	}
}

// TestReleaseZeroOverWithheldGroupIsWithheld: nobody needs bk, so every figure of it is
// 0; published, the national 0 would give R2's (two trusts, withheld whole). Zeros over
// no withheld group (R1's, R3's) are published.
func TestReleaseZeroOverWithheldGroupIsWithheld(t *testing.T) {
	p := newPopulation("fw", "bk")
	p.org(6, [4]string{"R1", "", "acute", "medium"}, 10, 10, 10, false)
	p.org(2, [4]string{"R2", "", "mental_health", "medium"}, 4, 2, 2, true)
	p.org(5, [4]string{"R3", "", "acute", "medium"}, 8, 8, 8, false)
	r := NewRelease(p.StatPopulation, true)
	skills, _, _ := r.Table([]string{"skill"})
	for _, g := range skills {
		if g.Group["skill"] == "bk" && (!g.Demand.Suppressed || !g.OrganisationsWithGap.Suppressed) {
			t.Errorf("national bk published: demand %s, with a gap %s", show(g.Demand), show(g.OrganisationsWithGap))
		}
	}
	bySkill, _, _ := r.Table([]string{"region", "skill"})
	for _, g := range bySkill {
		if g.Group["skill"] != "bk" {
			continue
		}
		if g.Group["region"] == "R2" && !g.Demand.Suppressed {
			t.Error("R2's bk demand published")
		}
	}
	// And R2's zero is not known from the rest: the audit finds nothing.
	if found := audit(r); len(found) > 0 {
		t.Errorf("recoverable: %v", found)
	}
}

// TestReleaseNothingWithheldFollowsFromPublished audits releases of random populations:
// no withheld figure lies in the span of what is published (or settled by published
// zeros and full counts), so none follows by addition and subtraction.
func TestReleaseNothingWithheldFollowsFromPublished(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := NewRelease(randomPopulation(seed), true)
			if found := audit(r); len(found) > 0 {
				t.Errorf("%d withheld figures follow from published ones: %v", len(found), found)
			}
		})
	}
}

// TestReleaseIsDeterministic: the same data is always published the same way, so that a
// snapshot publishes what the live figures did.
func TestReleaseIsDeterministic(t *testing.T) {
	p := randomPopulation(3)
	a, b := NewRelease(p, true), NewRelease(p, true)
	for i := range a.cells {
		if a.cells[i].fig.Suppressed != b.cells[i].fig.Suppressed {
			t.Fatalf("cell %d published differently", i)
		}
	}
}

// TestPublishSnapshotAsLive: a snapshot with its population publishes as the release of
// the day; one without (taken before populations were kept) publishes its headline only.
func TestPublishSnapshotAsLive(t *testing.T) {
	p := randomPopulation(5)
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	live := NewRelease(p, true)
	sn := PublishSnapshot(models.Snapshot{Type: "trust", TakenAt: at, Figures: models.SnapshotFigures{Population: &p}}, true)
	groups, _, _ := live.Table([]string{"region"})
	for i, g := range sn.Breakdowns["region"] {
		for m := range measures {
			if figureOf(g, m) != figureOf(groups[i], m) {
				t.Errorf("region %s measure %d: snapshot %s, live %s", g.Group["region"], m, figureOf(g, m), figureOf(groups[i], m))
			}
		}
	}
	legacy := PublishSnapshot(models.Snapshot{Type: "trust", TakenAt: at, Figures: models.SnapshotFigures{
		Headline:   models.Headline{Organisations: 20, WithBasicGap: 7},
		Breakdowns: map[string][]models.RawGroup{"region": {{Keys: []string{"R1"}, Labels: []string{"R1"}, Organisations: 20, Demand: 50}}},
	}}, true)
	if show(legacy.Headline.Organisations) != "20" || !legacy.Breakdowns["region"][0].Demand.Suppressed {
		t.Errorf("legacy snapshot: headline %s, R1 demand %s", show(legacy.Headline.Organisations), show(legacy.Breakdowns["region"][0].Demand))
	}
}

// randomPopulation is 20 to 40 organisations in two or three regions of nested ICBs,
// two sectors and two size bands, evaluated in four skills of two tiers, with small
// counts, zeros and gaps.
func randomPopulation(seed uint64) models.StatPopulation {
	rnd := rand.New(rand.NewPCG(seed, 7))
	p := newPopulation("a:basic", "b:basic", "c:incident_response", "d:incident_response")
	regions := 2 + rnd.IntN(2)
	for range 20 + rnd.IntN(21) {
		region := rnd.IntN(regions)
		keys := [4]string{fmt.Sprint("R", region), fmt.Sprint("I", region, rnd.IntN(2)),
			[]string{"acute", "community"}[rnd.IntN(2)], []string{"medium", "large"}[rnd.IntN(2)]}
		o := models.StatOrg{Keys: keys, Labels: keys}
		for i := range p.Skills {
			if rnd.IntN(6) == 0 {
				continue // not evaluated in it
			}
			s := models.StatOrgSkill{Skill: i, Gap: rnd.IntN(3) == 0}
			if rnd.IntN(3) > 0 {
				s.Demand = rnd.IntN(12)
				s.Supply = rnd.IntN(s.Demand + 1)
			}
			for l := 1; l <= models.MaxLevel; l++ {
				s.Held[l] = rnd.IntN(4) * rnd.IntN(2)
			}
			o.Skills = append(o.Skills, s)
		}
		p.Orgs = append(p.Orgs, o)
	}
	return p.StatPopulation
}
