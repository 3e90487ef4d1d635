//go:build bench

package main

import (
	"context"
	"fmt"
	"time"

	"cyberskills/models"
	"cyberskills/repository"
)

// fixture is what the scenarios need from the generated dataset.
type fixture struct {
	organisations, staff, evidence int
	largestTrust                   string
	largestTrustID                 int64
	largestTrustStaff              int
	largestRegion                  string // by organisations below it
	largestRegionUnits             int    // organisations below it
	largestRegionStaff             int
	regionPerson                   person   // an active member of staff below it
	people                         []person // a sample of active staff
	skills                         []string
	admin, analyst, trainer        string
	course                         string // a course of the trainer's provider
	importOrg                      string // an empty organisation for the import scenarios
	importOrgID                    int64
}

type person struct {
	org, id string
	orgID   int64
}

const benchProvider = "bench-provider"

// importOrgName names the organisations the import scenarios fill; they are left in
// place (evidence is append-only) and are never taken for the largest trust.
const importOrgName = "Benchmark imports"

func newFixture(ctx context.Context, db *repository.DB) (fixture, error) {
	var f fixture
	err := db.QueryRowxContext(ctx, `SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM staff),
		(SELECT reltuples::bigint FROM pg_class WHERE relname = 'evidence')`).Scan(&f.organisations, &f.staff, &f.evidence)
	if err != nil {
		return f, err
	}
	err = db.QueryRowxContext(ctx, `
		SELECT o.code, o.id, h.active_staff FROM organisations o JOIN org_headcount h ON h.organisation_id = o.id
		 WHERE o.type = 'trust' AND o.name <> $1 ORDER BY h.active_staff DESC LIMIT 1`, importOrgName).Scan(&f.largestTrust, &f.largestTrustID, &f.largestTrustStaff)
	if err != nil {
		return f, fmt.Errorf("finding the largest trust (is the dataset generated?): %w", err)
	}
	err = db.QueryRowxContext(ctx, `
		SELECT o.code, count(*) - 1, sum(COALESCE(h.active_staff, 0))
		  FROM organisations o JOIN organisation_tree t ON t.ancestor_id = o.id
		  LEFT JOIN org_headcount h ON h.organisation_id = t.descendant_id
		 WHERE o.type = 'region' GROUP BY o.code ORDER BY 2 DESC LIMIT 1`).Scan(&f.largestRegion, &f.largestRegionUnits, &f.largestRegionStaff)
	if err != nil {
		return f, fmt.Errorf("finding the largest region: %w", err)
	}
	err = db.QueryRowxContext(ctx, `
		SELECT o.code, s.external_id, o.id FROM staff s JOIN organisations o ON o.id = s.organisation_id
		 WHERE s.status = 'active' AND s.organisation_id IN (
		       SELECT t.descendant_id FROM organisation_tree t JOIN organisations r ON r.id = t.ancestor_id WHERE r.code = $1)
		 LIMIT 1`, f.largestRegion).Scan(&f.regionPerson.org, &f.regionPerson.id, &f.regionPerson.orgID)
	if err != nil {
		return f, fmt.Errorf("finding a person in %s: %w", f.largestRegion, err)
	}
	rows, err := db.QueryxContext(ctx, `
		SELECT o.code, s.external_id, o.id FROM staff s TABLESAMPLE SYSTEM (1) JOIN organisations o ON o.id = s.organisation_id
		 WHERE s.status = 'active' LIMIT 2000`)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.org, &p.id, &p.orgID); err != nil {
			return f, err
		}
		f.people = append(f.people, p)
	}
	rows.Close()
	if len(f.people) == 0 {
		return f, fmt.Errorf("no active staff to sample")
	}
	if err := db.SelectContext(ctx, &f.skills, `SELECT k.code FROM skills k JOIN frameworks fw ON fw.id = k.framework_id
		WHERE fw.is_default AND k.status = 'active' ORDER BY k.position`); err != nil {
		return f, err
	}
	if f.admin, err = mint(ctx, db, models.RoleAdmin, ""); err != nil {
		return f, err
	}
	if f.analyst, err = mint(ctx, db, models.RoleAnalyst, ""); err != nil {
		return f, err
	}
	if f.trainer, err = mint(ctx, db, models.RoleTrainer, benchProvider); err != nil {
		return f, err
	}
	f.course = "BENCH-" + time.Now().Format("150405")
	if _, err := db.ExecContext(ctx, `
		WITH c AS (INSERT INTO courses (provider, code, title, validity_months, cost, duration_hours)
		           VALUES ($1, $2, 'Benchmark course', 36, 100, 7) RETURNING id)
		INSERT INTO course_skills (course_id, skill_id, level)
		SELECT c.id, k.id, 2 FROM c, skills k JOIN frameworks fw ON fw.id = k.framework_id
		 WHERE fw.is_default AND k.code IN ('secure-data', 'malware-protection')`, benchProvider, f.course); err != nil {
		return f, err
	}
	f.importOrg = "BENCH" + time.Now().Format("150405")
	err = db.QueryRowxContext(ctx, `
		INSERT INTO organisations (code, name, type, parent_id)
		SELECT $1, $2, 'trust', parent_id FROM organisations WHERE id = $3 RETURNING id`,
		f.importOrg, importOrgName, f.largestTrustID).Scan(&f.importOrgID)
	return f, err
}
