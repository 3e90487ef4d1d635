package api

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// PlannedEnrolment is one proposed enrolment.
type PlannedEnrolment struct {
	Organisation string   `json:"organisation" example:"RJ1"`
	ExternalID   string   `json:"external_id" example:"E10234"`
	Course       string   `json:"course" example:"FW-201"`
	Cost         *float64 `json:"cost" example:"450"`
	Hours        *float64 `json:"hours" example:"14"`
	Closes       []string `json:"closes" example:"need:firewall-config,target:firewall-config"`
}

// TrainingPlan is a proposed set of enrolments and what it leaves.
type TrainingPlan struct {
	Organisation     string                       `json:"organisation" example:"RJ1"`
	Horizon          int                          `json:"horizon" example:"6"`
	Budget           *float64                     `json:"budget,omitempty" example:"5000"`
	Metric           models.PlanMetric            `json:"metric" enums:"cost,hours,enrolments" example:"cost"`
	Enrolments       []PlannedEnrolment           `json:"enrolments"`
	TotalCost        *float64                     `json:"total_cost" example:"1350"`
	TotalHours       *float64                     `json:"total_hours" example:"42"`
	Closed           int                          `json:"closed" example:"5"`
	Optimal          bool                         `json:"optimal" example:"true"`
	UncoveredNeeds   []models.UncoveredNeed       `json:"uncovered_needs"`
	UncoveredTargets []models.UncoveredTarget     `json:"uncovered_targets"`
	Projected        []models.ProjectedSkillMonth `json:"projected"` // the horizon's month, once the plan completes
}

// planInput turns the snapshot into the planner's input: every active person with the
// levels they will still hold at the horizon (evidence expiring before then lapses) and
// the essential requirements those leave unmet, the current courses, and the
// organisation's targets.
func planInput(snap models.PlanningSnapshot, horizonEnd time.Time, budget *float64) models.PlanInput {
	in := models.PlanInput{Budget: budget}
	for _, p := range snap.People {
		person := models.PlanPerson{ID: p.Key, Levels: map[string]int{}, Busy: map[string]bool{}}
		for skill, evidence := range p.Evidence {
			for _, e := range evidence {
				if (e.ExpiresAt == nil || e.ExpiresAt.After(horizonEnd)) && e.Level > person.Levels[skill] {
					person.Levels[skill] = e.Level
				}
			}
		}
		for skill, r := range p.Requirements {
			if r.Essential && person.Levels[skill] < r.Level {
				person.Needs = append(person.Needs, models.PlanNeed{Skill: skill, Level: r.Level})
			}
		}
		for _, e := range p.Enrolments {
			person.Busy[e.Course] = true
		}
		in.People = append(in.People, person)
	}
	for _, c := range snap.Courses {
		in.Courses = append(in.Courses, models.PlanCourse{Code: c.Code, Cost: c.Cost, Hours: c.Hours, Confers: c.Confers})
	}
	for _, t := range snap.Targets {
		if t.MinHeadcount > 0 {
			in.Targets = append(in.Targets, models.PlanTarget{Skill: t.Skill, MinLevel: t.MinLevel, MinHeadcount: t.MinHeadcount})
		}
	}
	return in
}

// getTrainingPlan godoc
// @Summary      Propose a training plan
// @Description  Proposes enrolments (person, course, what each closes) that close the essential role needs and capability targets left at the horizon (evidence lapsing before it counts as lapsed, open enrolments as done) at the least training cost (hours when costs are unknown), preferring staff closest to the required level, within an optional budget (then closing as much as it allows). Deterministic for the same data. Returns the projected position at the horizon once the plan completes (weighted by pass rates), and what remains uncovered. optimal is false when the exact search hit its limits and the plan is the best found. See README "Planning" for the algorithm and its limits.
// @ID           getTrainingPlan
// @Tags         planning
// @Produce      json
// @Param        code     path      string  true   "Organisation code"
// @Param        horizon  query     int     false  "Months until the plan should have completed (1-36, default 6)"
// @Param        budget   query     number  false  "Most it may cost (or hours, when costs are unknown)"
// @Success      200      {object}  TrainingPlan
// @Failure      400      {object}  problem.Problem
// @Failure      403      {object}  problem.Problem
// @Failure      404      {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/training-plan [get]
func (s *Server) getTrainingPlan(c *gin.Context) {
	q := queryParams(c)
	horizon := q.intRange("horizon", 6, 1, 36)
	budget := q.float("budget")
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	var snap models.PlanningSnapshot
	if err == nil {
		snap, err = s.db.PlanningSnapshot(c.Request.Context(), principal(c).Scope(), orgID, now(c))
	}
	if err != nil {
		fail(c, err)
		return
	}
	y, m, _ := snap.Now.Date()
	completes := time.Date(y, m+time.Month(horizon), 1, 0, 0, 0, 0, time.UTC) // by the start of the horizon's month
	result := models.PlanTraining(planInput(snap, completes.AddDate(0, 1, 0), budget))
	plan := TrainingPlan{Organisation: c.Param("code"), Horizon: horizon, Budget: budget, Metric: result.Metric,
		Enrolments: []PlannedEnrolment{}, TotalCost: result.TotalCost, TotalHours: result.TotalHours, Closed: result.Closed,
		Optimal: result.Optimal, UncoveredNeeds: result.UncoveredNeeds, UncoveredTargets: result.UncoveredTargets}
	in, world := projectionInput(snap, horizon, false, s.cfg.DefaultPassRate)
	people := map[string]int{}
	for i, p := range in.People {
		people[p.ID] = i
	}
	for _, e := range result.Enrolments {
		org, ext, _ := strings.Cut(e.Person, "/")
		plan.Enrolments = append(plan.Enrolments, PlannedEnrolment{Organisation: org, ExternalID: ext, Course: e.Course,
			Cost: e.Cost, Hours: e.Hours, Closes: e.Closes})
		course := world.Courses[e.Course]
		p := &in.People[people[e.Person]]
		p.Enrolments = append(p.Enrolments, models.ProjectedEnrolment{Completes: completes, PassRate: course.PassRate,
			Confers: course.Confers, ValidityMonths: course.ValidityMonths})
	}
	for _, r := range models.Project(in) {
		if r.Month.Equal(completes) {
			plan.Projected = append(plan.Projected, r)
		}
	}
	respond(c, 200, plan, nil)
}
