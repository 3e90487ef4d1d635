package disclosure

import (
	"time"

	"cyberskills/models"
)

// TrendPoint is one snapshot's value.
type TrendPoint struct {
	At         time.Time `json:"at"`
	Value      *float64  `json:"value" example:"48.5" extensions:"x-nullable"`
	Suppressed bool      `json:"suppressed,omitempty"`
}

// TrendSeries is one group's values over time.
type TrendSeries struct {
	Group  map[string]string `json:"group"`
	Labels map[string]string `json:"labels"`
	Points []TrendPoint      `json:"points"`
}

// Trends is a metric over time.
type Trends struct {
	Metadata StatMetadata  `json:"metadata"`
	Metric   string        `json:"metric" example:"basic_skills_gap_share"`
	GroupBy  string        `json:"group_by,omitempty" example:"region"`
	Series   []TrendSeries `json:"series"`
}

var HeadlineMetrics = []string{"organisations", "basic_skills_gap_share", "incident_response_gap_share", "advanced_skills_gap_share"}

var GroupMetrics = []string{"organisations", "organisations_with_gap", "share_with_gap", "demand", "supply", "shortfall", "coverage"}

// PublishedSnapshot is what a snapshot publishes: its national headline and its
// breakdowns by one dimension.
type PublishedSnapshot struct {
	TakenAt    time.Time
	Headline   HeadlineStatistics
	Breakdowns map[string][]StatGroup
}

// PublishSnapshot publishes a snapshot. Under disclosure control its figures are
// published as the live ones were when it was taken: the release of its population, so
// that a trend shows nothing the breakdowns of the day withheld. A snapshot without a
// population (taken before they were kept) publishes its headline alone: its breakdowns
// were never protected jointly, and the population needed to do so is gone.
func PublishSnapshot(sn models.Snapshot, controlled bool) PublishedSnapshot {
	f := models.StatisticsFilter{Type: sn.Type}
	out := PublishedSnapshot{TakenAt: sn.TakenAt, Breakdowns: map[string][]StatGroup{}}
	if controlled && sn.Figures.Population != nil {
		r := NewRelease(*sn.Figures.Population, true)
		out.Headline = r.Headline(f, sn.TakenAt)
		for _, d := range models.StatisticsDimensions() {
			out.Breakdowns[d], _, _ = r.Table([]string{d})
		}
		return out
	}
	out.Headline = PublishHeadline(sn.Figures.Headline, f, controlled, false, sn.TakenAt)
	for _, d := range models.StatisticsDimensions() {
		b := PublishBreakdown(f, []string{d}, sn.Figures.Breakdowns[d], sn.TakenAt)
		if controlled {
			for i := range b.Groups {
				b.Groups[i] = withheld(b.Groups[i])
			}
		}
		out.Breakdowns[d] = b.Groups
	}
	return out
}

// withheld is a group with every figure withheld.
func withheld(g StatGroup) StatGroup {
	w := EmptyGroup()
	w.Group, w.Labels = g.Group, g.Labels
	return w
}

// EmptyGroup is a group of no organisation, or one withheld whole.
func EmptyGroup() StatGroup {
	g := StatGroup{Group: map[string]string{}, Labels: map[string]string{}, StaffByLevel: map[string]Figure{}, Suppressed: true}
	g.Organisations, g.OrganisationsWithGap = Suppressed(0), Suppressed(0)
	g.Demand, g.Supply, g.Shortfall = Suppressed(0), Suppressed(0), Suppressed(0)
	for l := 1; l <= models.MaxLevel; l++ {
		g.levels[l] = Suppressed(0)
	}
	g.finish()
	return g
}

// HeadlineSeries is a headline metric over the snapshots.
func HeadlineSeries(snaps []PublishedSnapshot, metric string) TrendSeries {
	series := TrendSeries{Group: map[string]string{}, Labels: map[string]string{}, Points: []TrendPoint{}}
	for _, sn := range snaps {
		h := sn.Headline
		var p TrendPoint
		switch metric {
		case "organisations":
			p = figurePoint(h.Organisations)
		case "basic_skills_gap_share":
			p = sharePoint(h.BasicSkillsGap.Share, h.BasicSkillsGap.Organisations, h.Organisations)
		case "incident_response_gap_share":
			p = sharePoint(h.IncidentResponseGap.Share, h.IncidentResponseGap.Organisations, h.Organisations)
		case "advanced_skills_gap_share":
			p = sharePoint(h.AdvancedSkillsGap.Share, h.AdvancedSkillsGap.Organisations, h.Organisations)
		}
		p.At = sn.TakenAt
		series.Points = append(series.Points, p)
	}
	return series
}

// GroupSeries is a group metric over the snapshots, one series per group of dim.
func GroupSeries(snaps []PublishedSnapshot, dim, metric string) []TrendSeries {
	index := map[string]int{}
	out := []TrendSeries{}
	for _, sn := range snaps {
		for _, g := range sn.Breakdowns[dim] {
			key := g.Group[dim]
			i, ok := index[key]
			if !ok {
				i = len(out)
				index[key] = i
				out = append(out, TrendSeries{Group: g.Group, Labels: g.Labels, Points: []TrendPoint{}})
			}
			p := groupPoint(g, metric)
			p.At = sn.TakenAt
			out[i].Points = append(out[i].Points, p)
		}
	}
	return out
}

func groupPoint(g StatGroup, metric string) TrendPoint {
	switch metric {
	case "organisations":
		return figurePoint(g.Organisations)
	case "organisations_with_gap":
		return figurePoint(g.OrganisationsWithGap)
	case "share_with_gap":
		return sharePoint(g.ShareWithGap, g.OrganisationsWithGap, g.Organisations)
	case "demand":
		return figurePoint(g.Demand)
	case "supply":
		return figurePoint(g.Supply)
	case "shortfall":
		return figurePoint(g.Shortfall)
	}
	return sharePoint(g.Coverage, g.Supply, g.Demand)
}

func figurePoint(f Figure) TrendPoint {
	if f.Value == nil {
		return TrendPoint{Suppressed: f.Suppressed}
	}
	v := float64(*f.Value)
	return TrendPoint{Value: &v}
}

// sharePoint is a percentage of part in whole, suppressed when either is.
func sharePoint(share *float64, part, whole Figure) TrendPoint {
	return TrendPoint{Value: share, Suppressed: share == nil && (part.Suppressed || whole.Suppressed)}
}
