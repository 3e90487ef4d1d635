package api

import (
	"reflect"
	"testing"

	"cyberskills/models"
)

// An evidence file's rows are checked as they are read and copied: every bad row is
// reported with each of its errors, wherever it is in the file, and none of the good
// rows is written unless the mode is partial.
func TestEvidenceImportReportsEveryUnresolvedRowAndWritesNothing(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody("external_id,role\nS1,orga-role\nS2,orga-role\n")).expect(200)
	file := `{"external_id":"S1","skill":"firewall-config","framework":"cyber","level":2,"source":"manager"}
{"external_id":"NOBODY","skill":"no-such-skill","level":2,"source":"manager"}
{"external_id":"S2","skill":"backup-recovery","level":3,"source":"manager"}
{"external_id":"S1","skill":"firewall-config","framework":"no-such-framework","level":2,"source":"manager"}
{"external_id":"S2","skill":"patch-management","level":2,"source":"manager"}
`
	report := importReportOf(t, e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", ndjson(file)).problem(400))
	errorsOf := map[int][]string{}
	for _, row := range report.Rejected {
		for _, fe := range row.Errors {
			errorsOf[row.Line] = append(errorsOf[row.Line], fe.Field)
		}
	}
	if want := map[int][]string{2: {"external_id", "skill"}, 4: {"skill"}}; !reflect.DeepEqual(errorsOf, want) {
		t.Errorf("rejected %v, want %v", errorsOf, want)
	}
	if report.Applied || report.Inserted != 0 {
		t.Errorf("a rejected import says %+v", report)
	}
	for _, held := range []struct{ person, skill string }{{"S1", "firewall-config"}, {"S2", "backup-recovery"}, {"S2", "patch-management"}} {
		if c := competencyOf(t, e, hr, "/api/v1/organisations/ORGA/staff/"+held.person+"/competencies", held.skill); c.VerifiedLevel != 0 {
			t.Errorf("a rejected import wrote %s's %s: %+v", held.person, held.skill, c)
		}
	}

	var partial models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import?mode=partial", ndjson(file)).expect(200).decode(&partial)
	if !partial.Applied || partial.Rows != 5 || partial.Inserted != 3 || len(partial.Rejected) != 2 {
		t.Fatalf("partial %+v", partial)
	}
	for _, held := range []struct {
		person, skill string
		level         int
	}{{"S1", "firewall-config", 2}, {"S2", "backup-recovery", 3}, {"S2", "patch-management", 2}} {
		if c := competencyOf(t, e, hr, "/api/v1/organisations/ORGA/staff/"+held.person+"/competencies", held.skill); c.VerifiedLevel != held.level {
			t.Errorf("after the partial import, %s's %s: %+v, want level %d", held.person, held.skill, c, held.level)
		}
	}
}
