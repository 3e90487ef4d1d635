package disclosure

import (
	"time"

	"cyberskills/models"
)

// IndicatorShare is the published share of organisations meeting a B6 indicator (their
// suggested status met) in a group, with the staff figures the indicator counts.
type IndicatorShare struct {
	Indicator     string `json:"indicator" enums:"training_needs_analysis,awareness,key_roles,evaluation" example:"awareness"`
	Organisations Figure `json:"organisations"`
	// Meeting is organisations less those not meeting, from the published figures:
	// withheld when either is.
	Meeting      Figure   `json:"meeting"`
	ShareMeeting *float64 `json:"share_meeting" extensions:"x-nullable" example:"40"` // percent, from the published figures
	// Headcount is the people (key role requirements) the indicator counts, InDate those
	// in date; absent for the training needs analysis and the evaluation, which count no one.
	Headcount *Figure `json:"headcount,omitempty"`
	InDate    *Figure `json:"in_date,omitempty"`
}

// AssuranceGroup is a group of the breakdown: its indicators, all withheld when the
// group has fewer than 5 organisations.
type AssuranceGroup struct {
	Group      map[string]string `json:"group"`
	Labels     map[string]string `json:"labels"`
	Suppressed bool              `json:"suppressed,omitempty"`
	Indicators []IndicatorShare  `json:"indicators"`
}

// AssuranceStatistics is the share of organisations meeting each B6 indicator,
// nationally and by one dimension.
type AssuranceStatistics struct {
	Metadata StatMetadata `json:"metadata"`
	// AsOf is the instant the figures are as of: when their computation began. They are
	// computed in the background and served until the next computation.
	AsOf time.Time `json:"as_of" example:"2026-12-06T17:40:00Z"`
	// ComputedAt is when the computation ended and its result was stored.
	ComputedAt time.Time        `json:"computed_at" example:"2026-12-06T17:40:31Z"`
	Type       string           `json:"type" example:"trust"`
	GroupBy    string           `json:"group_by,omitempty" enums:"region,icb,sector" example:"region"`
	National   []IndicatorShare `json:"national"`
	Groups     []AssuranceGroup `json:"groups"`
}

// AssuranceDefinitions say what the assurance statistics count.
var AssuranceDefinitions = map[string]string{
	"organisations": "active organisations of the type in the group, each judged over everything below it",
	"meeting":       "of those, how many meet the indicator: the suggested status of their B6 report is met, by the rule it states",
	"headcount":     "awareness: active staff; key_roles: key role requirements of key role holders (a person holding two counts twice)",
	"in_date":       "of those, how many are in date",
}

// PublishAssurance publishes the national figures and the breakdown by groupBy (none
// when empty) from a release of models.AssurancePopulation: the same release, and so the
// same disclosure control, as the skills gap's.
func PublishAssurance(r *Release, orgType, groupBy string, at time.Time) AssuranceStatistics {
	out := AssuranceStatistics{Metadata: Metadata(r.controlled, at), Type: orgType, GroupBy: groupBy, National: []IndicatorShare{}, Groups: []AssuranceGroup{}}
	out.Metadata.Definitions = AssuranceDefinitions
	national, _, _ := r.Table([]string{"skill"})
	for _, g := range national {
		out.National = append(out.National, indicatorShare(g))
	}
	if groupBy == "" {
		return out
	}
	groups, _, _ := r.Table([]string{groupBy, "skill"})
	index := map[string]int{}
	for _, g := range groups {
		key := g.Group[groupBy]
		i, ok := index[key]
		if !ok {
			i = len(out.Groups)
			index[key] = i
			out.Groups = append(out.Groups, AssuranceGroup{Group: map[string]string{groupBy: key},
				Labels: map[string]string{groupBy: g.Labels[groupBy]}, Suppressed: g.Suppressed})
		}
		out.Groups[i].Indicators = append(out.Groups[i].Indicators, indicatorShare(g))
	}
	return out
}

// indicatorShare reads an indicator's figures from a group of the release: its skill is
// the indicator, its organisations with a gap those not meeting it.
func indicatorShare(g StatGroup) IndicatorShare {
	s := IndicatorShare{Indicator: g.Group["skill"], Organisations: g.Organisations, Meeting: Suppressed(0)}
	if !g.Organisations.Suppressed && !g.OrganisationsWithGap.Suppressed && g.Organisations.Value != nil && g.OrganisationsWithGap.Value != nil {
		s.Meeting = Raw(*g.Organisations.Value - *g.OrganisationsWithGap.Value)
	}
	s.ShareMeeting = Share(s.Meeting, s.Organisations)
	if models.IndicatorCountsStaff(s.Indicator) {
		head, in := g.Demand, g.Supply
		s.Headcount, s.InDate = &head, &in
	}
	return s
}
