package repository_test

import (
	"testing"
)

// The default training needs analysis follows defaults/assurance.json: a fresh database
// holds a requirement for every staff group and the templates' key roles, and a changed
// table is brought back to the file at the next start.
func TestDefaultAssuranceFollowsTheShippedFile(t *testing.T) {
	db, ctx := testDB(t)
	state := func() (reqs, roles int, awareness string) {
		t.Helper()
		if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM default_training_requirements),
			(SELECT count(*) FROM default_key_role_roles),
			(SELECT k.code || ' ' || d.level || ' ' || d.refresh_months FROM default_training_requirements d
			   JOIN skills k ON k.id = d.skill_id WHERE d.audience = 'all_staff')`).Scan(&reqs, &roles, &awareness); err != nil {
			t.Fatal(err)
		}
		return reqs, roles, awareness
	}
	if reqs, roles, awareness := state(); reqs != 7 || roles != 9 || awareness != "secure-data 1 12" {
		t.Fatalf("a fresh database holds %d requirements, %d role lists, awareness %q; want the file's 7, 9, secure-data 1 12", reqs, roles, awareness)
	}
	mustExec(t, db, `UPDATE default_training_requirements SET refresh_months = 36 WHERE audience = 'all_staff'`)
	mustExec(t, db, `DELETE FROM default_key_role_roles WHERE role_code = 'network-engineer'`)
	if err := db.LoadDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if reqs, roles, awareness := state(); reqs != 7 || roles != 9 || awareness != "secure-data 1 12" {
		t.Fatalf("after a start: %d requirements, %d role lists, awareness %q", reqs, roles, awareness)
	}
}
