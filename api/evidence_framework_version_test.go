package api

import (
	"testing"

	"cyberskills/models"
)

// Evidence records the framework version it was assessed against (README, "Versions,
// deprecation and supersession"): publishing a new version must not rewrite old records,
// and new records must carry the new version.
func TestEvidenceKeepsTheFrameworkVersionItWasAssessedAgainst(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	base := "/api/v1/organisations/ORGA/staff/E1/evidence"
	level := 2
	var before models.Evidence
	e.as(hr, "POST", base, models.NewEvidence{Skill: "backup-recovery", Level: &level, Source: "manager"}).expect(201).decode(&before)
	if before.Framework != "cyber" || before.FrameworkVersion != 1 {
		t.Fatalf("evidence before publishing: %+v", before)
	}

	// Publish version 2 of the default framework as an admin would: the current document,
	// edited, PUT back.
	doc := e.framework("cyber", 0)
	doc.Skills[0].Name += " (revised)"
	var v2 models.Framework
	e.as(e.admin(), "PUT", "/api/v1/frameworks/cyber", doc).expect(201).decode(&v2)
	if v2.Version != 2 {
		t.Fatalf("published version %d, want 2", v2.Version)
	}

	var after models.Evidence
	e.as(hr, "POST", base, models.NewEvidence{Skill: "backup-recovery", Level: &level, Source: "assessment"}).expect(201).decode(&after)
	if after.FrameworkVersion != 2 {
		t.Fatalf("evidence after publishing: %+v, want framework_version 2", after)
	}

	// The history, newest first, keeps each record's own version.
	history := getJSON[Page[models.Evidence]](e, hr, base+"?skill=backup-recovery")
	if len(history.Items) != 2 ||
		history.Items[0].ID != after.ID || history.Items[0].FrameworkVersion != 2 ||
		history.Items[1].ID != before.ID || history.Items[1].FrameworkVersion != 1 {
		t.Fatalf("history %+v, want record %d at version 2 then %d at version 1", history.Items, after.ID, before.ID)
	}
}
