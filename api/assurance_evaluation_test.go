package api

import (
	"testing"

	"cyberskills/models"
	"cyberskills/models/disclosure"
)

// evaluationFixture: region R1 (ICB I1) with five trusts, region R2 (ICB I2) with two,
// whose evaluations (the share of staff in date at the first month-end of the year and
// now; the skills with a gap then and now) are known. Awareness training of 10 days ago
// also closes the clinical staff's essential secure-data gap; two people's level 3 in a
// basic skill, assessed 400 days ago and expired 20 days ago, met the trust's target then
// and not now.
var evaluationFixture = map[string]struct {
	region string
	staff  [][]b6Record
	want   models.IndicatorStatus
}{
	// The share rose (0% -> 100%), one gap fewer.
	"M1": {"R1", [][]b6Record{{{"secure-data", 1, "training", 10, 0, 0}}}, models.IndicatorMet},
	// Nothing changed: 0% both times, the same gaps.
	"M2": {"R1", [][]b6Record{nil}, models.IndicatorMet},
	// The share fell (100% -> 0%), the same gaps.
	"P1": {"R1", [][]b6Record{{{"secure-data", 1, "training", 400, 0, 0}}}, models.IndicatorPartlyMet},
	// The share rose; one gap fewer, two more.
	"P2": {"R1", [][]b6Record{
		{{"secure-data", 1, "training", 10, 0, 0}, {"firewall-config", 3, "assessment", 400, 20, 0}, {"patch-management", 3, "assessment", 400, 20, 0}},
		{{"secure-data", 1, "training", 10, 0, 0}, {"firewall-config", 3, "assessment", 400, 20, 0}, {"patch-management", 3, "assessment", 400, 20, 0}},
	}, models.IndicatorPartlyMet},
	// The share fell and one more gap.
	"N1": {"R1", [][]b6Record{
		{{"secure-data", 1, "training", 400, 0, 0}, {"firewall-config", 3, "assessment", 400, 20, 0}},
		{{"secure-data", 1, "training", 400, 0, 0}, {"firewall-config", 3, "assessment", 400, 20, 0}},
	}, models.IndicatorNotMet},
	"S1": {"R2", [][]b6Record{{{"secure-data", 1, "training", 10, 0, 0}}}, models.IndicatorMet},
	// No staff now: no share held; the same gaps.
	"S2": {"R2", nil, models.IndicatorPartlyMet},
}

func evaluationEnv(t *testing.T) (*testEnv, string) {
	t.Helper()
	e := newEnv(t)
	admin := e.admin()
	orgs := [][3]string{{"R1", "region", ""}, {"R2", "region", ""}, {"I1", "icb", "R1"}, {"I2", "icb", "R2"}}
	for code, o := range evaluationFixture {
		orgs = append(orgs, [3]string{code, "trust", map[string]string{"R1": "I1", "R2": "I2"}[o.region]})
	}
	for _, o := range orgs {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id, sector)
			VALUES ($1, $1, $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')), CASE WHEN $2 = 'trust' THEN 'acute' END)`,
			o[0], o[1], o[2]); err != nil {
			t.Fatal(err)
		}
	}
	for code, o := range evaluationFixture {
		for i, records := range o.staff {
			b6AddPerson(e, admin, b6Person{id: "S" + itoa(int64(i+1)), org: code, role: "clinical-staff", records: records})
		}
	}
	e.computeAssurance()
	return e, admin
}

// The analysts' evaluation is each organisation's own report's: the same statuses, by the
// same rule, counted by region.
func TestAssuranceStatisticsEvaluationKnownAnswers(t *testing.T) {
	e, admin := evaluationEnv(t)
	for code, o := range evaluationFixture {
		r := getJSON[models.B6Report](e, admin, "/api/v1/organisations/"+code+"/assurance/b6")
		for _, in := range r.Indicators {
			if in.Code == "evaluation" && in.Status != o.want {
				t.Errorf("%s's report: evaluation %s (%s), want %s", code, in.Status, in.Finding, o.want)
			}
		}
	}
	st := getJSON[disclosure.AssuranceStatistics](e, admin, "/api/v1/statistics/assurance?group_by=region&disclosure=none")
	ev := indicatorOf(t, st.National, "evaluation")
	// Met: M1, M2 and S1 of seven.
	if figure(ev.Organisations) != "7" || figure(ev.Meeting) != "3" || ev.Headcount != nil || ev.InDate != nil {
		t.Errorf("national evaluation: %+v", ev)
	}
	for _, g := range st.Groups {
		ev := indicatorOf(t, g.Indicators, "evaluation")
		want := map[string]string{"R1": "5 2", "R2": "2 1"}[g.Group["region"]]
		if got := figure(ev.Organisations) + " " + figure(ev.Meeting); got != want {
			t.Errorf("%s evaluation: %s, want %s", g.Group["region"], got, want)
		}
	}
}

// Under disclosure control the evaluation is withheld as every indicator is: R2's two
// trusts whole, and R1's or the nation's figures so that R2's cannot be had by subtraction.
func TestAssuranceStatisticsEvaluationDisclosureControl(t *testing.T) {
	e, _ := evaluationEnv(t)
	analyst := e.mint("analyst", "", "")
	st := getJSON[disclosure.AssuranceStatistics](e, analyst, "/api/v1/statistics/assurance?group_by=region")
	n := indicatorOf(t, st.National, "evaluation")
	for _, g := range st.Groups {
		ev := indicatorOf(t, g.Indicators, "evaluation")
		switch g.Group["region"] {
		case "R2":
			if !g.Suppressed || !ev.Organisations.Suppressed || !ev.Meeting.Suppressed || ev.ShareMeeting != nil {
				t.Errorf("R2's evaluation is published: %+v", ev)
			}
		case "R1":
			if g.Suppressed {
				t.Errorf("R1's five trusts are withheld whole: %+v", g)
			}
			if !n.Organisations.Suppressed && !ev.Organisations.Suppressed {
				t.Errorf("national %s less R1's %s gives R2's organisations", figure(n.Organisations), figure(ev.Organisations))
			}
			if !n.Meeting.Suppressed && !ev.Meeting.Suppressed {
				t.Errorf("national %s less R1's %s gives R2's meeting", figure(n.Meeting), figure(ev.Meeting))
			}
		}
	}
}
