package models

import "time"

// OrgTraining is one organisation of the national assurance statistics: the values
// statistics group it by (StatOrgDimensions); per staff group, its headcount and how many
// are in date (the other figures are not read); and what its evaluation reads: everyone's
// figures at the first month-end of the year (Then) and its skills with a gap then and now.
type OrgTraining struct {
	Keys      [4]string
	Labels    [4]string
	Figures   map[Audience]TrainingFigures
	Then      TrainingFigures
	SkillGaps SkillGapChange
}

// NationalIndicators are the B6 indicators published nationally: every indicator of an
// organisation's report, in its order.
func NationalIndicators() []StatSkill {
	return []StatSkill{
		{Code: "training_needs_analysis", Name: "The training needs analysis covers every staff group and key role", Tier: "training_needs_analysis"},
		{Code: "awareness", Name: "Every member of staff has in-date awareness training", Tier: "awareness"},
		{Code: "key_roles", Name: "Key role holders have in-date role-specific training", Tier: "key_roles"},
		{Code: "evaluation", Name: "Training is evaluated: awareness held up and skills gaps did not grow over the year", Tier: "evaluation"},
	}
}

// IndicatorCountsStaff reports whether an indicator counts people (its headcount and those
// in date are published beside it): awareness and key roles do; the training needs
// analysis and the evaluation judge an organisation, not its people.
func IndicatorCountsStaff(code string) bool { return code == "awareness" || code == "key_roles" }

// AssurancePopulation is the statistics population of the national indicators, so that
// they are published under the same disclosure control as the skills gap (a release of
// every table at once): each indicator stands where a skill stands (its own tier), an
// organisation whose suggested status is not met has a "gap" in it, and the staff
// figures are the indicator's headcount (demand) and those in date (supply) for the
// indicators that count staff. Each status is the one the organisation's own report
// suggests, by the same rules (Judge...).
func AssurancePopulation(orgs []OrgTraining) StatPopulation {
	p := StatPopulation{Skills: NationalIndicators(), Orgs: make([]StatOrg, len(orgs))}
	for i, o := range orgs {
		holders := map[Audience]int{}
		var key TrainingFigures
		for _, a := range Audiences() {
			holders[a] = o.Figures[a].Headcount
			if a.KeyRole() {
				key = key.Add(o.Figures[a])
			}
		}
		all := o.Figures[AudienceAllStaff]
		p.Orgs[i] = StatOrg{Keys: o.Keys, Labels: o.Labels, Skills: []StatOrgSkill{
			{Skill: 0, Gap: JudgeTNA(holders).Status != IndicatorMet},
			{Skill: 1, Demand: all.Headcount, Supply: all.InDate, Gap: JudgeAwareness(all).Status != IndicatorMet},
			{Skill: 2, Demand: key.Headcount, Supply: key.InDate, Gap: JudgeKeyRoles(key).Status != IndicatorMet},
			{Skill: 3, Gap: JudgeEvaluation(o.Then, all, o.SkillGaps).Status != IndicatorMet},
		}}
	}
	return p
}

// AssuranceResult is a stored computation of the national assurance figures of an
// organisation type: computed in the background, because at national scale it takes
// longer than a request may, and served until the next one.
type AssuranceResult struct {
	Type       string
	Generation int64         // how many results of the type have been stored: this one's number
	AsOf       time.Time     // the instant the figures are as of (the service's clock when it began)
	ComputedAt time.Time     // when it was stored (the database's clock)
	Took       time.Duration // how long the computation took
	Orgs       []OrgTraining // nil when not read
}

// Computed reports whether a result exists: a type asked for has none until its first
// computation ends.
func (r AssuranceResult) Computed() bool { return r.Generation > 0 }
