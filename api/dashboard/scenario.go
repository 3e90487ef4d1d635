package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard/chart"
	"cyberskills/api/middleware"
	"cyberskills/models"
	"cyberskills/service"
)

// Scenario is GET and POST /dashboard/organisation/scenario: a what-if side by side
// with the baseline. GET evaluates a saved scenario (?scenario=ID, the newest by
// default); POST evaluates a simple one from the form (hire people into a role, or buy a
// skill in), storing nothing, as the API's scenarios/evaluate does.
func (d *Dashboard) Scenario(c *gin.Context) {
	ref, ok := d.organisation(c, "Scenario")
	if !ok {
		return
	}
	ctx, p := c.Request.Context(), middleware.PrincipalOf(c)
	saved, _, err := d.svc.ListScenarios(ctx, p, ref, models.Page{Limit: 100})
	if err != nil {
		d.fail(c, err)
		return
	}
	v := view{Title: "Scenario: " + ref.Code, Org: ref.Code,
		Lead: "A what-if projected over 12 months beside the baseline: how many skills have a gap each month with and without it."}
	choice := c.Query("scenario")
	if choice == "" && len(saved) > 0 {
		choice = strconv.FormatInt(saved[0].ID, 10)
	}
	var eval models.ScenarioEvaluation
	switch {
	case c.Request.Method == http.MethodPost:
		change, problem := scenarioChange(c)
		if problem != "" {
			v.Error = problem
			break
		}
		eval, err = d.svc.EvaluateScenario(ctx, p, ref, service.Scenario{Months: projectionMonths, Changes: []models.ScenarioChange{change}})
		choice = ""
	case choice != "":
		id, perr := strconv.ParseInt(choice, 10, 64)
		if perr != nil {
			err = models.Invalid(models.FieldError{Field: "scenario", Message: "must be a scenario id"})
			break
		}
		eval, err = d.svc.Scenario(ctx, p, ref, id)
	}
	if err != nil {
		if models.ErrorCode(err) != models.EINVALID {
			d.fail(c, err)
			return
		}
		v.Error, v.Fields = "The scenario cannot be evaluated.", fieldsOf(err)
	}
	v.Forms = scenarioForms(c, ref, saved, choice)
	if len(eval.Months) > 0 {
		v.Sections = scenarioSections(eval)
		if eval.Scenario != nil {
			v.Sections[0].CSV = []link{{"This comparison (CSV)", orgCSV(ref, "scenarios/"+strconv.FormatInt(eval.Scenario.ID, 10))}}
		}
	}
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusBadRequest
	}
	d.render(c, status, "view.html", v)
}

// scenarioChange reads the one change of the simple form.
func scenarioChange(c *gin.Context) (models.ScenarioChange, string) {
	ch := models.ScenarioChange{Type: c.PostForm("change"), From: c.PostForm("from")}
	switch ch.Type {
	case "hire":
		ch.Role = strings.TrimSpace(c.PostForm("role"))
		n, err := strconv.Atoi(c.PostForm("count"))
		if err != nil || ch.Role == "" {
			return ch, "A hire needs a role code and a number of people."
		}
		ch.Count = n
	case "outsource":
		ch.Skill, ch.Provider = strings.TrimSpace(c.PostForm("skill")), strings.TrimSpace(c.PostForm("provider"))
		if ch.Skill == "" || ch.Provider == "" {
			return ch, "Buying a skill in needs the skill's code and a provider."
		}
	default:
		return ch, "Choose a change: hire or buy a skill in."
	}
	return ch, ""
}

func scenarioForms(c *gin.Context, ref models.OrgRef, saved []models.SavedScenario, choice string) []form {
	out := []form{orgForm(c, ref.Code)}
	if len(saved) > 0 {
		opts := make([]option, len(saved))
		for i, s := range saved {
			id := strconv.FormatInt(s.ID, 10)
			opts[i] = option{Value: id, Label: s.Name, Selected: id == choice}
		}
		out = append(out, form{ID: "saved", Legend: "A saved scenario", Action: Prefix + "/organisation/scenario", Method: "get", Submit: "Compare",
			Fields: []field{{Name: "org", Type: "hidden", Value: ref.Code}, {Label: "Scenario", Name: "scenario", Type: "select", Options: opts}}})
	}
	changes := []option{{Value: "hire", Label: "Hire people into a role"}, {Value: "outsource", Label: "Buy a skill in from a provider"}}
	out = append(out, form{ID: "what-if", Legend: "Or try a simple what-if (nothing is saved)", Action: Prefix + "/organisation/scenario?org=" + url.QueryEscape(ref.Code),
		Method: "post", Submit: "Evaluate", Fields: []field{
			{Label: "Change", Name: "change", Type: "select", Options: selected(changes, c.PostForm("change"))},
			{Label: "Role code (hire)", Name: "role", Type: "text", Value: c.PostForm("role")},
			{Label: "People (hire)", Name: "count", Type: "number", Value: c.DefaultPostForm("count", "1"), Min: "1", Max: "1000"},
			{Label: "Skill code (buy in)", Name: "skill", Type: "text", Value: c.PostForm("skill")},
			{Label: "Provider (buy in)", Name: "provider", Type: "text", Value: c.PostForm("provider")},
			{Label: "From month", Name: "from", Type: "month", Value: c.PostForm("from"), Hint: "Default: next month."}}})
	return out
}

// scenarioSections draws the months' gap counts with and without the scenario, and the
// skills at the horizon side by side.
func scenarioSections(e models.ScenarioEvaluation) []section {
	var x []string
	base, with := chart.Series{Name: "baseline"}, chart.Series{Name: "with the scenario"}
	top := 1.0
	months := &table{ID: "scenario-months", Caption: "Skills with a gap each month", Head: []string{"Month", "Baseline", "With the scenario"}}
	for _, m := range e.Months {
		x = append(x, m.Month)
		base.Values = append(base.Values, ptr(float64(m.BaselineGaps)))
		with.Values = append(with.Values, ptr(float64(m.ScenarioGaps)))
		top = max(top, float64(m.BaselineGaps), float64(m.ScenarioGaps))
		months.Rows = append(months.Rows, tableRow(m.Month, headCell("month", m.Month), intCell("baseline_gaps", m.BaselineGaps), intCell("scenario_gaps", m.ScenarioGaps)))
	}
	first, last := e.Months[0], e.Months[len(e.Months)-1]
	name := "The scenario"
	if e.Scenario != nil {
		name = e.Scenario.Name
	}
	lines := chart.Lines{ID: "scenario-chart", Title: name + ": skills with a gap each month, baseline and scenario", X: x,
		Series: []chart.Series{base, with}, YMin: 0, YMax: niceCeil(top), YFormat: func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
		Desc: "Baseline: " + strconv.Itoa(first.BaselineGaps) + " skills with a gap in " + first.Month + ", " + strconv.Itoa(last.BaselineGaps) + " in " + last.Month +
			". With the scenario: " + strconv.Itoa(first.ScenarioGaps) + " then " + strconv.Itoa(last.ScenarioGaps) + "."}
	horizon := &table{ID: "scenario-skills", Caption: "Each skill in " + last.Month + ", baseline and scenario (expected people)",
		Head: []string{"Skill", "Demand (baseline)", "Supply (baseline)", "Gap (baseline)", "Demand (scenario)", "Supply (scenario)", "Gap (scenario)"}}
	for _, r := range e.Rows {
		if r.Month != last.Month || r.Baseline.Demand == 0 && r.Scenario.Demand == 0 && !r.Baseline.Gap && !r.Scenario.Gap {
			continue
		}
		horizon.Rows = append(horizon.Rows, tableRow(r.Skill, headCell("skill", r.Skill),
			floatCell("baseline_demand", r.Baseline.Demand, people(r.Baseline.Demand)), floatCell("baseline_supply", r.Baseline.Supply, people(r.Baseline.Supply)),
			yesNo("baseline_gap", r.Baseline.Gap), floatCell("scenario_demand", r.Scenario.Demand, people(r.Scenario.Demand)),
			floatCell("scenario_supply", r.Scenario.Supply, people(r.Scenario.Supply)), yesNo("scenario_gap", r.Scenario.Gap)))
	}
	return []section{
		{ID: "scenario", Heading: name + " beside the baseline", Chart: lines.SVG(), Table: months},
		{ID: "scenario-horizon", Heading: "Skills at the horizon", Table: horizon},
	}
}
