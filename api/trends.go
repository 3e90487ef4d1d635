package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/repository"
)

// SnapshotTaken reports a stored snapshot.
type SnapshotTaken struct {
	ID      int64     `json:"id" example:"42"`
	TakenAt time.Time `json:"taken_at"`
	Type    string    `json:"type" example:"trust"`
}

// takeSnapshot godoc
// @Summary      Take a statistics snapshot now
// @Description  Stores the headline and every single-dimension breakdown over organisations of a type (default trust), for trends. The service also takes one at least monthly by itself.
// @ID           takeSnapshot
// @Tags         statistics
// @Produce      json
// @Param        type  query     string  false  "Organisation type (default trust)"  Enums(region,icb,trust,department,practice,other)
// @Success      201   {object}  SnapshotTaken
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/statistics/snapshots [post]
func (s *Server) takeSnapshot(c *gin.Context) {
	q := queryParams(c)
	typ := q.oneOf("type", "trust", "region", "icb", "trust", "department", "practice", "other")
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	snap, err := s.db.TakeSnapshot(c.Request.Context(), typ, principal(c).TokenID, now(c))
	respond(c, http.StatusCreated, SnapshotTaken{ID: snap.ID, TakenAt: snap.TakenAt, Type: snap.Type}, err)
}

// TrendPoint is one snapshot's value.
type TrendPoint struct {
	At         time.Time `json:"at"`
	Value      *float64  `json:"value" example:"48.5"`
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

var headlineMetrics = []string{"organisations", "basic_skills_gap_share", "incident_response_gap_share", "advanced_skills_gap_share"}
var groupMetrics = []string{"organisations", "organisations_with_gap", "share_with_gap", "demand", "supply", "shortfall", "coverage"}

// getTrends godoc
// @Summary      A statistic over time
// @Description  The series of a metric from the stored snapshots in [from, to). Without group_by: organisations or the share of organisations with a basic, incident response or advanced skills gap. With group_by (one dimension): per group, organisations, organisations_with_gap, share_with_gap, demand, supply, shortfall or coverage. Snapshots are national, so the region, icb, sector and size_band filters are refused. Disclosure control as for the breakdowns.
// @ID           getTrends
// @Tags         statistics
// @Produce      json,text/csv
// @Param        metric      query     string  true   "The metric"  Enums(organisations,basic_skills_gap_share,incident_response_gap_share,advanced_skills_gap_share,organisations_with_gap,share_with_gap,demand,supply,shortfall,coverage)
// @Param        group_by    query     string  false  "One dimension"  Enums(region,icb,sector,size_band,skill,tier)
// @Param        from        query     string  false  "From this date (default a year ago)"
// @Param        to          query     string  false  "Up to this date, exclusive (default now)"
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,trust,department,practice,other)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  Trends
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/statistics/trends [get]
func (s *Server) getTrends(c *gin.Context) {
	f, controlled, q := statisticsFilter(c)
	groupBy := q.oneOf("group_by", "", repository.StatisticsDimensions()...)
	allowed := headlineMetrics
	if groupBy != "" {
		allowed = groupMetrics
	}
	metric := q.oneOf("metric", "", allowed...)
	q.v.Check(metric != "", "metric", "is required")
	from, to := now(c).AddDate(-1, 0, 0), now(c).Add(time.Second)
	if t := q.time("from"); t != nil {
		from = *t
	}
	if t := q.time("to"); t != nil {
		to = *t
	}
	dims, _ := filteredDims(f)
	for _, d := range dims {
		q.v.Add(d, "snapshots are national: break them down with group_by instead")
	}
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	snaps, err := s.db.Snapshots(c.Request.Context(), f.Type, from, to)
	if err != nil {
		fail(c, err)
		return
	}
	out := Trends{Metadata: metadata(controlled, now(c)), Metric: metric, GroupBy: groupBy, Series: []TrendSeries{}}
	if groupBy == "" {
		out.Series = []TrendSeries{headlineSeries(snaps, metric, controlled)}
	} else {
		out.Series = groupSeries(snaps, groupBy, metric, controlled)
	}
	respondTable(c, out, nil)
}

func (t Trends) csvTable() ([]string, [][]string) {
	header := []string{"metric", "at", "value", "suppressed"}
	if t.GroupBy != "" {
		header = append([]string{t.GroupBy}, header...)
	}
	var rows [][]string
	for _, s := range t.Series {
		for _, p := range s.Points {
			row := []string{t.Metric, p.At.Format(time.RFC3339), floatCell(p.Value), boolCell(p.Suppressed)}
			if t.GroupBy != "" {
				row = append([]string{s.Group[t.GroupBy]}, row...)
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

func headlineSeries(snaps []models.Snapshot, metric string, controlled bool) TrendSeries {
	series := TrendSeries{Group: map[string]string{}, Labels: map[string]string{}, Points: []TrendPoint{}}
	for _, sn := range snaps {
		h := publishHeadline(sn.Figures.Headline, models.StatisticsFilter{Type: sn.Type}, controlled, false, sn.TakenAt)
		var p TrendPoint
		switch metric {
		case "organisations":
			p = figurePoint(h.Organisations)
		case "basic_skills_gap_share":
			p = sharePoint(h.BasicSkillsGap.Share, h.Organisations)
		case "incident_response_gap_share":
			p = sharePoint(h.IncidentResponseGap.Share, h.Organisations)
		case "advanced_skills_gap_share":
			p = sharePoint(h.AdvancedSkillsGap.Share, h.Organisations)
		}
		p.At = sn.TakenAt
		series.Points = append(series.Points, p)
	}
	return series
}

func groupSeries(snaps []models.Snapshot, dim, metric string, controlled bool) []TrendSeries {
	index := map[string]int{}
	var out []TrendSeries
	for _, sn := range snaps {
		b := publishBreakdown(models.StatisticsFilter{Type: sn.Type}, []string{dim}, sn.Figures.Breakdowns[dim], controlled, sn.TakenAt)
		for _, g := range b.Groups {
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
	if out == nil {
		out = []TrendSeries{}
	}
	return out
}

func groupPoint(g models.StatGroup, metric string) TrendPoint {
	switch metric {
	case "organisations":
		return figurePoint(g.Organisations)
	case "organisations_with_gap":
		return figurePoint(g.OrganisationsWithGap)
	case "share_with_gap":
		return sharePoint(g.ShareWithGap, g.OrganisationsWithGap)
	case "demand":
		return figurePoint(g.Demand)
	case "supply":
		return figurePoint(g.Supply)
	case "shortfall":
		return figurePoint(g.Shortfall)
	}
	return sharePoint(g.Coverage, g.Supply)
}

func figurePoint(f models.Figure) TrendPoint {
	if f.Value == nil {
		return TrendPoint{Suppressed: f.Suppressed}
	}
	v := float64(*f.Value)
	return TrendPoint{Value: &v}
}

func sharePoint(share *float64, basis models.Figure) TrendPoint {
	return TrendPoint{Value: share, Suppressed: share == nil && basis.Suppressed}
}
