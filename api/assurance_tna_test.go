package api

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"cyberskills/models"
)

// TestB6ReportTrainingNeedsAnalysis: the report's training needs analysis on the known
// fixture (b6Fixture): every staff group with the requirement in force, its reason, the
// roles held here that carry it, how many are appointed to it by name and its headcount;
// every role held with its holders and the groups whose requirements apply to them.
func TestB6ReportTrainingNeedsAnalysis(t *testing.T) {
	e, admin := b6Fixture(t)
	tna := getJSON[models.B6Report](e, admin, "/api/v1/organisations/TR1/assurance/b6").TNA

	var groups []string
	for _, g := range tna.Groups {
		if g.Reason == "" || g.Title == "" || g.RefreshMonths != 12 || g.Source != "default" {
			t.Errorf("%s states no reason or title, or not the default's 12 months: %+v", g.Audience, g)
		}
		if want := b6Requirements[g.Audience]; g.Skill != want.skill || g.Level != want.level {
			t.Errorf("%s requires %s at %d, want %s at %d", g.Audience, g.Skill, g.Level, want.skill, want.level)
		}
		groups = append(groups, fmt.Sprintf("%s roles [%s] appointed %d headcount %d", g.Audience, strings.Join(g.Roles, " "), g.Appointed, g.Headcount))
	}
	// P7 is SIRO and DPO by appointment and IG lead by role; P6's role carries two key
	// roles; nobody is Caldicott Guardian; 9 staff in all (P9 has left).
	expectLines(t, "staff groups", groups, []string{
		"all_staff roles [] appointed 0 headcount 9",
		"siro roles [] appointed 1 headcount 1",
		"caldicott_guardian roles [] appointed 0 headcount 0",
		"dpo roles [] appointed 1 headcount 1",
		"ig_lead roles [information-governance-lead] appointed 0 headcount 1",
		"it_security roles [network-engineer] appointed 0 headcount 1",
		"privileged_user roles [network-engineer] appointed 0 headcount 1",
	})

	var roles []string
	for _, r := range tna.Roles {
		if r.Title == "" {
			t.Errorf("role %s has no title", r.Role)
		}
		roles = append(roles, fmt.Sprintf("%s headcount %d requires %v", r.Role, r.Headcount, r.Requires))
	}
	slices.Sort(roles)
	expectLines(t, "roles held", roles, []string{
		"clinical-staff headcount 7 requires [all_staff]",
		"information-governance-lead headcount 1 requires [all_staff ig_lead]",
		"network-engineer headcount 1 requires [all_staff it_security privileged_user]",
	})
}
