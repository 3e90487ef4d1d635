package api

import (
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/service"
)

func projectionCSV(p models.Projection) ([]string, [][]cell) {
	rows := make([][]cell, len(p.Rows))
	for i, r := range p.Rows {
		rows[i] = []cell{text(p.Organisation), text(r.Month.Format("2006-01")), text(r.Skill), floatCell(&r.Demand), floatCell(&r.Supply),
			floatCell(&r.Shortfall), floatCell(&r.EssentialShortfall), floatCell(&r.TargetHolders), boolCell(r.CoveredExternally), boolCell(r.Gap),
			intPtrCell(r.OrganisationsWithGap)}
	}
	return []string{"organisation", "month", "skill", "demand", "supply", "shortfall", "essential_shortfall",
		"target_holders", "covered_externally", "gap", "organisations_with_gap"}, rows
}

// scenarioCSV writes a scenario's comparison: a row per month and skill, the baseline's
// figures beside the scenario's.
func scenarioCSV(e models.ScenarioEvaluation) ([]string, [][]cell) {
	figures := func(f models.ProjectedFigures) []cell {
		return []cell{floatCell(&f.Demand), floatCell(&f.Supply), floatCell(&f.Shortfall), floatCell(&f.Holders), boolCell(f.Covered), boolCell(f.Gap)}
	}
	names := []string{"demand", "supply", "shortfall", "target_holders", "covered_externally", "gap"}
	header := []string{"organisation", "month", "skill"}
	for _, side := range []string{"baseline_", "scenario_"} {
		for _, n := range names {
			header = append(header, side+n)
		}
	}
	rows := make([][]cell, len(e.Rows))
	for i, r := range e.Rows {
		rows[i] = append(append([]cell{text(e.Organisation), text(r.Month), text(r.Skill)}, figures(r.Baseline)...), figures(r.Scenario)...)
	}
	return header, rows
}

// trainingPlanCSV writes a plan's proposed enrolments, one a row; what each closes is
// space-separated (need:skill, target:skill).
func trainingPlanCSV(p models.TrainingPlan) ([]string, [][]cell) {
	rows := make([][]cell, len(p.Enrolments))
	for i, e := range p.Enrolments {
		rows[i] = []cell{text(e.Organisation), text(e.ExternalID), text(e.Course), floatCell(e.Cost), floatCell(e.Hours),
			text(strings.Join(e.Closes, " "))}
	}
	return []string{"organisation", "external_id", "course", "cost", "hours", "closes"}, rows
}

// getProjection godoc
// @Summary      Project the skills position month by month
// @Description  For each month ahead and each skill: expected demand, supply, shortfall, target holders and gap. It accounts for evidence that expires, open enrolments completing (weighted by the course's observed pass rate, or DEFAULT_PASS_RATE without history), staff leaving on their end date, and posts funded from future establishment periods, filled untrained on their start month (with include_vacancies, today's vacancies too). Covers the organisation and everything below it; with include_descendants, each row also counts the organisations below with a gap that month, each judged on its own subtree, targets and coverage, as the gap report does. Row 0 is now; month m is evaluated at its last instant. Figures are expected numbers of people; a gap is judged on them rounded to whole people. See README "Planning".
// @ID           getProjection
// @Tags         planning
// @Produce      json,text/csv
// @Param        code               path      string  true   "Organisation code"
// @Param        months             query     int     false  "Months ahead (1-60, default 12)"
// @Param        include_vacancies  query     bool    false  "Fill today's vacancies untrained from the start"
// @Param        include_descendants  query   bool    false  "Also count, per month and skill, the organisations below with a gap (each on its own subtree); the organisation then has a gap where any below has (at most 500 below)"
// @Param        format             query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200                {object}  models.Projection
// @Failure      400                {object}  problem.Problem
// @Failure      403                {object}  problem.Problem
// @Failure      404                {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,month,skill,demand,supply,shortfall,essential_shortfall,target_holders,covered_externally,gap,organisations_with_gap"
// @Router       /api/v1/organisations/{code}/projection [get]
func (s *Server) getProjection(c *gin.Context) (reply, error) {
	q := queryParams(c)
	o := service.ProjectionOptions{Months: q.intRange("months", 12, 1, 60), IncludeVacancies: q.boolean("include_vacancies", false),
		IncludeDescendants: q.boolean("include_descendants", false)}
	q.oneOf("format", "json", "json", "csv")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	p, err := s.svc.Projection(c.Request.Context(), principal(c), organisationOf(c), o)
	return ok(tabular(p, projectionCSV)), err
}

// ScenarioBody is a what-if: changes to evaluate over the horizon.
type ScenarioBody struct {
	Name             string                  `json:"name,omitempty" example:"Outsource monitoring, train two engineers"` // to save
	Description      string                  `json:"description,omitempty"`
	Months           int                     `json:"months,omitempty" example:"12"` // default 12, at most 60
	IncludeVacancies bool                    `json:"include_vacancies,omitempty"`
	Changes          []models.ScenarioChange `json:"changes"`
}

// Validate checks the parts that need no data.
func (b *ScenarioBody) Validate() error {
	var v models.Validator
	if b.Months == 0 {
		b.Months = 12
	}
	v.Check(b.Months >= 1 && b.Months <= 60, "months", "must be from 1 to 60")
	v.Check(len(b.Changes) <= 500, "changes", "at most 500 changes")
	v.Check(len(b.Name) <= 200, "name", "must be at most 200 characters")
	return v.Err()
}

func (b ScenarioBody) scenario() service.Scenario {
	return service.Scenario{Months: b.Months, IncludeVacancies: b.IncludeVacancies, Changes: b.Changes}
}

// evaluateScenario godoc
// @Summary      Evaluate a what-if scenario
// @Description  Projects the organisation with and without hypothetical changes, side by side, storing nothing. Changes: enrol a person on a course (completing in month from, weighted by the course's pass rate), hire count people into a role from a month (untrained), a person leaving in a month, outsourcing a skill to a provider from a month (until a month). Unknown people, courses, roles and bad months are named by change.
// @ID           evaluateScenario
// @Tags         planning
// @Accept       json
// @Produce      json,text/csv
// @Param        code    path      string        true   "Organisation code"
// @Param        format  query     string        false  "csv for CSV (or Accept: text/csv): a row per month and skill, baseline beside scenario"  Enums(json,csv)
// @Param        body    body      ScenarioBody  true   "The changes"
// @Success      200   {object}  models.ScenarioEvaluation
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,month,skill,baseline_demand,baseline_supply,baseline_shortfall,baseline_target_holders,baseline_covered_externally,baseline_gap,scenario_demand,scenario_supply,scenario_shortfall,scenario_target_holders,scenario_covered_externally,scenario_gap"
// @Router       /api/v1/organisations/{code}/scenarios/evaluate [post]
func (s *Server) evaluateScenario(c *gin.Context) (reply, error) {
	if err := csvOrJSON(c); err != nil {
		return reply{}, err
	}
	var body ScenarioBody
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	out, err := s.svc.EvaluateScenario(c.Request.Context(), principal(c), organisationOf(c), body.scenario())
	return ok(tabular(out, scenarioCSV)), err
}

// saveScenario godoc
// @Summary      Save a scenario
// @Description  Stores a named what-if for later comparison, after checking that its changes apply.
// @ID           saveScenario
// @Tags         planning
// @Accept       json
// @Produce      json
// @Param        code  path      string        true  "Organisation code"
// @Param        body  body      ScenarioBody  true  "The scenario; name is required"
// @Success      201   {object}  models.SavedScenario
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/scenarios [post]
func (s *Server) saveScenario(c *gin.Context) (reply, error) {
	var body ScenarioBody
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	saved, err := s.svc.SaveScenario(c.Request.Context(), principal(c), organisationOf(c), models.SavedScenario{
		Name: body.Name, Description: body.Description, Months: body.Months, IncludeVacancies: body.IncludeVacancies,
		Changes: body.Changes})
	return created(saved), err
}

// listScenarios godoc
// @Summary      List saved scenarios
// @Description  The saved what-if scenarios of the organisation, newest first, a page at a time; GET .../scenarios/{id} evaluates one against today's data.
// @ID           listScenarios
// @Tags         planning
// @Produce      json
// @Param        code    path      string  true   "Organisation code"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.SavedScenario]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/scenarios [get]
func (s *Server) listScenarios(c *gin.Context) (reply, error) {
	q := queryParams(c)
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.ListScenarios(c.Request.Context(), principal(c), organisationOf(c), page)
	return pageOf(items, next), err
}

// getScenario godoc
// @Summary      A saved scenario, evaluated now
// @Description  The scenario and its comparison against today's data. As CSV, a row per month and skill, the baseline's figures beside the scenario's.
// @ID           getScenario
// @Tags         planning
// @Produce      json,text/csv
// @Param        code    path      string  true   "Organisation code"
// @Param        id      path      int     true   "Scenario id"
// @Param        format  query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200   {object}  models.ScenarioEvaluation
// @Failure      400   {object}  problem.Problem  "The scenario no longer applies (someone left, a course was retired)"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,month,skill,baseline_demand,baseline_supply,baseline_shortfall,baseline_target_holders,baseline_covered_externally,baseline_gap,scenario_demand,scenario_supply,scenario_shortfall,scenario_target_holders,scenario_covered_externally,scenario_gap"
// @Router       /api/v1/organisations/{code}/scenarios/{id} [get]
func (s *Server) getScenario(c *gin.Context) (reply, error) {
	if err := csvOrJSON(c); err != nil {
		return reply{}, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return reply{}, err
	}
	out, err := s.svc.Scenario(c.Request.Context(), principal(c), organisationOf(c), id)
	return ok(tabular(out, scenarioCSV)), err
}

// getTrainingPlan godoc
// @Summary      Propose a training plan
// @Description  Proposes enrolments (person, course, what each closes) that close the essential role needs and capability targets left at the horizon (evidence lapsing before it counts as lapsed, open enrolments as done) at the least training cost (hours when costs are unknown), preferring staff closest to the required level, within an optional budget (then closing as much as it allows). Deterministic for the same data. Returns the projected position at the horizon once the plan completes (weighted by pass rates), and what remains uncovered. optimal is false when the exact search hit its limits and the plan is the best found. As CSV, the proposed enrolments, one a row. See README "Planning" for the algorithm and its limits.
// @ID           getTrainingPlan
// @Tags         planning
// @Produce      json,text/csv
// @Param        code     path      string  true   "Organisation code"
// @Param        horizon  query     int     false  "Months until the plan should have completed (1-36, default 6)"
// @Param        budget   query     number  false  "Most it may cost (or hours, when costs are unknown)"
// @Param        format   query     string  false  "csv for CSV (or Accept: text/csv): the proposed enrolments"  Enums(json,csv)
// @Success      200      {object}  models.TrainingPlan
// @Failure      400      {object}  problem.Problem
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "organisation,external_id,course,cost,hours,closes"
// @Router       /api/v1/organisations/{code}/training-plan [get]
func (s *Server) getTrainingPlan(c *gin.Context) (reply, error) {
	q := queryParams(c)
	horizon := q.intRange("horizon", 6, 1, 36)
	budget := q.float("budget")
	q.oneOf("format", "json", "json", "csv")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	plan, err := s.svc.TrainingPlan(c.Request.Context(), principal(c), organisationOf(c), horizon, budget)
	return ok(tabular(plan, trainingPlanCSV)), err
}
