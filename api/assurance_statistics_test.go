package api

import (
	"strings"
	"testing"
	"time"

	"cyberskills/models/clocktest"
	"cyberskills/models/disclosure"
)

// assuranceStatisticsFixture: region R1 (ICB I1) with six trusts, region R2 (ICB I2) with
// two. T1-T3 and U1 have their one member of staff in date (awareness met); T4-T6's
// have never been trained; U2 has no staff (awareness not met). No trust has key role
// holders, so none meets the training needs analysis or key roles indicators.
func assuranceStatisticsFixture(t *testing.T) (*testEnv, string) {
	t.Helper()
	e := newEnv(t)
	admin := e.admin()
	orgs := [][3]string{{"R1", "region", ""}, {"R2", "region", ""}, {"I1", "icb", "R1"}, {"I2", "icb", "R2"}}
	for _, c := range []string{"T1", "T2", "T3", "T4", "T5", "T6"} {
		orgs = append(orgs, [3]string{c, "trust", "I1"})
	}
	orgs = append(orgs, [3]string{"U1", "trust", "I2"}, [3]string{"U2", "trust", "I2"})
	for _, o := range orgs {
		if _, err := e.db.Exec(`INSERT INTO organisations (code, name, type, parent_id, sector)
			VALUES ($1, $1, $2, (SELECT id FROM organisations WHERE code = NULLIF($3, '')), CASE WHEN $2 = 'trust' THEN 'acute' END)`,
			o[0], o[1], o[2]); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"T1", "T2", "T3", "T4", "T5", "T6", "U1"} {
		path := "/api/v1/organisations/" + c + "/staff/S1"
		e.as(admin, "PUT", path, map[string]any{"role": "clinical-staff"}).expect(201)
		if c <= "T3" || c == "U1" {
			e.as(admin, "POST", path+"/evidence", map[string]any{"skill": "secure-data", "level": 1, "source": "training",
				"assessed_at": clocktest.Days(-10).Format(time.RFC3339)}).expect(201)
		}
	}
	e.computeAssurance()
	return e, admin
}

func indicatorOf(t *testing.T, shares []disclosure.IndicatorShare, code string) disclosure.IndicatorShare {
	t.Helper()
	for _, s := range shares {
		if s.Indicator == code {
			return s
		}
	}
	t.Fatalf("no %s in %+v", code, shares)
	return disclosure.IndicatorShare{}
}

func figure(f disclosure.Figure) string {
	if f.Suppressed {
		return "suppressed"
	}
	if f.Value == nil {
		return "none"
	}
	return itoa(int64(*f.Value))
}

func TestAssuranceStatisticsRawFigures(t *testing.T) {
	e, admin := assuranceStatisticsFixture(t)
	st := getJSON[disclosure.AssuranceStatistics](e, admin, "/api/v1/statistics/assurance?group_by=region&disclosure=none")
	if st.Metadata.DisclosureControl || len(st.Groups) != 2 {
		t.Fatalf("raw figures: %+v", st)
	}
	aw := indicatorOf(t, st.National, "awareness")
	if figure(aw.Organisations) != "8" || figure(aw.Meeting) != "4" || aw.ShareMeeting == nil || *aw.ShareMeeting != 50 ||
		figure(*aw.Headcount) != "7" || figure(*aw.InDate) != "4" {
		t.Errorf("national awareness: %+v", aw)
	}
	for _, g := range st.Groups {
		aw := indicatorOf(t, g.Indicators, "awareness")
		want := map[string]string{"R1": "6 3", "R2": "2 1"}[g.Group["region"]]
		if got := figure(aw.Organisations) + " " + figure(aw.Meeting); got != want {
			t.Errorf("%s awareness: %s, want %s", g.Group["region"], got, want)
		}
		if tna := indicatorOf(t, g.Indicators, "training_needs_analysis"); figure(tna.Meeting) != "0" || tna.Headcount != nil {
			t.Errorf("%s training needs analysis: %+v", g.Group["region"], tna)
		}
	}
}

// Analysts' figures are published as the skills gap statistics are: R2's two trusts are
// withheld whole, and no withheld figure can be had by subtracting published ones.
func TestAssuranceStatisticsDisclosureControl(t *testing.T) {
	e, _ := assuranceStatisticsFixture(t)
	analyst := e.mint("analyst", "", "")
	e.as(analyst, "GET", "/api/v1/statistics/assurance?disclosure=none", nil).problem(400)
	e.as(analyst, "GET", "/api/v1/statistics/assurance?group_by=region&region=R1", nil).problem(400)
	for _, dim := range []string{"region", "icb"} {
		st := getJSON[disclosure.AssuranceStatistics](e, analyst, "/api/v1/statistics/assurance?group_by="+dim)
		if !st.Metadata.DisclosureControl || len(st.Metadata.Rules) == 0 {
			t.Errorf("by %s: no disclosure control stated: %+v", dim, st.Metadata)
		}
		var big, small *disclosure.AssuranceGroup
		for i, g := range st.Groups {
			switch g.Group[dim] {
			case "R1", "I1":
				big = &st.Groups[i]
			case "R2", "I2":
				small = &st.Groups[i]
			}
		}
		if big == nil || small == nil || !small.Suppressed || big.Suppressed {
			t.Fatalf("by %s: groups %+v", dim, st.Groups)
		}
		for _, code := range []string{"training_needs_analysis", "awareness", "key_roles", "evaluation"} {
			n, b, s := indicatorOf(t, st.National, code), indicatorOf(t, big.Indicators, code), indicatorOf(t, small.Indicators, code)
			if !s.Organisations.Suppressed || !s.Meeting.Suppressed || s.ShareMeeting != nil {
				t.Errorf("by %s, %s: the small group is published: %+v", dim, code, s)
			}
			if !n.Meeting.Suppressed && !b.Meeting.Suppressed {
				t.Errorf("by %s, %s: national %s less %s %s gives the small group's meeting", dim, code, figure(n.Meeting), dim, figure(b.Meeting))
			}
			if !n.Organisations.Suppressed && !b.Organisations.Suppressed {
				t.Errorf("by %s, %s: national %s less %s gives the small group's organisations", dim, code, figure(n.Organisations), figure(b.Organisations))
			}
			// Staff counts of 1 to 7 are withheld.
			for _, f := range []*disclosure.Figure{n.Headcount, n.InDate, b.Headcount, b.InDate} {
				if f != nil && !f.Suppressed && f.Value != nil && *f.Value > 0 && *f.Value < 8 {
					t.Errorf("by %s, %s: a staff count of %d is published", dim, code, *f.Value)
				}
			}
		}
	}
	csv := e.as(analyst, "GET", "/api/v1/statistics/assurance?group_by=sector&format=csv", nil).expect(200).Body.String()
	if !strings.HasPrefix(csv, "group,label,indicator,organisations,meeting,share_meeting,headcount,in_date,as_of\n") ||
		strings.Count(csv, "\n") != 1+4+4 {
		t.Errorf("CSV:\n%s", csv)
	}
}
