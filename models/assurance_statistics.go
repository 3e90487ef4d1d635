package models

// OrgTraining is one organisation of the national assurance statistics: the values
// statistics group it by (StatOrgDimensions) and, per staff group, its headcount and
// how many are in date (the other figures are not read).
type OrgTraining struct {
	Keys    [4]string
	Labels  [4]string
	Figures map[Audience]TrainingFigures
}

// NationalIndicators are the B6 indicators published nationally. The evaluation is left
// out: it needs every organisation's gap history, a recomputation per organisation.
func NationalIndicators() []StatSkill {
	return []StatSkill{
		{Code: "training_needs_analysis", Name: "The training needs analysis covers every staff group and key role", Tier: "training_needs_analysis"},
		{Code: "awareness", Name: "Every member of staff has in-date awareness training", Tier: "awareness"},
		{Code: "key_roles", Name: "Key role holders have in-date role-specific training", Tier: "key_roles"},
	}
}

// AssurancePopulation is the statistics population of the national indicators, so that
// they are published under the same disclosure control as the skills gap (a release of
// every table at once): each indicator stands where a skill stands (its own tier), an
// organisation whose suggested status is not met has a "gap" in it, and the staff
// figures are the indicator's headcount (demand) and those in date (supply); the
// training needs analysis counts no staff.
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
		}}
	}
	return p
}
