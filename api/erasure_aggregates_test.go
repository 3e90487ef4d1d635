package api

import (
	"strings"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// The README (Job roles and staff): "DELETE ...?erase=true also removes name, e-mail and
// external id for good and clears the free text of their evidence (right to erasure),
// while the anonymised evidence still counts in historical figures". Historical figures
// are the gap reports as of a past date (?at=), computed from the evidence history.
func TestErasedPersonStillCountsInFigures(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	// orga-role needs firewall-config at 2 (essential). E1 (from the fixture) holds level 3
	// only from today; P1, since 2020, holds it from an assessment 30 days ago.
	e.as(hr, "PUT", "/api/v1/organisations/ORGA/staff/P1", map[string]any{"role": "orga-role",
		"display_name": "B. Jones", "email": "b.jones@nhs.net", "start_date": "2020-01-01"}).expect(201)
	level := 3
	assessed := clocktest.Now().AddDate(0, 0, -30)
	e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/P1/evidence", models.NewEvidence{Skill: "firewall-config", Level: &level,
		Source: "assessment", AssessedAt: &assessed, Assessor: "J. Smith", Note: "passed the firewall lab",
		EvidenceURL: "https://lms.example.nhs.uk/certificates/1"}).expect(201)

	past := clocktest.Now().AddDate(0, 0, -10).UTC().Format("2006-01-02")
	firewall := func(query string) models.SkillGapLine {
		t.Helper()
		r := getJSON[models.GapReport](e, hr, "/api/v1/organisations/ORGA/gaps"+query)
		return skillLine(t, r, "firewall-config")
	}
	history := firewall("?at=" + past)
	// Ten days ago both were employed and only P1 held the skill.
	if l := history; l.Demand != 2 || l.Supply != 1 || l.StaffByLevel["3"] != 1 || l.TargetHolders != 1 {
		t.Fatalf("as of %s before erasure: %s", past, brief(l))
	}
	if l := firewall(""); l.Demand != 2 || l.Supply != 2 || l.StaffByLevel["3"] != 2 {
		t.Fatalf("now, before erasure: %s", brief(l))
	}

	var erased models.Staff
	e.as(hr, "DELETE", "/api/v1/organisations/ORGA/staff/P1?erase=true", nil).expect(200).decode(&erased)
	if !erased.Erased || erased.DisplayName != "" || erased.Email != "" || erased.Status != models.StaffLeaver ||
		!strings.HasPrefix(erased.ExternalID, "erased-") || erased.EndDate == nil || erased.EndDate.String() != models.TodayAt(clocktest.Now()).String() {
		t.Fatalf("erased %+v", erased)
	}
	// The external id is gone for good: the old one names nobody.
	e.as(hr, "GET", "/api/v1/organisations/ORGA/staff/P1", nil).problem(404)
	var personal int
	if err := e.db.Get(&personal, `SELECT count(*) FROM staff WHERE display_name IS NOT NULL OR email IS NOT NULL OR external_id = 'P1'`); err != nil || personal != 0 {
		t.Fatalf("staff rows with personal fields after erasure: %d (%v)", personal, err)
	}
	// The evidence stays, anonymised: level, source and dates kept, free text cleared.
	var ev []struct {
		Level    int     `db:"level"`
		Source   string  `db:"source"`
		Assessor *string `db:"assessor"`
		Note     *string `db:"note"`
		URL      *string `db:"evidence_url"`
	}
	if err := e.db.Select(&ev, `SELECT level, source, assessor, note, evidence_url FROM evidence
		WHERE staff_id = (SELECT id FROM staff WHERE external_id = $1)`, erased.ExternalID); err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || ev[0].Level != 3 || ev[0].Source != "assessment" || ev[0].Assessor != nil || ev[0].Note != nil || ev[0].URL != nil {
		t.Fatalf("evidence after erasure: %+v", ev)
	}

	// The past is unchanged: the erased person still counts as of ten days ago...
	if got := firewall("?at=" + past); brief(got) != brief(history) {
		t.Fatalf("as of %s after erasure: %s, want %s", past, brief(got), brief(history))
	}
	// ...while today, as a leaver, they no longer do.
	if l := firewall(""); l.Demand != 1 || l.Supply != 1 || l.StaffByLevel["3"] != 1 {
		t.Fatalf("now, after erasure: %s", brief(l))
	}
}
