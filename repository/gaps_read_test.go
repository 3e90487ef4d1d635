package repository_test

import (
	"context"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
	"cyberskills/repository"
	"cyberskills/repository/pgtest"
)

// A report of today's figures counts every write made before it, on any server of one
// database, though it flushes only when its statement saw writes queued: one server
// writes, the other reports, with no flusher running.
func TestTodaysReportCountsTheWritesMadeBeforeItOnAnotherServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	writer, url := pgtest.NewURL(t)
	reader, err := repository.Open(ctx, repository.Config{URL: url, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	all := models.ScopeAll()
	mustExec(t, writer, `INSERT INTO organisations (code, name, type) VALUES ('T1', 'Trust', 'trust')`)
	orgID, _ := writer.OrganisationID(ctx, all, "T1")
	if _, err := writer.CreateStaff(ctx, all, orgID, models.Staff{ExternalID: "E1", FTE: 1, Status: models.StaffActive}); err != nil {
		t.Fatal(err)
	}
	report := func() map[string]models.SkillLine {
		t.Helper()
		lines, err := reader.SkillGaps(ctx, models.GapQuery{OrgID: orgID, Scope: all, Now: clocktest.Now()})
		if err != nil {
			t.Fatal(err)
		}
		bySkill := map[string]models.SkillLine{}
		for _, l := range lines {
			bySkill[l.Skill] = l
		}
		return bySkill
	}
	if held := report()["backup-recovery"].Counts.Held[3]; held != 0 {
		t.Fatalf("before any evidence: %d hold backup-recovery at level 3", held)
	}
	for i, skill := range []string{"backup-recovery", "patch-management"} {
		level := 3
		if _, err := writer.AddEvidence(ctx, all, "T1", "E1", models.NewEvidence{Skill: skill, Level: &level, Source: models.SourceManager}, 0, clocktest.Now()); err != nil {
			t.Fatal(err)
		}
		lines := report()
		for _, counted := range []string{"backup-recovery", "patch-management"}[:i+1] {
			if held := lines[counted].Counts.Held[3]; held != 1 {
				t.Errorf("after write %d: %d hold %s at level 3, want 1", i+1, held, counted)
			}
		}
		var queued int
		if err := writer.GetContext(ctx, &queued, `SELECT count(*) FROM workforce_dirty`); err != nil {
			t.Fatal(err)
		}
		if queued != 0 {
			t.Errorf("after the report of write %d, %d writes still queued: the report did not apply them", i+1, queued)
		}
	}
}
