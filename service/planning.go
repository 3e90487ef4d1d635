package service

import (
	"context"
	"strings"
	"time"

	"cyberskills/models"
	"cyberskills/models/plan"
)

// projectionInput turns an organisation's planning snapshot into the projection's input:
// staff with their verified evidence and open enrolments (weighted by each course's
// observed pass rate, or the default when it has no history), posts funded from future
// periods filled untrained on their start month, and, with vacancies, today's vacant posts
// filled untrained from the start.
func (s *Service) projectionInput(snap models.PlanningSnapshot, months int, vacancies bool) (models.ProjectionInput, models.ScenarioWorld) {
	world := models.ScenarioWorld{Courses: map[string]models.ScenarioCourse{}}
	for _, c := range snap.Courses {
		rate := s.cfg.DefaultPassRate
		if c.PassRate != nil {
			rate = *c.PassRate
		}
		world.Courses[c.Code] = models.ScenarioCourse{Confers: c.Confers, ValidityMonths: c.ValidityMonths, PassRate: rate}
	}
	in := models.ProjectionInput{Start: snap.Now, Months: months, Targets: map[string]models.Target{}, Coverage: map[string][]models.ExternalCoverage{}}
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
			in.People = append(in.People, models.ProjectedPerson{ID: "post:" + post.Organisation + "/" + post.Role + "/" + itoa(n),
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
		in.Coverage[c.Skill] = append(in.Coverage[c.Skill], cov)
	}
	return in, world
}

// ProjectionOptions say what a projection covers.
type ProjectionOptions struct {
	Months             int  // the horizon, 1 to 60
	IncludeVacancies   bool // today's vacant posts filled untrained from the start
	IncludeDescendants bool // each organisation below projected on its own subtree too
}

// Projection is an organisation's projected skills position, month by month, from now.
func (s *Service) Projection(ctx context.Context, p models.Principal, org models.OrgRef, o ProjectionOptions) (models.Projection, error) {
	snap, err := s.db.PlanningSnapshot(ctx, p.Scope(), org.ID, s.now())
	if err != nil {
		return models.Projection{}, err
	}
	var units []models.PlanningUnit
	if o.IncludeDescendants {
		if units, err = s.db.PlanningUnits(ctx, p.Scope(), org.ID, snap.Now); err != nil {
			return models.Projection{}, err
		}
	}
	in, _ := s.projectionInput(snap, o.Months, o.IncludeVacancies)
	rows := models.Project(in)
	if o.IncludeDescendants {
		// Each organisation below is projected on its own subtree, targets and coverage.
		below := make([][]models.ProjectedSkillMonth, len(units))
		for i, u := range units {
			sub, _ := s.projectionInput(snap.Within(u), o.Months, o.IncludeVacancies)
			below[i] = models.Project(sub)
		}
		models.RollUpProjection(rows, below)
	}
	return models.Projection{Organisation: org.Code, Start: in.Start, Months: o.Months, DefaultPassRate: s.cfg.DefaultPassRate,
		IncludeVacancies: o.IncludeVacancies, IncludeDescendants: o.IncludeDescendants, Rows: rows}, nil
}

// Scenario is a what-if to evaluate: changes over a horizon.
type Scenario struct {
	Months           int
	IncludeVacancies bool
	Changes          []models.ScenarioChange
}

// EvaluateScenario projects the organisation with and without the changes.
func (s *Service) EvaluateScenario(ctx context.Context, p models.Principal, org models.OrgRef, sc Scenario) (models.ScenarioEvaluation, error) {
	snap, err := s.db.PlanningSnapshot(ctx, p.Scope(), org.ID, s.now())
	if err != nil {
		return models.ScenarioEvaluation{}, err
	}
	in, world := s.projectionInput(snap, sc.Months, sc.IncludeVacancies)
	world.Organisation = org.Code
	var orgs, roles []string
	for _, ch := range sc.Changes {
		if ch.Type == "hire" {
			o := ch.Organisation
			if o == "" {
				o = world.Organisation
			}
			orgs, roles = append(orgs, o), append(roles, ch.Role)
		}
	}
	if world.Roles, err = s.db.RoleRequirementsFor(ctx, p.Scope(), orgs, roles); err != nil {
		return models.ScenarioEvaluation{}, err
	}
	changed, err := models.ApplyScenario(in, world, sc.Changes)
	if err != nil {
		return models.ScenarioEvaluation{}, err
	}
	return models.CompareProjections(world.Organisation, models.Project(in), models.Project(changed)), nil
}

// SaveScenario stores a what-if, once it evaluates, for later comparison.
func (s *Service) SaveScenario(ctx context.Context, p models.Principal, org models.OrgRef, saved models.SavedScenario) (models.SavedScenario, error) {
	if saved.Name == "" {
		return saved, models.Invalid(models.FieldError{Field: "name", Message: "is required to save a scenario"})
	}
	if _, err := s.EvaluateScenario(ctx, p, org, Scenario{Months: saved.Months, IncludeVacancies: saved.IncludeVacancies, Changes: saved.Changes}); err != nil {
		return saved, err
	}
	return s.db.SaveScenario(ctx, p.Scope(), org.ID, saved, p.TokenID)
}

// ListScenarios lists an organisation's saved scenarios, newest first.
func (s *Service) ListScenarios(ctx context.Context, p models.Principal, org models.OrgRef, page models.Page) ([]models.SavedScenario, string, error) {
	return s.db.ListScenarios(ctx, p.Scope(), org.ID, page)
}

// Scenario evaluates a saved scenario as of now.
func (s *Service) Scenario(ctx context.Context, p models.Principal, org models.OrgRef, id int64) (models.ScenarioEvaluation, error) {
	saved, err := s.db.GetScenario(ctx, p.Scope(), org.ID, id)
	if err != nil {
		return models.ScenarioEvaluation{}, err
	}
	out, err := s.EvaluateScenario(ctx, p, org, Scenario{Months: saved.Months, IncludeVacancies: saved.IncludeVacancies, Changes: saved.Changes})
	out.Scenario = &saved
	return out, err
}

// planInput turns the snapshot into the planner's input: every active person with the
// levels they will still hold at the horizon (evidence expiring before then lapses) and
// the essential requirements those leave unmet, the current courses, and the
// organisation's targets.
func planInput(snap models.PlanningSnapshot, horizonEnd time.Time, budget *float64) plan.Input {
	in := plan.Input{Budget: budget}
	for _, p := range snap.People {
		person := plan.Person{ID: p.Key, Levels: map[string]int{}, Busy: map[string]bool{}}
		for skill, evidence := range p.Evidence {
			for _, e := range evidence {
				if (e.ExpiresAt == nil || e.ExpiresAt.After(horizonEnd)) && e.Level > person.Levels[skill] {
					person.Levels[skill] = e.Level
				}
			}
		}
		for skill, r := range p.Requirements {
			if r.Essential && person.Levels[skill] < r.Level {
				person.Needs = append(person.Needs, plan.Need{Skill: skill, Level: r.Level})
			}
		}
		for _, e := range p.Enrolments {
			person.Busy[e.Course] = true
		}
		in.People = append(in.People, person)
	}
	for _, c := range snap.Courses {
		in.Courses = append(in.Courses, plan.Course{Code: c.Code, Cost: c.Cost, Hours: c.Hours, Confers: c.Confers})
	}
	for _, t := range snap.Targets {
		if t.MinHeadcount > 0 {
			in.Targets = append(in.Targets, plan.Target{Skill: t.Skill, MinLevel: t.MinLevel, MinHeadcount: t.MinHeadcount})
		}
	}
	return in
}

// TrainingPlan proposes the enrolments that close the most needs and targets by the
// start of the horizon's month (within the budget, if any), and projects what they leave.
func (s *Service) TrainingPlan(ctx context.Context, p models.Principal, org models.OrgRef, horizon int, budget *float64) (models.TrainingPlan, error) {
	snap, err := s.db.PlanningSnapshot(ctx, p.Scope(), org.ID, s.now())
	if err != nil {
		return models.TrainingPlan{}, err
	}
	y, m, _ := snap.Now.Date()
	completes := time.Date(y, m+time.Month(horizon), 1, 0, 0, 0, 0, time.UTC) // by the start of the horizon's month
	result := plan.Train(planInput(snap, completes.AddDate(0, 1, 0), budget))
	plan := models.TrainingPlan{Organisation: org.Code, Horizon: horizon, Budget: budget, Metric: result.Metric,
		Enrolments: []models.PlannedEnrolment{}, TotalCost: result.TotalCost, TotalHours: result.TotalHours, Closed: result.Closed,
		Optimal: result.Optimal, UncoveredNeeds: result.UncoveredNeeds, UncoveredTargets: result.UncoveredTargets}
	in, world := s.projectionInput(snap, horizon, false)
	people := map[string]int{}
	for i, p := range in.People {
		people[p.ID] = i
	}
	for _, e := range result.Enrolments {
		o, ext, _ := strings.Cut(e.Person, "/")
		plan.Enrolments = append(plan.Enrolments, models.PlannedEnrolment{Organisation: o, ExternalID: ext, Course: e.Course,
			Cost: e.Cost, Hours: e.Hours, Closes: e.Closes})
		course := world.Courses[e.Course]
		person := &in.People[people[e.Person]]
		person.Enrolments = append(person.Enrolments, models.ProjectedEnrolment{Completes: completes, PassRate: course.PassRate,
			Confers: course.Confers, ValidityMonths: course.ValidityMonths})
	}
	for _, r := range models.Project(in) {
		if r.Month.Equal(completes) {
			plan.Projected = append(plan.Projected, r)
		}
	}
	return plan, nil
}
