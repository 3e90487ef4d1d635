package repository_test

import (
	"io"
	"testing"

	"cyberskills/models"
)

// A staff import stages each row with the role its code names for the organisation, as
// resolve_role says: the nearest of its own and its ancestors' roles before a template
// of the same code; a role of an organisation outside its line is refused.
func TestStaffImportResolvesRolesAsTheOrganisationSeesThem(t *testing.T) {
	db, ctx := testDB(t)
	mustExec(t, db, `INSERT INTO organisations (code, name, type) VALUES ('P', 'Parent', 'trust'), ('O', 'Other', 'trust')`)
	mustExec(t, db, `INSERT INTO organisations (code, name, type, parent_id) VALUES ('D', 'Department', 'department', (SELECT id FROM organisations WHERE code = 'P'))`)
	mustExec(t, db, `INSERT INTO job_roles (organisation_id, code, title, framework_id)
		SELECT o.id, r.code, r.code, (SELECT id FROM frameworks WHERE is_default)
		  FROM (VALUES (NULL, 'shared'), ('P', 'shared'), (NULL, 'tmpl'), ('O', 'other')) AS r (org, code)
		  LEFT JOIN organisations o ON o.code = r.org`)
	var deptID int64
	if err := db.GetContext(ctx, &deptID, `SELECT id FROM organisations WHERE code = 'D'`); err != nil {
		t.Fatal(err)
	}
	rows := []models.StaffImportRow{
		{Line: 2, Staff: models.Staff{ExternalID: "S1", Role: "shared", FTE: 1, Status: models.StaffActive}},
		{Line: 3, Staff: models.Staff{ExternalID: "S2", Role: "tmpl", FTE: 1, Status: models.StaffActive}},
		{Line: 4, Staff: models.Staff{ExternalID: "S3", Role: "other", FTE: 1, Status: models.StaffActive}},
		{Line: 5, Staff: models.Staff{ExternalID: "S4", FTE: 1, Status: models.StaffActive}},
	}
	next := func() (models.StaffImportRow, error) {
		if len(rows) == 0 {
			return models.StaffImportRow{}, io.EOF
		}
		row := rows[0]
		rows = rows[1:]
		return row, nil
	}
	report, err := db.ImportStaff(ctx, deptID, models.StaffImportOptions{Mode: models.ImportPartial}, next)
	if err != nil {
		t.Fatal(err)
	}
	if report.Inserted != 3 || len(report.Rejected) != 1 || report.Rejected[0].Line != 4 || report.Rejected[0].Errors[0].Field != "role" {
		t.Fatalf("report %+v, want S3's role refused and the rest inserted", report)
	}
	var got []struct {
		ExternalID string  `db:"external_id"`
		Owner      *string `db:"owner"`
		Role       *string `db:"role"`
	}
	if err := db.SelectContext(ctx, &got, `
		SELECT s.external_id, o.code AS owner, r.code AS role FROM staff s
		  LEFT JOIN job_roles r ON r.id = s.role_id LEFT JOIN organisations o ON o.id = r.organisation_id
		 WHERE s.organisation_id = $1 ORDER BY s.external_id`, deptID); err != nil {
		t.Fatal(err)
	}
	str := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	want := []string{"S1 P shared", "S2 - tmpl", "S4 - -"}
	if len(got) != len(want) {
		t.Fatalf("staff %+v", got)
	}
	for i, g := range got {
		if line := g.ExternalID + " " + str(g.Owner) + " " + str(g.Role); line != want[i] {
			t.Errorf("staff %d: %s, want %s", i, line, want[i])
		}
	}
}
