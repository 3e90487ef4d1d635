package repository_test

import (
	"context"
	"reflect"
	"testing"

	"cyberskills/models"
	"cyberskills/repository/pgtest"
)

// TestDefaultsLoadOnceAndReportUnchanged: the first load on a migrated database loads
// both built-in frameworks, their role templates and the NICE mapping; every later load
// (a restart) reports every step unchanged.
func TestDefaultsLoadOnceAndReportUnchanged(t *testing.T) {
	t.Parallel()
	db := pgtest.NewEmpty(t)
	ctx := context.Background()
	m := migrator(t, db)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := db.LoadDefaultsReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[string]bool{}
	for _, r := range first {
		loaded[r.Step] = r.Loaded
	}
	want := map[string]bool{"framework cyber": true, "framework nice": true, "role templates": true,
		"NICE work role templates": true, "NICE mapping": true, "capability targets": false, "training needs analysis": true}
	if !reflect.DeepEqual(loaded, want) {
		t.Fatalf("first load %v, want %v", loaded, want)
	}
	for i := 0; i < 2; i++ {
		again, err := db.LoadDefaultsReport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range again {
			if r.Loaded {
				t.Fatalf("load %d: %s loaded again", i+2, r.Step)
			}
		}
	}
	var templates, mapped int
	if err := db.GetContext(ctx, &templates, `SELECT count(*) FROM job_roles r JOIN frameworks f ON f.id = r.framework_id
		WHERE f.code = 'nice' AND r.organisation_id IS NULL`); err != nil || templates != 41 {
		t.Fatalf("%d NICE templates (%v)", templates, err)
	}
	if err := db.GetContext(ctx, &mapped, `SELECT count(DISTINCT skill_id) FROM skill_mappings`); err != nil || mapped != 104 {
		t.Fatalf("%d statements mapped (%v)", mapped, err)
	}
}

// TestFrameworkModelMigratesExistingData: migration 0021 applied to a database that has
// frameworks already (rolled back with data, then applied again) gives every framework
// the survey's tiers, every skill its place in the tree and its survey tier.
func TestFrameworkModelMigratesExistingData(t *testing.T) {
	db, ctx := testDB(t)
	m := rolledBackBefore(t, ctx, db, 21)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	entry, err := db.GetSkill(ctx, "cyber", "firewall-config")
	if err != nil || entry.Tier != models.TierBasic || entry.SurveyTier != "basic" || entry.Area != "network-protection" {
		t.Fatalf("firewall-config after the migration %+v %v", entry, err)
	}
	skills, _, err := db.ListSkills(ctx, "cyber", models.SkillFilter{Area: "cyber-hygiene"}, models.Page{Limit: 100})
	if err != nil || len(skills) != 8 {
		t.Fatalf("%d skills under cyber-hygiene (%v)", len(skills), err)
	}
	var tiers int
	if err := db.GetContext(ctx, &tiers, `SELECT count(*) FROM framework_tiers t JOIN frameworks f ON f.id = t.framework_id
		WHERE f.code = 'cyber'`); err != nil || tiers != 3 {
		t.Fatalf("cyber has %d tiers (%v)", tiers, err)
	}
}
