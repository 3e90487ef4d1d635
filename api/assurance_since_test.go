package api

import (
	"fmt"
	"testing"

	"cyberskills/models"
	"cyberskills/models/clocktest"
)

// A key role holder's "since" is the start of the unbroken in-date cover that holds at the
// report's moment: not the latest record's date when that record has expired while an
// older one still keeps them in date, and reaching back through records that overlap.
func TestB6ReportKeyRoleSinceIsTheCoverHeld(t *testing.T) {
	e := newEnv(t)
	admin := e.admin()
	if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type) VALUES ('TS', 'TS name', 'trust')`); err != nil {
		t.Fatal(err)
	}
	b6AddPerson(e, admin, b6Person{id: "K1", org: "TS", role: "network-engineer", records: []b6Record{
		// IT and security: in date by the record of 100 days ago; the later one expired.
		{"incident-detection", 2, "training", 100, 0, 0},
		{"incident-detection", 2, "certification", 30, 10, 0},
		// Privileged user: the record of 400 days ago ran until the one of 100 days ago began.
		{"access-control", 3, "assessment", 400, 0, 0},
		{"access-control", 3, "assessment", 100, 0, 0},
		// Caldicott Guardian: the record of 500 days ago lapsed before the next.
		{"secure-data", 2, "training", 500, 0, 0},
		{"secure-data", 2, "training", 100, 0, 0},
	}})
	e.as(admin, "PUT", "/api/v1/organisations/TS/assurance/key-roles", map[string]any{
		"roles": []any{}, "staff": []map[string]any{{"external_id": "K1", "key_roles": []string{"caldicott_guardian"}}}}).expect(200)

	r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TS/assurance/b6")
	var got []string
	for _, k := range r.KeyPeople {
		since := "-"
		if k.Since != nil {
			switch {
			case k.Since.Equal(b6Ago(100)):
				since = "100 days ago"
			case k.Since.Equal(b6Ago(400)):
				since = "400 days ago"
			default:
				since = k.Since.Sub(clocktest.Now()).String()
			}
		}
		got = append(got, fmt.Sprintf("%s %s since %s", k.Audience, k.Status, since))
	}
	expectLines(t, "key people", got, []string{
		"caldicott_guardian in_date since 100 days ago", "it_security in_date since 100 days ago",
		"privileged_user in_date since 400 days ago"})
}
