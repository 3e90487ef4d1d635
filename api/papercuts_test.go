package api

import (
	"strings"
	"testing"

	"cyberskills/models"
)

// The paper cuts a new user hit in their first hour (issue 20), each with its test.

func TestStaffImportListsEachBadLineOnceAndCountsRows(t *testing.T) {
	e, f := newWorkforceEnv(t)
	hr := f.tokens[models.RoleHR]
	// Line 2 is a duplicate and names an unknown role; line 3 is its duplicate: two bad
	// rows of two, not "3 of 2 rows are invalid" with line 2 listed twice.
	file := "external_id,role\nD1,no-such-role\nD1,orga-role\n"
	p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(file)).problem(400)
	if !strings.HasPrefix(p.Detail, "2 of 2 rows are invalid;") {
		t.Errorf("detail %q", p.Detail)
	}
	report := importReportOf(t, p)
	if len(report.Rejected) != 2 || report.Rejected[0].Line != 2 || report.Rejected[1].Line != 3 {
		t.Fatalf("rejected %+v, want lines 2 and 3 once each", report.Rejected)
	}
	if fields := fieldsOf(report.Rejected[0]); fields != "external_id,role" {
		t.Errorf("line 2's reasons %q, want both the duplicate and the role", fields)
	}

	one := "external_id,role\nD2,no-such-role\n"
	if p := e.as(hr, "POST", "/api/v1/organisations/ORGA/staff/import", csvBody(one)).problem(400); !strings.HasPrefix(p.Detail, "1 of 1 row is invalid;") {
		t.Errorf("detail %q", p.Detail)
	}
}

func fieldsOf(r models.RejectedRow) string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Field)
	}
	return strings.Join(out, ",")
}

func TestForbiddenNamesTheRoleWithItsArticle(t *testing.T) {
	e := newEnv(t)
	for token, want := range map[string]string{
		e.mint(models.RoleAnalyst, "", ""):            "an analyst token may not use this route",
		e.mint(models.RoleTrainer, "", "nhs-academy"): "a trainer token may not use this route",
	} {
		if p := e.as(token, "GET", "/api/v1/tokens", nil).problem(403); p.Detail != want {
			t.Errorf("detail %q, want %q", p.Detail, want)
		}
	}
	if got := models.RoleHR.WithArticle() + ", " + models.RoleAdmin.WithArticle(); got != "an hr, an admin" {
		t.Errorf("articles %q", got)
	}
}
