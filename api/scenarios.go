package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

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

// Figures are one side of a comparison.
type Figures struct {
	Demand    float64 `json:"demand" example:"4"`
	Supply    float64 `json:"supply" example:"2.75"`
	Shortfall float64 `json:"shortfall" example:"1.25"`
	Holders   float64 `json:"target_holders" example:"1.5"`
	Covered   bool    `json:"covered_externally"`
	Gap       bool    `json:"gap"`
}

// ComparedSkillMonth is one skill in one month, with and without the scenario.
type ComparedSkillMonth struct {
	Month    string  `json:"month" example:"2027-03"`
	Skill    string  `json:"skill" example:"firewall-config"`
	Baseline Figures `json:"baseline"`
	Scenario Figures `json:"scenario"`
}

// MonthSummary counts the skills with a gap each month, with and without the scenario.
type MonthSummary struct {
	Month        string `json:"month" example:"2027-03"`
	BaselineGaps int    `json:"baseline_gaps" example:"4"`
	ScenarioGaps int    `json:"scenario_gaps" example:"2"`
}

// ScenarioEvaluation is a projection with and without the scenario, side by side.
type ScenarioEvaluation struct {
	Organisation string                `json:"organisation" example:"RJ1"`
	Scenario     *models.SavedScenario `json:"scenario,omitempty"`
	Months       []MonthSummary        `json:"months"`
	Rows         []ComparedSkillMonth  `json:"rows"`
}

func figures(r models.ProjectedSkillMonth) Figures {
	return Figures{Demand: r.Demand, Supply: r.Supply, Shortfall: r.Shortfall, Holders: r.TargetHolders, Covered: r.CoveredExternally, Gap: r.Gap}
}

// evaluate projects the organisation with and without the changes.
func (s *Server) evaluate(c *gin.Context, orgID int64, body ScenarioBody) (ScenarioEvaluation, error) {
	ctx, scope := c.Request.Context(), principal(c).Scope()
	snap, err := s.db.PlanningSnapshot(ctx, scope, orgID, now(c))
	if err != nil {
		return ScenarioEvaluation{}, err
	}
	in, world := projectionInput(snap, body.Months, body.IncludeVacancies, s.cfg.DefaultPassRate)
	world.Organisation = c.Param("code")
	var orgs, roles []string
	for _, ch := range body.Changes {
		if ch.Type == "hire" {
			org := ch.Organisation
			if org == "" {
				org = world.Organisation
			}
			orgs, roles = append(orgs, org), append(roles, ch.Role)
		}
	}
	if world.Roles, err = s.db.RoleRequirementsFor(ctx, scope, orgs, roles); err != nil {
		return ScenarioEvaluation{}, err
	}
	changed, err := models.ApplyScenario(in, world, body.Changes)
	if err != nil {
		return ScenarioEvaluation{}, err
	}
	base, with := models.Project(in), models.Project(changed)
	out := ScenarioEvaluation{Organisation: world.Organisation, Months: []MonthSummary{}, Rows: []ComparedSkillMonth{}}
	month := map[string]int{}
	for i, b := range base {
		m := b.Month.Format("2006-01")
		if _, ok := month[m]; !ok {
			month[m] = len(out.Months)
			out.Months = append(out.Months, MonthSummary{Month: m})
		}
		sum := &out.Months[month[m]]
		if b.Gap {
			sum.BaselineGaps++
		}
		if with[i].Gap {
			sum.ScenarioGaps++
		}
		out.Rows = append(out.Rows, ComparedSkillMonth{Month: m, Skill: b.Skill, Baseline: figures(b), Scenario: figures(with[i])})
	}
	return out, nil
}

// evaluateScenario godoc
// @Summary      Evaluate a what-if scenario
// @Description  Projects the organisation with and without hypothetical changes, side by side, storing nothing. Changes: enrol a person on a course (completing in month from, weighted by the course's pass rate), hire count people into a role from a month (untrained), a person leaving in a month, outsourcing a skill to a provider from a month (until a month). Unknown people, courses, roles and bad months are named by change.
// @ID           evaluateScenario
// @Tags         planning
// @Accept       json
// @Produce      json
// @Param        code  path      string        true  "Organisation code"
// @Param        body  body      ScenarioBody  true  "The changes"
// @Success      200   {object}  ScenarioEvaluation
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/scenarios/evaluate [post]
func (s *Server) evaluateScenario(c *gin.Context) {
	var body ScenarioBody
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = bindJSON(c, &body)
	}
	var out ScenarioEvaluation
	if err == nil {
		out, err = s.evaluate(c, orgID, body)
	}
	respond(c, http.StatusOK, out, err)
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
func (s *Server) saveScenario(c *gin.Context) {
	var body ScenarioBody
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = bindJSON(c, &body)
	}
	if err == nil && body.Name == "" {
		err = models.Invalid(models.FieldError{Field: "name", Message: "is required to save a scenario"})
	}
	if err == nil {
		_, err = s.evaluate(c, orgID, body)
	}
	var saved models.SavedScenario
	if err == nil {
		saved, err = s.db.SaveScenario(c.Request.Context(), principal(c).Scope(), orgID, models.SavedScenario{
			Name: body.Name, Description: body.Description, Months: body.Months, IncludeVacancies: body.IncludeVacancies,
			Changes: body.Changes}, principal(c).TokenID)
	}
	respond(c, http.StatusCreated, saved, err)
}

// listScenarios godoc
// @Summary      List saved scenarios
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
func (s *Server) listScenarios(c *gin.Context) {
	q := queryParams(c)
	page := q.page()
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListScenarios(c.Request.Context(), principal(c).Scope(), orgID, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}

// getScenario godoc
// @Summary      A saved scenario, evaluated now
// @Description  The scenario and its comparison against today's data.
// @ID           getScenario
// @Tags         planning
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Param        id    path      int     true  "Scenario id"
// @Success      200   {object}  ScenarioEvaluation
// @Failure      400   {object}  problem.Problem  "The scenario no longer applies (someone left, a course was retired)"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/scenarios/{id} [get]
func (s *Server) getScenario(c *gin.Context) {
	orgID, err := s.scopedOrg(c)
	var id int64
	if err == nil {
		id, err = pathID(c, "id")
	}
	var saved models.SavedScenario
	if err == nil {
		saved, err = s.db.GetScenario(c.Request.Context(), principal(c).Scope(), orgID, id)
	}
	var out ScenarioEvaluation
	if err == nil {
		out, err = s.evaluate(c, orgID, ScenarioBody{Months: saved.Months, IncludeVacancies: saved.IncludeVacancies, Changes: saved.Changes})
		out.Scenario = &saved
	}
	respond(c, http.StatusOK, out, err)
}
