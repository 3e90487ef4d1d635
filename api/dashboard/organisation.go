package dashboard

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard/chart"
	"cyberskills/api/middleware"
	"cyberskills/models"
	"cyberskills/service"
)

// The hr views are about one organisation and everything below it: an hr token's own
// by default (or a unit below it, ?org=), any for admins. Each reads the same scoped
// service call as the API route of the same report: outside the scope it is not found.

// organisation resolves the organisation a view is about within the caller's scope, or
// answers the page itself (a chooser for admins, not found outside the scope).
func (d *Dashboard) organisation(c *gin.Context, title string) (models.OrgRef, bool) {
	p := middleware.PrincipalOf(c)
	code := strings.TrimSpace(c.Query("org"))
	if code == "" {
		code = p.OrgCode
	}
	if code == "" {
		d.render(c, http.StatusOK, "view.html", view{Title: title, Forms: []form{orgForm(c, "")},
			Lead: "Choose the organisation to look at: its figures cover it and everything below it."})
		return models.OrgRef{}, false
	}
	ref, err := d.svc.Organisation(c.Request.Context(), p, code)
	if err != nil {
		d.fail(c, err)
		return models.OrgRef{}, false
	}
	return ref, true
}

// orgForm picks the organisation (a unit below an hr token's, or any for admins) and
// keeps the view's other choices.
func orgForm(c *gin.Context, code string, extra ...field) form {
	fields := append([]field{{Label: "Organisation code", Name: "org", Type: "text", Value: code,
		Hint: "Yours or one below it; the figures cover everything below it."}}, extra...)
	return form{ID: "organisation", Legend: "Organisation", Action: c.Request.URL.Path, Method: "get", Submit: "Show", Fields: fields}
}

func orgCSV(ref models.OrgRef, report string, query ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(query); i += 2 {
		q.Set(query[i], query[i+1])
	}
	href := Prefix + "/csv/organisations/" + url.PathEscape(ref.Code) + "/" + report
	if len(q) > 0 {
		href += "?" + q.Encode()
	}
	return href
}

// Gaps is GET /dashboard/organisation: the gap report's summary.
func (d *Dashboard) Gaps(c *gin.Context) {
	ref, ok := d.organisation(c, "Gap summary")
	if !ok {
		return
	}
	r, err := d.svc.GapReport(c.Request.Context(), middleware.PrincipalOf(c), ref, service.GapOptions{Basis: models.BasisVerified})
	if err != nil {
		d.fail(c, err)
		return
	}
	v := view{Title: "Gap summary: " + ref.Code, Org: ref.Code, Forms: []form{orgForm(c, ref.Code)},
		Lead: "Where " + ref.Code + " and everything below it fall short of what its roles need and its capability targets ask, on verified evidence."}
	for _, m := range []struct {
		key, label string
		gap        bool
	}{{"basic_skills_gap", "Basic skills gap", r.BasicSkillsGap}, {"incident_response_gap", "Incident response gap", r.IncidentResponse},
		{"advanced_skills_gap", "Advanced skills gap", r.AdvancedSkillsGap}} {
		value, detail := "No", "no skill of the tier has a gap"
		if m.gap {
			value, detail = "Yes", strconv.Itoa(tierGaps(r, m.key))+" skills of the tier have a gap"
		}
		v.Cards = append(v.Cards, card{Key: m.key, Label: m.label, Value: value, DataValue: strconv.FormatBool(m.gap), Detail: detail})
	}
	lines := slices.Clone(r.Skills)
	lines = slices.DeleteFunc(lines, func(l models.SkillGapLine) bool { return l.Demand == 0 && l.Target == nil })
	slices.SortStableFunc(lines, func(a, b models.SkillGapLine) int {
		return cmp.Or(cmp.Compare(b.Shortfall, a.Shortfall), cmp.Compare(b.Risk, a.Risk))
	})
	var bars []chart.Bar
	t := &table{ID: "gaps-table", Caption: "Skills of " + ref.Code + " with demand or a target",
		Head: []string{"Skill", "Tier", "Demand", "Supply", "Shortfall", "Coverage", "Target", "Holders", "Gap", "Risk"}}
	for _, l := range lines {
		flag := ""
		if l.Gap {
			flag = "gap"
		}
		bars = append(bars, chart.Bar{Label: l.Name, Value: coverPct(l.Coverage), Text: ratioPct(l.Coverage), Flag: flag})
		target := "–"
		if l.Target != nil {
			target = strconv.Itoa(l.Target.MinHeadcount) + " at level " + strconv.Itoa(l.Target.MinLevel)
		}
		t.Rows = append(t.Rows, row{Key: l.Skill, Cells: []tcell{headCell("skill", l.Name), textCell("tier", l.Tier), intCell("demand", l.Demand),
			intCell("supply", l.Supply), intCell("shortfall", l.Shortfall), tcell{Col: "coverage", Text: ratioPct(l.Coverage), Value: numPtr(l.Coverage), Numeric: true},
			textCell("target", target), intCell("target_holders", l.TargetHolders), yesNo("gap", l.Gap), floatCell("risk", l.Risk, strconv.FormatFloat(l.Risk, 'f', 2, 64))}})
	}
	sec := section{ID: "coverage", Heading: "Requirements met, by skill", Table: t,
		Intro: "Coverage is the share of staff whose role requires a skill who meet the level; \"gap\" marks a skill with an unmet essential requirement or target.",
		CSV:   []link{{"Gap report (CSV)", orgCSV(ref, "gaps")}}}
	if len(bars) == 0 {
		sec.Empty = "No role here requires a skill and no target applies."
	} else {
		sec.Chart = chart.Bars{ID: "coverage-chart", Title: "Coverage of role requirements by skill, " + ref.Code, Max: 100, Items: bars,
			Desc: strconv.Itoa(countGaps(lines)) + " of " + strconv.Itoa(len(lines)) + " skills have a gap; bars show the share of requirements met, skills with the largest shortfall first."}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

func ptr(f float64) *float64 { return &f }

func coverPct(f *float64) *float64 {
	if f == nil {
		return nil
	}
	return ptr(*f * 100)
}

func tierGaps(r models.GapReport, measure string) int {
	tier := map[string]string{"basic_skills_gap": "basic", "incident_response_gap": "incident_response", "advanced_skills_gap": "advanced"}[measure]
	for _, t := range r.Tiers {
		if t.Tier == tier {
			return t.SkillsWithGap
		}
	}
	return 0
}

func countGaps(lines []models.SkillGapLine) int {
	n := 0
	for _, l := range lines {
		if l.Gap {
			n++
		}
	}
	return n
}

// Matrix is GET /dashboard/organisation/matrix: role x skill coverage as a heat map.
func (d *Dashboard) Matrix(c *gin.Context) {
	ref, ok := d.organisation(c, "Role × skill")
	if !ok {
		return
	}
	m, err := d.svc.GapMatrix(c.Request.Context(), middleware.PrincipalOf(c), ref, service.GapOptions{Basis: models.BasisVerified})
	if err != nil {
		d.fail(c, err)
		return
	}
	cells := make([][]chart.HeatCell, len(m.Roles))
	for i := range cells {
		cells[i] = make([]chart.HeatCell, len(m.Skills))
	}
	t := &table{ID: "matrix-table", Caption: "Coverage of each role's requirements", Head: []string{"Role", "Skill", "Required level", "Demand", "Supply", "Coverage"}}
	for _, x := range m.Cells {
		i, j := slices.Index(m.Roles, x.Role), slices.Index(m.Skills, x.Skill)
		if i >= 0 && j >= 0 {
			cells[i][j] = chart.HeatCell{Value: orZero(coverPct(x.Coverage)), Label: ratioPct(x.Coverage),
				Tooltip: x.Role + ", " + x.Skill + ": " + strconv.Itoa(x.Supply) + " of " + strconv.Itoa(x.Demand) + " meet level " + strconv.Itoa(x.RequiredLevel)}
		}
		t.Rows = append(t.Rows, row{Key: x.Role + "|" + x.Skill, Cells: []tcell{headCell("role", x.Role), textCell("skill", x.Skill),
			intCell("required_level", x.RequiredLevel), intCell("demand", x.Demand), intCell("supply", x.Supply),
			tcell{Col: "coverage", Text: ratioPct(x.Coverage), Value: numPtr(x.Coverage), Numeric: true}}})
	}
	v := view{Title: "Role × skill: " + ref.Code, Org: ref.Code, Forms: []form{orgForm(c, ref.Code)},
		Lead: "For each role and each skill it requires, the share of its holders who meet the required level. Darker is better covered."}
	sec := section{ID: "matrix", Heading: "Coverage by role and skill", Table: t, CSV: []link{{"Matrix (CSV)", orgCSV(ref, "gaps/matrix")}}}
	if len(m.Cells) == 0 {
		sec.Empty = "No role held here requires a skill."
	} else {
		sec.Chart = chart.Heatmap{ID: "matrix-chart", Title: "Coverage of requirements by role and skill, " + ref.Code,
			Desc: strconv.Itoa(len(m.Roles)) + " roles by " + strconv.Itoa(len(m.Skills)) + " skills; " + strconv.Itoa(len(m.Cells)) +
				" requirements. Every figure is in the table below.",
			Rows: m.Roles, Cols: m.Skills, Cells: cells, Scale: chart.Scale{Min: 0, Max: 100}, ScaleLabel: "Share of holders meeting the level (%)",
			FormatStep: func(v float64) string { return strconv.Itoa(int(v+0.5)) + "%" }, EmptyLabel: "not required"}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

func orZero(f *float64) *float64 {
	if f == nil {
		return ptr(0)
	}
	return f
}

// expiringWindow is how far ahead the expiring view looks.
const expiringWindow = 90 * 24 * time.Hour

// Expiring is GET /dashboard/organisation/expiring: certificates and time-limited
// training lapsing in the next 90 days, on a timeline by skill. It names staff by
// external id, so it is a staff-level read, recorded in the audit trail as the API's is.
func (d *Dashboard) Expiring(c *gin.Context) {
	ref, ok := d.organisation(c, "Expiring")
	if !ok {
		return
	}
	list, err := d.svc.Expiring(c.Request.Context(), middleware.PrincipalOf(c), ref, expiringWindow)
	if err != nil {
		d.fail(c, err)
		return
	}
	var skills []string
	var events []chart.Event
	t := &table{ID: "expiring-table", Caption: "Levels lapsing in the next 90 days, soonest first",
		Head: []string{"Lapses on", "Organisation", "Staff", "Skill", "Level", "Level after", "Opens a role gap", "Opens a target gap"}}
	gaps := 0
	for i, l := range list.Items {
		row := slices.Index(skills, l.Skill)
		if row < 0 {
			skills, row = append(skills, l.Skill), len(skills)
		}
		events = append(events, chart.Event{Row: row, At: l.LapsesAt, Marked: l.OpensRoleGap || l.OpensTargetGap})
		if l.OpensRoleGap || l.OpensTargetGap {
			gaps++
		}
		t.Rows = append(t.Rows, tableRow(strconv.Itoa(i), headCell("lapses_at", l.LapsesAt.Format("2006-01-02")), textCell("organisation", l.Organisation),
			textCell("external_id", l.ExternalID), textCell("skill", l.Skill), intCell("level", l.Level), intCell("level_after", l.LevelAfter),
			yesNo("opens_role_gap", l.OpensRoleGap), yesNo("opens_target_gap", l.OpensTargetGap)))
	}
	v := view{Title: "Expiring: " + ref.Code, Org: ref.Code, Forms: []form{orgForm(c, ref.Code)},
		Lead: "Certificates and time-limited training that lapse in the next 90 days, and whether each lapse opens a gap."}
	v.Cards = []card{{Key: "lapses", Label: "Lapsing in 90 days", Value: strconv.Itoa(len(list.Items)), DataValue: strconv.Itoa(len(list.Items))},
		{Key: "opening_gaps", Label: "Opening a gap", Value: strconv.Itoa(gaps), DataValue: strconv.Itoa(gaps), Detail: "a role requirement or a target no longer met"}}
	sec := section{ID: "timeline", Heading: "Lapses by skill and week", Table: t, CSV: []link{{"Expiring (CSV)", orgCSV(ref, "expiring", "within", "90d")}}}
	if len(events) == 0 {
		sec.Empty = "Nothing lapses in the next 90 days."
	} else {
		sec.Chart = chart.Timeline{ID: "timeline-chart", Title: "Lapses in the next 90 days by skill, " + ref.Code, Rows: skills,
			Start: list.From, Days: 90, Events: events, MarkedLabel: "a lapse that week opens a gap", PlainLabel: "no lapse that week opens a gap",
			Desc: strconv.Itoa(len(list.Items)) + " levels lapse in " + strconv.Itoa(len(skills)) + " skills between " + list.From.Format("2 January 2006") +
				" and " + list.To.Format("2 January 2006") + "; " + strconv.Itoa(gaps) + " of them open a gap. Every lapse is in the table below."}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

func tableRow(key string, cells ...tcell) row { return row{Key: key, Cells: cells} }
