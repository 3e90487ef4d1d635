package models

import "time"

// TrainingFigures count a staff group's people by the state of their training at a
// moment. Due30 and Due90 are among InDate (in date, lapsing within 30 or 90 days; the
// 90 include the 30); InDate + Overdue + NeverTrained = Headcount.
type TrainingFigures struct {
	Headcount    int `json:"headcount" example:"120"`
	InDate       int `json:"in_date" example:"112"`
	Due30        int `json:"due_within_30_days" example:"6"`
	Due90        int `json:"due_within_90_days" example:"15"`
	Overdue      int `json:"overdue" example:"5"`
	NeverTrained int `json:"never_trained" example:"3"`
}

// InDateShare is the percentage of the headcount in date (one decimal); nil without anyone.
func (f TrainingFigures) InDateShare() *float64 {
	if f.Headcount == 0 {
		return nil
	}
	p := float64(int(1000*float64(f.InDate)/float64(f.Headcount)+0.5)) / 10
	return &p
}

// TrainingStatus is the state of one person's training against one requirement.
type TrainingStatus string

// The states: in date (due soon or not), lapsed, or never had.
const (
	TrainingInDate       TrainingStatus = "in_date"
	TrainingOverdue      TrainingStatus = "overdue"
	TrainingNeverTrained TrainingStatus = "never_trained"
)

// TNAGroup is a staff group of the training needs analysis: what it requires and why,
// who belongs to it, and where the requirement comes from.
type TNAGroup struct {
	Title string `json:"title" example:"All staff"`
	TrainingRequirement
	// Roles are the job roles held here that carry the key role; Appointed counts the
	// people appointed to it by name. Headcount is everyone the requirement applies to.
	Roles     []string `json:"roles" example:"network-engineer"`
	Appointed int      `json:"appointed" example:"1"`
	Headcount int      `json:"headcount" example:"120"`
}

// TNARole is a job role of the training needs analysis: its holders and the staff
// groups whose requirements apply to them (everyone's, and the key roles it carries).
type TNARole struct {
	Role      string     `json:"role" example:"network-engineer"`
	Title     string     `json:"title" example:"Network engineer"`
	Headcount int        `json:"headcount" example:"4"`
	Requires  []Audience `json:"requires" example:"all_staff,it_security,privileged_user"`
}

// TNA is the training needs analysis: each staff group and each role.
type TNA struct {
	Groups []TNAGroup `json:"groups"`
	Roles  []TNARole  `json:"roles"`
}

// DeliveryLine is a staff group's figures, for one role of it or (Total) in all. Staff
// without a role have a line of their own, role empty and not the total.
type DeliveryLine struct {
	Audience  Audience `json:"audience" example:"all_staff"`
	Total     bool     `json:"total" example:"false"` // the group over every role
	Role      string   `json:"role" example:"network-engineer"`
	RoleTitle string   `json:"role_title,omitempty" example:"Network engineer"`
	TrainingFigures
	InDateShare *float64 `json:"in_date_share" extensions:"x-nullable" example:"93.3"` // percent of the headcount
}

// KeyPerson is a key role holder's training: in date or not, and since when (the start of
// the unbroken cover that keeps them in date, or the moment it lapsed; null when never
// trained).
type KeyPerson struct {
	Audience     Audience       `json:"audience" example:"siro"`
	ExternalID   string         `json:"external_id" example:"E10234"`
	DisplayName  string         `json:"display_name,omitempty" example:"A. Patel"`
	Organisation string         `json:"organisation" example:"RJ1"`
	Role         string         `json:"role" example:"head-of-cyber-security"`
	InDate       bool           `json:"in_date" example:"true"`
	Status       TrainingStatus `json:"status" enums:"in_date,overdue,never_trained" example:"in_date"`
	Since        *time.Time     `json:"since" extensions:"x-nullable"`
	ValidUntil   *time.Time     `json:"valid_until" extensions:"x-nullable"` // when it lapses, or lapsed
}

// OverduePerson is a person whose required training has lapsed or never happened, for
// the organisation's own follow-up.
type OverduePerson struct {
	ExternalID   string         `json:"external_id" example:"E10235"`
	DisplayName  string         `json:"display_name,omitempty" example:"B. Jones"`
	Organisation string         `json:"organisation" example:"RJ1"`
	Role         string         `json:"role" example:"clinical-staff"`
	Audience     Audience       `json:"audience" example:"all_staff"`
	Status       TrainingStatus `json:"status" enums:"overdue,never_trained" example:"overdue"`
	LastTrained  *time.Time     `json:"last_trained" extensions:"x-nullable"`
	LapsedOn     *time.Time     `json:"lapsed_on" extensions:"x-nullable"`
}

// GroupFigures are a staff group's figures at one moment.
type GroupFigures struct {
	Audience Audience `json:"audience" example:"all_staff"`
	TrainingFigures
	InDateShare *float64 `json:"in_date_share" extensions:"x-nullable" example:"93.3"`
}

// MonthEnd is the figures at the end of one month: its last microsecond, in UTC.
type MonthEnd struct {
	Month  string         `json:"month" example:"2026-12"`
	At     time.Time      `json:"at"`
	Groups []GroupFigures `json:"groups"`
}

// SkillGapChange compares the organisation's gap report at the first month-end of the
// evaluation with the report as of the report's date.
type SkillGapChange struct {
	From               time.Time `json:"from"`
	To                 time.Time `json:"to"`
	SkillsWithGapFrom  int       `json:"skills_with_gap_from" example:"9"`
	SkillsWithGapTo    int       `json:"skills_with_gap_to" example:"7"`
	Change             int       `json:"change" example:"-2"` // to - from: negative is fewer gaps
	ShortfallFrom      int       `json:"essential_shortfall_from" example:"14"`
	ShortfallTo        int       `json:"essential_shortfall_to" example:"10"`
	BasicSkillsGapFrom bool      `json:"basic_skills_gap_from" example:"true"`
	BasicSkillsGapTo   bool      `json:"basic_skills_gap_to" example:"true"`
}

// Evaluation is the effect of training over the year: the figures at each month-end
// and the change in the skills gap.
type Evaluation struct {
	MonthEnds []MonthEnd     `json:"month_ends"`
	SkillGaps SkillGapChange `json:"skill_gaps"`
}

// B6Report is the evidence for CAF B6 (staff awareness and training) as of a moment,
// over an organisation and everything below it.
type B6Report struct {
	Organisation string          `json:"organisation" example:"RJ1"`
	Name         string          `json:"name" example:"Example NHS Foundation Trust"`
	AsOf         time.Time       `json:"as_of"`
	TNA          TNA             `json:"training_needs_analysis"`
	Delivery     []DeliveryLine  `json:"delivery"`
	KeyPeople    []KeyPerson     `json:"key_people"`
	Evaluation   Evaluation      `json:"evaluation"`
	Indicators   []Indicator     `json:"indicators"`
	Overdue      []OverduePerson `json:"overdue"`
}

// Totals are the report's figures for a staff group in all (its line without a role).
func (r B6Report) Totals(a Audience) TrainingFigures {
	for _, d := range r.Delivery {
		if d.Audience == a && d.Total {
			return d.TrainingFigures
		}
	}
	return TrainingFigures{}
}

// TrainingLine is a staff group's figures at one of the instants a report asks about
// (Instant counts from 1), for one role or (Total) the whole group.
type TrainingLine struct {
	Instant   int
	Audience  Audience
	Role      string
	RoleTitle string
	Total     bool
	TrainingFigures
}

// TrainingPerson is one person's training against one staff group's requirement at a
// moment; Appointed says they hold the key role by appointment rather than by job role.
type TrainingPerson struct {
	Audience     Audience
	ExternalID   string
	DisplayName  string
	Organisation string
	Role         string
	Status       TrainingStatus
	LastTrained  *time.Time
	ValidUntil   *time.Time
	CoverSince   *time.Time // the start of the last unbroken cover: since when someone in date has been
	Appointed    bool
}
