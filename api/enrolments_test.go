package api

import (
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

func TestEnrolmentsPipeline(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr, trainer := f.tokens[models.RoleHR], f.tokens[models.RoleTrainer]
	other := e.mint(models.RoleTrainer, "", "rival-training")
	if _, err := e.db.Exec(`INSERT INTO courses (provider, code, title) VALUES ('rival-training', 'RIVAL-1', 'Rival course')`); err != nil {
		t.Fatal(err)
	}
	e.as(hr, "PUT", "/api/v1/organisations/ORGA-1/staff/U1", map[string]any{"role": "orga-role"}).expect(201)
	enrolledAt, due := clocktest.Days(-7).Format("2006-01-02"), clocktest.Days(60).Format("2006-01-02")

	// The fixture enrolled E1 on MATRIX-101. hr enrols U1 (a unit's person) too.
	var enrolled models.Enrolment
	e.as(hr, "POST", "/api/v1/organisations/ORGA-1/enrolments", map[string]any{
		"staff_external_id": "U1", "course": "MATRIX-101", "enrolled_at": enrolledAt, "expected_completion": due}).
		expect(201).decode(&enrolled)
	if enrolled.Organisation != "ORGA-1" || enrolled.Status != "enrolled" || enrolled.ExpectedCompletion.String() != due || enrolled.PassRate != nil {
		t.Fatalf("enrolment %+v", enrolled)
	}
	e.as(hr, "POST", "/api/v1/organisations/ORGA-1/enrolments", map[string]any{
		"staff_external_id": "U1", "course": "MATRIX-101", "expected_completion": due}).problem(409)
	if p := e.as(hr, "POST", "/api/v1/organisations/ORGA/enrolments", map[string]any{
		"staff_external_id": "NOBODY", "course": "MATRIX-101", "expected_completion": due}).problem(422); p.Detail == "" {
		t.Fatal("no detail")
	}
	// A trainer enrols only on its own courses.
	e.as(other, "POST", "/api/v1/organisations/ORGA/enrolments", map[string]any{
		"staff_external_id": "E1", "course": "MATRIX-101", "expected_completion": due}).problem(422)
	e.as(other, "POST", "/api/v1/organisations/ORGA/enrolments", map[string]any{
		"staff_external_id": "E1", "course": "RIVAL-1", "expected_completion": due}).expect(201)

	// The organisation's list covers its units; each trainer sees its own courses only.
	var all, mine, theirs Page[models.Enrolment]
	e.as(hr, "GET", "/api/v1/organisations/ORGA/enrolments", nil).expect(200).decode(&all)
	e.as(trainer, "GET", "/api/v1/organisations/ORGA/enrolments", nil).expect(200).decode(&mine)
	e.as(other, "GET", "/api/v1/organisations/ORGA/enrolments", nil).expect(200).decode(&theirs)
	if len(all.Items) != 3 || len(mine.Items) != 2 || len(theirs.Items) != 1 || theirs.Items[0].Course != "RIVAL-1" {
		t.Fatalf("lists: all %d, acme %d, rival %+v", len(all.Items), len(mine.Items), theirs.Items)
	}
	// Withdrawal closes it once; another provider cannot touch it; it counts against the pass rate.
	path := "/api/v1/organisations/ORGA/enrolments/" + itoa(enrolled.ID)
	e.as(other, "DELETE", path, nil).problem(404)
	var withdrawn models.Enrolment
	e.as(trainer, "DELETE", path, nil).expect(200).decode(&withdrawn)
	if withdrawn.Status != "withdrawn" || withdrawn.ClosedAt == nil || withdrawn.PassRate == nil || *withdrawn.PassRate != 0 {
		t.Fatalf("withdrawn %+v", withdrawn)
	}
	e.as(hr, "DELETE", path, nil).problem(409)
	e.as(f.otherHR, "GET", "/api/v1/organisations/ORGA/enrolments", nil).problem(404)
}
