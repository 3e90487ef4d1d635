package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// projectionInput turns an organisation's planning snapshot into the projection's input:
// staff with their verified evidence and open enrolments (weighted by each course's
// observed pass rate, or the default when it has no history), posts funded from future
// periods filled untrained on their start month, and, with vacancies, today's vacant posts
// filled untrained from the start.
func projectionInput(snap models.PlanningSnapshot, months int, vacancies bool, defaultPassRate float64) (models.ProjectionInput, models.ScenarioWorld) {
	world := models.ScenarioWorld{Courses: map[string]models.ScenarioCourse{}}
	for _, c := range snap.Courses {
		rate := defaultPassRate
		if c.PassRate != nil {
			rate = *c.PassRate
		}
		world.Courses[c.Code] = models.ScenarioCourse{Confers: c.Confers, ValidityMonths: c.ValidityMonths, PassRate: rate}
	}
	in := models.ProjectionInput{Start: snap.Now, Months: months, Targets: map[string]models.Target{}, Coverage: map[string]models.ExternalCoverage{}}
	for _, p := range snap.People {
		person := models.ProjectedPerson{ID: p.Key, EndDate: p.EndDate, Requirements: p.Requirements, Evidence: p.Evidence}
		for _, e := range p.Enrolments {
			if c, ok := world.Courses[e.Course]; ok {
				person.Enrolments = append(person.Enrolments, models.ProjectedEnrolment{Completes: e.Completes,
					PassRate: c.PassRate, Confers: c.Confers, ValidityMonths: c.ValidityMonths})
			}
		}
		in.People = append(in.People, person)
	}
	for _, post := range snap.Posts {
		if post.Start == nil && !vacancies {
			continue
		}
		for n := 0; n < post.Posts; n++ {
			in.People = append(in.People, models.ProjectedPerson{ID: "post:" + post.Organisation + "/" + post.Role + "/" + itoaCell(n),
				StartDate: post.Start, Requirements: post.Requirements})
		}
	}
	for _, t := range snap.Targets {
		if t.MinHeadcount > 0 {
			in.Targets[t.Skill] = models.Target{MinLevel: t.MinLevel, MinHeadcount: t.MinHeadcount, Source: t.Source}
		}
	}
	for _, c := range snap.Coverage {
		cov := models.ExternalCoverage{Provider: c.Provider}
		if c.ContractEnd != nil {
			end := c.ContractEnd.Time()
			cov.ContractEnd = &end
		}
		in.Coverage[c.Skill] = cov
	}
	return in, world
}

// Projection is an organisation's projected skills position, month by month.
type Projection struct {
	Organisation     string    `json:"organisation" example:"RJ1"`
	Start            time.Time `json:"start"`
	Months           int       `json:"months" example:"12"`
	DefaultPassRate  float64   `json:"default_pass_rate" example:"0.8"`
	IncludeVacancies bool      `json:"include_vacancies" example:"false"`
	// IncludeDescendants: each row also counts the organisations below with a gap.
	IncludeDescendants bool                         `json:"include_descendants" example:"false"`
	Rows               []models.ProjectedSkillMonth `json:"rows"`
}

func (p Projection) csvTable() ([]string, [][]string) {
	rows := make([][]string, len(p.Rows))
	for i, r := range p.Rows {
		rows[i] = []string{p.Organisation, r.Month.Format("2006-01"), r.Skill, floatCell(&r.Demand), floatCell(&r.Supply),
			floatCell(&r.Shortfall), floatCell(&r.EssentialShortfall), floatCell(&r.TargetHolders), boolCell(r.CoveredExternally), boolCell(r.Gap),
			intPtrCell(r.OrganisationsWithGap)}
	}
	return []string{"organisation", "month", "skill", "demand", "supply", "shortfall", "essential_shortfall",
		"target_holders", "covered_externally", "gap", "organisations_with_gap"}, rows
}

// planningOptions reads the options of the planning reports.
func planningOptions(q *params) (months int, vacancies bool) {
	return q.intRange("months", 12, 1, 60), q.boolean("include_vacancies", false)
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
// @Success      200                {object}  Projection
// @Failure      400                {object}  problem.Problem
// @Failure      403                {object}  problem.Problem
// @Failure      404                {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/projection [get]
func (s *Server) getProjection(c *gin.Context) {
	q := queryParams(c)
	months, vacancies := planningOptions(q)
	rollUp := q.boolean("include_descendants", false)
	q.oneOf("format", "json", "json", "csv")
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	ctx, scope := c.Request.Context(), principal(c).Scope()
	var snap models.PlanningSnapshot
	if err == nil {
		snap, err = s.db.PlanningSnapshot(ctx, scope, orgID, now(c))
	}
	var units []models.PlanningUnit
	if err == nil && rollUp {
		units, err = s.db.PlanningUnits(ctx, scope, orgID, now(c))
	}
	if err != nil {
		fail(c, err)
		return
	}
	in, _ := projectionInput(snap, months, vacancies, s.cfg.DefaultPassRate)
	rows := models.Project(in)
	if rollUp {
		// Each organisation below is projected on its own subtree, targets and coverage.
		below := make([][]models.ProjectedSkillMonth, len(units))
		for i, u := range units {
			sub, _ := projectionInput(snap.Within(u), months, vacancies, s.cfg.DefaultPassRate)
			below[i] = models.Project(sub)
		}
		models.RollUpProjection(rows, below)
	}
	respondTable(c, Projection{Organisation: c.Param("code"), Start: in.Start, Months: months, DefaultPassRate: s.cfg.DefaultPassRate,
		IncludeVacancies: vacancies, IncludeDescendants: rollUp, Rows: rows}, nil)
}
