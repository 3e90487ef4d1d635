package dashboard

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard/chart"
	"cyberskills/api/middleware"
	"cyberskills/models"
	"cyberskills/service"
)

// projectionMonths is the horizon of the projection view.
const projectionMonths = 12

// Projection is GET /dashboard/organisation/projection: the 12-month projection of
// supply against demand, a small chart per skill.
func (d *Dashboard) Projection(c *gin.Context) {
	ref, ok := d.organisation(c, "Projection")
	if !ok {
		return
	}
	pr, err := d.svc.Projection(c.Request.Context(), middleware.PrincipalOf(c), ref, service.ProjectionOptions{Months: projectionMonths})
	if err != nil {
		d.fail(c, err)
		return
	}
	bySkill := map[string][]models.ProjectedSkillMonth{}
	var skills []string
	for _, r := range pr.Rows {
		if _, seen := bySkill[r.Skill]; !seen {
			skills = append(skills, r.Skill)
		}
		bySkill[r.Skill] = append(bySkill[r.Skill], r)
	}
	skills = slices.DeleteFunc(skills, func(s string) bool {
		return !slices.ContainsFunc(bySkill[s], func(r models.ProjectedSkillMonth) bool { return r.Demand > 0 || r.Target != nil })
	})
	var charts strings.Builder
	t := &table{ID: "projection-table", Caption: "Projected supply against demand, in expected numbers of people",
		Head: []string{"Skill", "Demand now", "Supply now", "Supply in 6 months", "Demand in 12 months", "Supply in 12 months", "Months with a gap"}}
	for i, skill := range skills {
		rows := bySkill[skill]
		var x []string
		demand, supply := chart.Series{Name: "demand"}, chart.Series{Name: "supply"}
		holders := chart.Series{Name: "target holders"}
		top, gapMonths := 1.0, 0
		for _, r := range rows {
			x = append(x, r.Month.Format("Jan"))
			demand.Values = append(demand.Values, ptr(r.Demand))
			supply.Values = append(supply.Values, ptr(r.Supply))
			holders.Values = append(holders.Values, ptr(r.TargetHolders))
			top = max(top, r.Demand, r.Supply, r.TargetHolders)
			if r.Gap {
				gapMonths++
			}
		}
		series := []chart.Series{demand, supply}
		if rows[0].Target != nil {
			series = append(series, holders)
		}
		first, last := rows[0], rows[len(rows)-1]
		charts.WriteString(`<div class="multiple"><h3>` + template.HTMLEscapeString(skill) + `</h3>`)
		charts.WriteString(string(chart.Lines{ID: "projection-" + strconv.Itoa(i), Title: skill + ": projected supply and demand",
			Desc: skill + ": demand " + people(first.Demand) + " and supply " + people(first.Supply) + " now; demand " + people(last.Demand) +
				" and supply " + people(last.Supply) + " in " + strconv.Itoa(projectionMonths) + " months; a gap in " + strconv.Itoa(gapMonths) + " of the months.",
			X: x, Series: series, YMin: 0, YMax: niceCeil(top), YFormat: func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
			Width: 360, Height: 230}.SVG()))
		charts.WriteString(`</div>`)
		mid := rows[min(6, len(rows)-1)]
		t.Rows = append(t.Rows, row{Key: skill, Cells: []tcell{headCell("skill", skill), floatCell("demand_0", first.Demand, people(first.Demand)),
			floatCell("supply_0", first.Supply, people(first.Supply)), floatCell("supply_6", mid.Supply, people(mid.Supply)),
			floatCell("demand_12", last.Demand, people(last.Demand)), floatCell("supply_12", last.Supply, people(last.Supply)), intCell("gap_months", gapMonths)}})
	}
	v := view{Title: "Projection: " + ref.Code, Org: ref.Code, Forms: []form{orgForm(c, ref.Code)},
		Lead: "Supply against demand per skill over the next 12 months: evidence lapsing, enrolments completing at their pass rates, leavers leaving and funded posts filled untrained."}
	sec := section{ID: "projection", Heading: "Supply and demand by skill", Table: t, CSV: []link{{"Projection (CSV)", orgCSV(ref, "projection", "months", "12")}}}
	if len(skills) == 0 {
		sec.Empty = "No role here requires a skill and no target applies."
	} else {
		sec.Chart = template.HTML(`<div class="small-multiples">` + charts.String() + `</div>`) // charts escape their own text
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

// niceCeil is a round top for a chart's axis at or above v, so that its four steps are
// round numbers too.
func niceCeil(v float64) float64 {
	for scale := 1.0; ; scale *= 10 {
		for _, step := range []float64{0.25, 0.5, 1, 1.25, 2.5, 5} {
			if 4*step*scale >= v {
				return 4 * step * scale
			}
		}
	}
}

// Plan is GET /dashboard/organisation/plan: the proposed training plan and its cost.
func (d *Dashboard) Plan(c *gin.Context) {
	ref, ok := d.organisation(c, "Training plan")
	if !ok {
		return
	}
	horizons := []option{{Value: "6", Label: "6 months"}, {Value: "3", Label: "3 months"}, {Value: "12", Label: "12 months"}}
	horizon, _ := strconv.Atoi(pick(c.Query("horizon"), horizons))
	var budget *float64
	if b, err := strconv.ParseFloat(c.Query("budget"), 64); err == nil && b >= 0 {
		budget = &b
	}
	pl, err := d.svc.TrainingPlan(c.Request.Context(), middleware.PrincipalOf(c), ref, horizon, budget)
	if err != nil {
		d.fail(c, err)
		return
	}
	budgetText := ""
	if budget != nil {
		budgetText = num(*budget)
	}
	controls := orgForm(c, ref.Code, field{Label: "Horizon", Name: "horizon", Type: "select", Options: selected(horizons, strconv.Itoa(horizon))},
		field{Label: "Budget (optional)", Name: "budget", Type: "number", Value: budgetText, Min: "0"})
	v := view{Title: "Training plan: " + ref.Code, Org: ref.Code, Forms: []form{controls},
		Lead: "The enrolments that close the most essential needs and targets still open at the horizon, at the least cost, preferring staff closest to the level."}
	cost := "–"
	if pl.TotalCost != nil {
		cost = money(*pl.TotalCost)
	}
	optimal := "proved optimal"
	if !pl.Optimal {
		optimal = "the best found within the search's limits"
	}
	v.Cards = []card{{Key: "total_cost", Label: "Total cost", Value: cost, DataValue: numPtr(pl.TotalCost), Detail: "ranked by " + string(pl.Metric)},
		{Key: "enrolments", Label: "Enrolments", Value: strconv.Itoa(len(pl.Enrolments)), DataValue: strconv.Itoa(len(pl.Enrolments)), Detail: optimal},
		{Key: "closed", Label: "Needs and targets closed", Value: strconv.Itoa(pl.Closed), DataValue: strconv.Itoa(pl.Closed)},
		{Key: "uncovered", Label: "Left uncovered", Value: strconv.Itoa(len(pl.UncoveredNeeds) + len(pl.UncoveredTargets)),
			DataValue: strconv.Itoa(len(pl.UncoveredNeeds) + len(pl.UncoveredTargets)), Detail: "needs and targets no course closes within the budget"}}
	type courseTotal struct {
		code        string
		cost        float64
		enrolments  int
		costUnknown bool
	}
	totals := map[string]*courseTotal{}
	var order []string
	t := &table{ID: "plan-table", Caption: "Proposed enrolments", Head: []string{"Organisation", "Staff", "Course", "Cost", "Hours", "Closes"}}
	for i, e := range pl.Enrolments {
		ct := totals[e.Course]
		if ct == nil {
			ct = &courseTotal{code: e.Course}
			totals[e.Course], order = ct, append(order, e.Course)
		}
		ct.enrolments++
		if e.Cost != nil {
			ct.cost += *e.Cost
		} else {
			ct.costUnknown = true
		}
		t.Rows = append(t.Rows, tableRow(strconv.Itoa(i), headCell("organisation", e.Organisation), textCell("external_id", e.ExternalID), textCell("course", e.Course),
			tcell{Col: "cost", Text: moneyPtr(e.Cost), Value: numPtr(e.Cost), Numeric: true}, tcell{Col: "hours", Text: numOrDash(e.Hours), Value: numPtr(e.Hours), Numeric: true},
			textCell("closes", strings.Join(e.Closes, ", "))))
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(totals[b].cost, totals[a].cost) })
	var bars []chart.Bar
	top := 1.0
	for _, code := range order {
		top = max(top, totals[code].cost)
	}
	for _, code := range order {
		ct := totals[code]
		bars = append(bars, chart.Bar{Label: code, Value: ptr(ct.cost), Text: money(ct.cost) + " (" + strconv.Itoa(ct.enrolments) + " enrolments)"})
	}
	query := []string{"horizon", strconv.Itoa(horizon)}
	if budget != nil {
		query = append(query, "budget", budgetText)
	}
	sec := section{ID: "plan", Heading: "Cost by course", Table: t, CSV: []link{{"Training plan (CSV)", orgCSV(ref, "training-plan", query...)}}}
	if len(bars) == 0 {
		sec.Empty = "Nothing to propose: no open need or target that a course closes."
	} else {
		sec.Chart = chart.Bars{ID: "plan-chart", Title: "Cost of the proposed plan by course, " + ref.Code, Max: top, Items: bars,
			Desc: strconv.Itoa(len(pl.Enrolments)) + " enrolments on " + strconv.Itoa(len(order)) + " courses costing " + cost + " in all. Every enrolment is in the table below."}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

func money(f float64) string { return "£" + strconv.FormatFloat(f, 'f', -1, 64) }

func moneyPtr(f *float64) string {
	if f == nil {
		return "–"
	}
	return money(*f)
}

func numOrDash(f *float64) string {
	if f == nil {
		return "–"
	}
	return num(*f)
}
