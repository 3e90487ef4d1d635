package models

import (
	"time"

	"cyberskills/models/plan"
)

// Projection is an organisation's projected skills position, month by month.
type Projection struct {
	Organisation     string    `json:"organisation" example:"RJ1"`
	Start            time.Time `json:"start"`
	Months           int       `json:"months" example:"12"`
	DefaultPassRate  float64   `json:"default_pass_rate" example:"0.8"`
	IncludeVacancies bool      `json:"include_vacancies" example:"false"`
	// IncludeDescendants: each row also counts the organisations below with a gap.
	IncludeDescendants bool                  `json:"include_descendants" example:"false"`
	Rows               []ProjectedSkillMonth `json:"rows"`
}

// ProjectedFigures are one side of a scenario comparison: a skill in a month.
type ProjectedFigures struct {
	Demand    float64 `json:"demand" example:"4"`
	Supply    float64 `json:"supply" example:"2.75"`
	Shortfall float64 `json:"shortfall" example:"1.25"`
	Holders   float64 `json:"target_holders" example:"1.5"`
	Covered   bool    `json:"covered_externally"`
	Gap       bool    `json:"gap"`
}

// ComparedSkillMonth is one skill in one month, with and without the scenario.
type ComparedSkillMonth struct {
	Month    string           `json:"month" example:"2027-03"`
	Skill    string           `json:"skill" example:"firewall-config"`
	Baseline ProjectedFigures `json:"baseline"`
	Scenario ProjectedFigures `json:"scenario"`
}

// MonthSummary counts the skills with a gap each month, with and without the scenario.
type MonthSummary struct {
	Month        string `json:"month" example:"2027-03"`
	BaselineGaps int    `json:"baseline_gaps" example:"4"`
	ScenarioGaps int    `json:"scenario_gaps" example:"2"`
}

// ScenarioEvaluation is a projection with and without the scenario, side by side.
type ScenarioEvaluation struct {
	Organisation string               `json:"organisation" example:"RJ1"`
	Scenario     *SavedScenario       `json:"scenario,omitempty"`
	Months       []MonthSummary       `json:"months"`
	Rows         []ComparedSkillMonth `json:"rows"`
}

// PlannedEnrolment is one proposed enrolment.
type PlannedEnrolment struct {
	Organisation string   `json:"organisation" example:"RJ1"`
	ExternalID   string   `json:"external_id" example:"E10234"`
	Course       string   `json:"course" example:"FW-201"`
	Cost         *float64 `json:"cost" example:"450" extensions:"x-nullable"`
	Hours        *float64 `json:"hours" example:"14" extensions:"x-nullable"`
	Closes       []string `json:"closes" example:"need:firewall-config,target:firewall-config"`
}

// TrainingPlan is a proposed set of enrolments and what it leaves.
type TrainingPlan struct {
	Organisation     string                 `json:"organisation" example:"RJ1"`
	Horizon          int                    `json:"horizon" example:"6"`
	Budget           *float64               `json:"budget,omitempty" example:"5000"`
	Metric           plan.Metric            `json:"metric" enums:"cost,hours,enrolments" example:"cost"`
	Enrolments       []PlannedEnrolment     `json:"enrolments"`
	TotalCost        *float64               `json:"total_cost" example:"1350" extensions:"x-nullable"`
	TotalHours       *float64               `json:"total_hours" example:"42" extensions:"x-nullable"`
	Closed           int                    `json:"closed" example:"5"`
	Optimal          bool                   `json:"optimal" example:"true"`
	UncoveredNeeds   []plan.UncoveredNeed   `json:"uncovered_needs"`
	UncoveredTargets []plan.UncoveredTarget `json:"uncovered_targets"`
	Projected        []ProjectedSkillMonth  `json:"projected"` // the horizon's month, once the plan completes
}

// CompareProjections puts two projections of an organisation over the same months side
// by side, skill by skill, and counts the skills with a gap each month in each.
func CompareProjections(organisation string, base, with []ProjectedSkillMonth) ScenarioEvaluation {
	out := ScenarioEvaluation{Organisation: organisation, Months: []MonthSummary{}, Rows: []ComparedSkillMonth{}}
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
		out.Rows = append(out.Rows, ComparedSkillMonth{Month: m, Skill: b.Skill, Baseline: projectedFigures(b), Scenario: projectedFigures(with[i])})
	}
	return out
}

func projectedFigures(r ProjectedSkillMonth) ProjectedFigures {
	return ProjectedFigures{Demand: r.Demand, Supply: r.Supply, Shortfall: r.Shortfall, Holders: r.TargetHolders, Covered: r.CoveredExternally, Gap: r.Gap}
}
