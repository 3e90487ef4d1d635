package repository_test

import (
	"testing"

	"cyberskills/models"
	"cyberskills/repository"
)

// TestDefaultRoleTemplates checks that a fresh database holds every role template the
// issue names, each with requirements over the default framework, and that loading the
// defaults again neither fails nor brings back a template an administrator deleted.
func TestDefaultRoleTemplates(t *testing.T) {
	db, ctx := testDB(t)
	owner := models.RoleOwner{Scope: models.ScopeAll()}
	for _, code := range []string{"service-desk-analyst", "network-engineer", "clinical-systems-administrator",
		"information-governance-lead", "security-operations-analyst", "security-architect",
		"digital-forensics-investigator", "head-of-cyber-security", "clinical-staff", "administrative-staff"} {
		r, err := db.GetRole(ctx, owner, code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if r.Framework != repository.DefaultFrameworkCode || len(r.Requirements) == 0 {
			t.Errorf("%s: %+v", code, r)
		}
	}
	if err := db.DeleteRole(ctx, owner, "penetration-tester"); err != nil {
		t.Fatal(err)
	}
	if err := db.LoadDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetRole(ctx, owner, "penetration-tester"); models.ErrorCode(err) != models.ENOTFOUND {
		t.Fatalf("a deleted template came back: %v", err)
	}
}
