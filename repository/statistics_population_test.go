package repository_test

import (
	"fmt"
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
)

// TestPopulationReleaseMatchesBreakdowns: every canonical table a release computes in Go
// from the population holds the figures the SQL breakdown computes (the rule exists
// twice: SQL answers admins' filtered questions, the release analysts').
func TestPopulationReleaseMatchesBreakdowns(t *testing.T) {
	db, ctx := testDB(t)
	all := models.ScopeAll()
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('R1', 'North', 'region'), ('R2', 'South', 'region')`)
	mustExec(t, db, `INSERT INTO organisations (code, name, type, parent_id)
		SELECT i, 'ICB ' || i, 'icb', (SELECT id FROM organisations WHERE code = r) FROM (VALUES ('I1', 'R1'), ('I2', 'R1'), ('I3', 'R2')) v (i, r)`)
	trusts := []struct{ code, icb, sector, size string }{
		{"T1", "I1", "acute", "medium"}, {"T2", "I1", "acute", "large"}, {"T3", "I2", "community", "small"},
		{"T4", "I2", "acute", "medium"}, {"T5", "I3", "mental_health", "medium"}, {"T6", "I3", "acute", "large"},
	}
	for _, tr := range trusts {
		mustExec(t, db, `INSERT INTO organisations (code, name, type, sector, size_band, parent_id)
			VALUES ($1, $1, 'trust', $2, $3, (SELECT id FROM organisations WHERE code = $4))`, tr.code, tr.sector, tr.size, tr.icb)
	}
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('T7', 'No region', 'trust')`)
	if _, err := putRole(db, models.RoleOwner{Scope: all}, models.JobRole{Code: "eng", Title: "Engineer", Requirements: []models.Requirement{
		{Skill: "firewall-config", Level: 3, Criticality: models.Essential},
		{Skill: "backup-recovery", Level: 2, Criticality: models.Desirable},
		{Skill: "incident-detection", Level: 2, Criticality: models.Essential}}}); err != nil {
		t.Fatal(err)
	}
	for i, tr := range append(trusts, struct{ code, icb, sector, size string }{code: "T7"}) {
		mustExec(t, db, `INSERT INTO staff (organisation_id, external_id, role_id)
			SELECT o.id, 'S' || g, (SELECT id FROM job_roles WHERE code = 'eng')
			  FROM organisations o, generate_series(1, $2) g WHERE o.code = $1`, tr.code, 3+2*i)
		mustExec(t, db, `INSERT INTO evidence (staff_id, skill_id, framework_version, level, source, assessed_at)
			SELECT s.id, k.id, 1, 1 + (substr(s.external_id, 2)::int + length(k.code)) % 4, 'assessment', $3::timestamptz - interval '1 day'
			  FROM staff s JOIN organisations o ON o.id = s.organisation_id, skills k
			 WHERE o.code = $1 AND k.code IN ('firewall-config', 'backup-recovery', 'incident-detection')
			   AND substr(s.external_id, 2)::int % $2 <> 0`, tr.code, 2+i%3, clocktest.Now())
	}
	now := clocktest.Now()
	pop, err := db.StatisticsPopulation(ctx, "trust", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(pop.Orgs) != 7 {
		t.Fatalf("%d organisations in the population, want 7", len(pop.Orgs))
	}
	release := disclosure.NewRelease(pop, false)
	figures := func(g disclosure.StatGroup) string {
		return fmt.Sprintf("orgs=%s gap=%s demand=%s supply=%s levels=%s/%s/%s/%s", val(g.Organisations), val(g.OrganisationsWithGap),
			val(g.Demand), val(g.Supply), val(g.StaffByLevel["1"]), val(g.StaffByLevel["2"]), val(g.StaffByLevel["3"]), val(g.StaffByLevel["4"]))
	}
	dims := models.StatisticsDimensions()
	var tables [][]string
	for i, d := range dims {
		tables = append(tables, []string{d})
		for _, d2 := range dims[i+1:] {
			tables = append(tables, []string{d, d2})
		}
	}
	for _, by := range tables {
		raw, err := db.StatisticsBreakdown(ctx, models.StatisticsFilter{}, by, now)
		if err != nil {
			t.Fatal(err)
		}
		sql := map[string]string{}
		for _, g := range disclosure.PublishBreakdown(models.StatisticsFilter{}, by, raw, now).Groups {
			sql[keyOf(g, by)] = figures(g)
		}
		groups, _, _ := release.Table(by)
		if len(groups) != len(sql) {
			t.Errorf("by %v: %d groups in Go, %d in SQL", by, len(groups), len(sql))
		}
		for _, g := range groups {
			if got, want := figures(g), sql[keyOf(g, by)]; got != want {
				t.Errorf("by %v, group %s: Go %s, SQL %s", by, keyOf(g, by), got, want)
			}
		}
	}
	head, err := db.StatisticsHeadline(ctx, models.StatisticsFilter{}, now)
	if err != nil {
		t.Fatal(err)
	}
	h := release.Headline(models.StatisticsFilter{}, now)
	got := fmt.Sprintf("%s %s %s %s %d", val(h.Organisations), val(h.BasicSkillsGap.Organisations), val(h.IncidentResponseGap.Organisations),
		val(h.AdvancedSkillsGap.Organisations), len(h.Skills))
	if want := fmt.Sprintf("%d %d %d %d %d", head.Organisations, head.WithBasicGap, head.WithIncidentResponseGap, head.WithAdvancedGap, len(head.Skills)); got != want {
		t.Errorf("headline: Go %s, SQL %s", got, want)
	}
}

func keyOf(g disclosure.StatGroup, by []string) string {
	var parts []string
	for _, d := range by {
		parts = append(parts, d+"="+g.Group[d])
	}
	return strings.Join(parts, " ")
}

func val(f disclosure.Figure) string {
	if f.Value == nil {
		return "-"
	}
	return fmt.Sprint(*f.Value)
}
