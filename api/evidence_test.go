package api

import (
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

func competencyOf(t *testing.T, e *testEnv, token, path, skill string) models.Competency {
	t.Helper()
	got := getJSON[models.Competencies](e, token, path)
	for _, c := range got.Items {
		if c.Skill == skill {
			return c
		}
	}
	return models.Competency{Skill: skill}
}

func TestEvidenceAndCurrentLevels(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	base := "/api/v1/organisations/ORGA/staff/E1"
	post := func(ev models.NewEvidence) models.Evidence {
		t.Helper()
		var out models.Evidence
		e.as(hr, "POST", base+"/evidence", ev).expect(201).decode(&out)
		return out
	}
	lvl := func(n int) *int { return &n }
	past := func(days int) *time.Time { t := clocktest.Now().AddDate(0, 0, -days); return &t }
	future := func(days int) *time.Time { t := clocktest.Now().AddDate(0, 0, days); return &t }

	// The fixture gave E1 level 3 in firewall-config by assessment; orga-role requires level 2.
	c := competencyOf(t, e, hr, base+"/competencies", "firewall-config")
	if c.VerifiedLevel != 3 || c.RequiredLevel != 2 || c.Depth != 0 || c.Criticality != "essential" {
		t.Fatalf("fixture level %+v", c)
	}

	// Self-assessment is reported beside the verified level, never as it.
	post(models.NewEvidence{Skill: "backup-recovery", Level: lvl(4), Source: "self"})
	c = competencyOf(t, e, hr, base+"/competencies", "backup-recovery")
	if c.VerifiedLevel != 0 || c.SelfLevel == nil || *c.SelfLevel != 4 {
		t.Fatalf("self %+v", c)
	}

	// Expired certification no longer counts; an unexpired one does, until its expiry.
	post(models.NewEvidence{Skill: "patch-management", Level: lvl(4), Source: "certification", AssessedAt: past(400), ExpiresAt: past(35)})
	cert := post(models.NewEvidence{Skill: "patch-management", Level: lvl(3), Source: "certification", AssessedAt: past(10), ExpiresAt: future(355)})
	c = competencyOf(t, e, hr, base+"/competencies", "patch-management")
	if c.VerifiedLevel != 3 || c.VerifiedUntil == nil || !c.VerifiedUntil.Equal(*cert.ExpiresAt) {
		t.Fatalf("certification %+v", c)
	}
	// As of 50 days ago, the level-4 certificate was in force.
	at := clocktest.Now().AddDate(0, 0, -50).Format("2006-01-02")
	if c := competencyOf(t, e, hr, base+"/competencies?at="+at, "patch-management"); c.VerifiedLevel != 4 {
		t.Fatalf("as of %s: %+v", at, c)
	}

	// A retraction withdraws a record; the history shows both.
	wrong := post(models.NewEvidence{Skill: "access-control", Level: lvl(4), Source: "manager"})
	retraction := post(models.NewEvidence{Source: "manager", Retracts: wrong.ID, Note: "recorded against the wrong person"})
	if retraction.Skill != "access-control" || retraction.Level != 0 || *retraction.Retracts != wrong.ID {
		t.Fatalf("retraction %+v", retraction)
	}
	if c := competencyOf(t, e, hr, base+"/competencies", "access-control"); c.VerifiedLevel != 0 {
		t.Fatalf("retracted level still counts: %+v", c)
	}
	e.as(hr, "POST", base+"/evidence", models.NewEvidence{Source: "manager", Retracts: wrong.ID}).problem(409)
	history := getJSON[Page[models.Evidence]](e, hr, base+"/evidence?skill=access-control")
	if len(history.Items) != 2 || history.Items[0].ID != retraction.ID || history.Items[1].RetractedBy == nil || *history.Items[1].RetractedBy != retraction.ID {
		t.Fatalf("history %+v", history.Items)
	}

	// Validation names fields; unknown skills are refused.
	cases := []struct {
		body  models.NewEvidence
		field string
	}{
		{models.NewEvidence{Skill: "firewall-config", Level: lvl(5), Source: "manager"}, "level"},
		{models.NewEvidence{Skill: "firewall-config", Level: lvl(2), Source: "rumour"}, "source"},
		{models.NewEvidence{Skill: "firewall-config", Level: lvl(2), Source: "manager", AssessedAt: future(3)}, "assessed_at"},
		{models.NewEvidence{Skill: "firewall-config", Level: lvl(2), Source: "manager", ExpiresAt: past(1)}, "expires_at"},
		{models.NewEvidence{Skill: "no-such-skill", Level: lvl(2), Source: "manager"}, "skill"},
		{models.NewEvidence{Skill: "firewall-config", Level: lvl(2), Source: "manager", EvidenceURL: "javascript:alert(1)"}, "evidence_url"},
		{models.NewEvidence{Source: "manager", Retracts: 999999}, "retracts"},
	}
	for _, tc := range cases {
		if p := e.as(hr, "POST", base+"/evidence", tc.body).problem(400); !p.hasFieldError(tc.field) {
			t.Errorf("%+v: errors %+v, want %s", tc.body, p.Errors, tc.field)
		}
	}
	// Another organisation's hr cannot see or add evidence.
	e.as(f.otherHR, "GET", base+"/evidence", nil).problem(404)
	e.as(f.otherHR, "POST", base+"/evidence", models.NewEvidence{Skill: "firewall-config", Level: lvl(1), Source: "manager"}).problem(404)

	// Reads of staff-level data are in the audit trail.
	audit := getJSON[Page[models.AuditEntry]](e, e.admin(), "/api/v1/audit?organisation=ORGA")
	reads := 0
	for _, a := range audit.Items {
		if a.Method == "GET" && a.Route == "/api/v1/organisations/:code/staff/:external_id/competencies" && a.Target["external_id"] == "E1" {
			reads++
		}
	}
	if reads < 5 {
		t.Fatalf("competency reads audited: %d", reads)
	}
}

func TestEvidenceImport(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody("external_id,role\nS1,orga-role\nS2,orga-role\n")).expect(200)
	assessed, expires := clocktest.Days(-330).Format("2006-01-02"), clocktest.Days(3000).Format("2006-01-02")
	good := "external_id,skill,level,source,assessed_at,expires_at,note\n" +
		"S1,firewall-config,3,certification," + assessed + "," + expires + ",CCNA\n" +
		"S2,firewall-config,1,manager," + assessed + "T09:00:00Z,,\n" +
		"S2,backup-recovery,4,assessment," + clocktest.Days(-329).Format("2006-01-02") + ",,\n"
	var report models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", csvBody(good)).expect(200).decode(&report)
	if !report.Applied || report.Rows != 3 || report.Inserted != 3 || len(report.Rejected) != 0 {
		t.Fatalf("import %+v", report)
	}
	if c := competencyOf(t, e, hr, "/api/v1/organisations/ORGA/staff/S1/competencies", "firewall-config"); c.VerifiedLevel != 3 {
		t.Fatalf("S1 after import %+v", c)
	}

	bad := `{"external_id":"S1","skill":"patch-management","level":2,"source":"manager"}
{"external_id":"NOBODY","skill":"patch-management","level":2,"source":"manager"}
{"external_id":"S1","skill":"no-such-skill","level":2,"source":"manager"}
{"external_id":"S1","skill":"patch-management","level":9,"source":"manager"}
{"external_id":"S1","skill":"patch-management","level":2,"source":"manager","assessed_at":"yesterday"}
not json
`
	p := e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import", ndjson(bad)).problem(400)
	fields := rejectedFields(importReportOf(t, p))
	want := map[int]string{2: "external_id", 3: "skill", 4: "level", 5: "assessed_at", 6: "row"}
	for line, field := range want {
		if fields[line] != field {
			t.Errorf("line %d: rejected on %q, want %q (all: %v)", line, fields[line], field, fields)
		}
	}
	if len(fields) != len(want) {
		t.Errorf("rejected lines %v", fields)
	}
	if c := competencyOf(t, e, hr, "/api/v1/organisations/ORGA/staff/S1/competencies", "patch-management"); c.VerifiedLevel != 0 {
		t.Fatalf("a rejected import applied a row: %+v", c)
	}
	var partial models.ImportReport
	e.as(hr, "POST", "/api/v1/organisations/ORGA/evidence/import?mode=partial", ndjson(bad)).expect(200).decode(&partial)
	if partial.Inserted != 1 || len(partial.Rejected) != 5 {
		t.Fatalf("partial %+v", partial)
	}
	if c := competencyOf(t, e, hr, "/api/v1/organisations/ORGA/staff/S1/competencies", "patch-management"); c.VerifiedLevel != 2 {
		t.Fatalf("after partial %+v", c)
	}
	// Staff of another organisation cannot be reached through this one.
	e.as(e.admin(), "PUT", "/api/v1/organisations/ORGB/staff/B1", map[string]any{}).expect(201)
	p = e.as(e.admin(), "POST", "/api/v1/organisations/ORGA/evidence/import", ndjson(`{"external_id":"B1","skill":"patch-management","level":2,"source":"manager"}`)).problem(400)
	if len(p.Errors) != 1 || p.Errors[0].Field != "line 1: external_id" {
		t.Fatalf("errors %+v", p.Errors)
	}
}
