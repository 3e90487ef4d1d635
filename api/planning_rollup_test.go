package api

import (
	"fmt"
	"testing"

	"cyberskills/models"
)

// regionFixture is a region of 612 organisations below it, more than a roll-up used to
// take (500): two ICBs with 350 and 260 practices, engineers in a few of them, one with a
// firewall level, so that some practices meet their defaults and most do not.
func regionFixture(t *testing.T) (*testEnv, string) {
	e := newEnv(t)
	admin := e.admin()
	if _, err := e.db.Exec(`
		INSERT INTO organisations (code, name, type) VALUES ('REG', 'REG', 'region');
		INSERT INTO organisations (code, name, type, parent_id)
		SELECT c, c, 'icb', (SELECT id FROM organisations WHERE code = 'REG') FROM unnest(ARRAY['ICB-A', 'ICB-B']) AS c;
		INSERT INTO organisations (code, name, type, parent_id)
		SELECT 'P' || lpad(n::text, 4, '0'), 'practice ' || n, 'practice',
		       (SELECT id FROM organisations WHERE code = CASE WHEN n <= 350 THEN 'ICB-A' ELSE 'ICB-B' END)
		  FROM generate_series(1, 610) AS n`); err != nil {
		t.Fatal(err)
	}
	e.as(admin, "PUT", "/api/v1/roles/eng", map[string]any{"title": "eng", "requirements": []map[string]any{
		{"skill": "firewall-config", "level": 2, "criticality": "essential"}}}).expect(201)
	for _, org := range []string{"P0001", "P0002", "P0351", "P0610"} {
		e.as(admin, "PUT", "/api/v1/organisations/"+org+"/staff/E1", map[string]any{"role": "eng"}).expect(201)
	}
	for _, org := range []string{"P0002", "P0610"} {
		e.as(admin, "POST", "/api/v1/organisations/"+org+"/staff/E1/evidence", map[string]any{"skill": "firewall-config",
			"level": 3, "source": "assessment"}).expect(201)
	}
	return e, admin
}

// A region's roll-up takes every organisation below it (612 here): now, it agrees with the
// gap report's roll-up, and the region's figures are the sums of its two ICBs'.
func TestProjectionRollsUpARegion(t *testing.T) {
	e, admin := regionFixture(t)
	p := getJSON[models.Projection](e, admin, "/api/v1/organisations/REG/projection?months=2&include_descendants=true")
	report := getJSON[models.GapReport](e, admin, "/api/v1/organisations/REG/gaps?include_descendants=true")
	for _, l := range report.Skills {
		for _, r := range p.Rows {
			if r.Skill == l.Skill && r.Month.Equal(row(t, p.Rows, 0, r.Skill).Month) && *r.OrganisationsWithGap != *l.OrganisationsWith {
				t.Errorf("%s now: projection %d below with a gap, gap report %d", l.Skill, *r.OrganisationsWithGap, *l.OrganisationsWith)
			}
		}
	}
	// Every practice but the two with a level-3 engineer misses the firewall default (one
	// person at Working, 2), and both ICBs do, having a practice with a gap.
	if fw := row(t, p.Rows, 0, "firewall-config"); *fw.OrganisationsWithGap != 608+2 || fw.Demand != 4 || fw.Supply != 2 {
		t.Errorf("region firewall now: %d below with a gap, demand %v, supply %v", *fw.OrganisationsWithGap, fw.Demand, fw.Supply)
	}
	parts := map[string]float64{}
	below := map[string]int{}
	for _, icb := range []string{"ICB-A", "ICB-B"} {
		for _, r := range getJSON[models.Projection](e, admin, "/api/v1/organisations/"+icb+"/projection?months=2&include_descendants=true").Rows {
			key := r.Month.Format("2006-01") + " " + r.Skill
			parts[key+" demand"] += r.Demand
			parts[key+" supply"] += r.Supply
			parts[key+" holders"] += r.TargetHolders
			below[key] += *r.OrganisationsWithGap
			if r.Gap {
				below[key]++
			}
		}
	}
	for _, r := range p.Rows {
		key := r.Month.Format("2006-01") + " " + r.Skill
		got := fmt.Sprintf("demand %v supply %v below %d", r.Demand, r.Supply, *r.OrganisationsWithGap)
		if want := fmt.Sprintf("demand %v supply %v below %d", parts[key+" demand"], parts[key+" supply"], below[key]); got != want {
			t.Errorf("%s: region %s, the ICBs sum to %s", key, got, want)
		}
	}
}
