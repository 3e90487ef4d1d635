package api

import (
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/service"
)

// statisticsQuery reads the shared filters, and whether disclosure control applies:
// always for analysts, for admins unless they ask for raw figures.
func statisticsQuery(c *gin.Context) (service.StatisticsQuery, *params) {
	q := queryParams(c)
	f := models.StatisticsFilter{
		Type:   q.oneOf("type", "trust", "region", "icb", "trust", "department", "practice", "other"),
		Region: q.str("region"), ICB: q.str("icb"), Sector: q.str("sector"),
		SizeBand: q.oneOf("size_band", "", "micro", "small", "medium", "large", "very_large"),
	}
	raw := q.oneOf("disclosure", "controlled", "controlled", "none") == "none"
	q.oneOf("format", "json", "json", "csv")
	if raw && principal(c).Role != models.RoleAdmin {
		q.v.Add("disclosure", "only admin tokens may ask for raw figures")
	}
	return service.StatisticsQuery{Filter: f, Controlled: !raw}, q
}

// getHeadline godoc
// @Summary      National headline: share of organisations with a skills gap
// @Description  Over active organisations of a type (default trust), optionally filtered: how many there are and the share with a basic skills gap, an incident response gap and an advanced skills gap, and per skill the share with a gap in it. Live: read from aggregates maintained as data changes. Disclosure control for analysts (admins may ask for raw figures with disclosure=none); the rules are stated in the metadata. Under control, every figure is published as the breakdowns publish it (a filtered headline's figures are cells of the breakdowns by its filter and by tier or skill), so a headline takes at most one filter.
// @ID           getHeadline
// @Tags         statistics
// @Produce      json,text/csv
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,sub_icb,trust,department,practice,other)
// @Param        region      query     string  false  "Region code, e.g. Y56"
// @Param        icb         query     string  false  "ICB code"
// @Param        sector      query     string  false  "Sector, e.g. acute"
// @Param        size_band   query     string  false  "Size band"  Enums(micro,small,medium,large,very_large)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  disclosure.HeadlineStatistics
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "scope,skill,measure,organisations,share_percent"
// @Router       /api/v1/statistics/headline [get]
func (s *Server) getHeadline(c *gin.Context) (reply, error) {
	sq, q := statisticsQuery(c)
	if err := q.err(); err != nil {
		return reply{}, err
	}
	h, err := s.svc.Headline(c.Request.Context(), sq)
	return ok(tabular(h, headlineCSV)), err
}

func headlineCSV(h disclosure.HeadlineStatistics) ([]string, [][]cell) {
	all := func(measure string, f disclosure.Figure, share *float64) []cell {
		return []cell{text("all"), text(""), text(measure), figureCell(f), floatCell(share)}
	}
	rows := [][]cell{
		all("organisations", h.Organisations, nil),
		all("basic_skills_gap", h.BasicSkillsGap.Organisations, h.BasicSkillsGap.Share),
		all("incident_response_gap", h.IncidentResponseGap.Organisations, h.IncidentResponseGap.Share),
		all("advanced_skills_gap", h.AdvancedSkillsGap.Organisations, h.AdvancedSkillsGap.Share),
	}
	for _, sk := range h.Skills {
		rows = append(rows, []cell{text("skill"), text(sk.Skill), text("organisations_with_gap"), figureCell(sk.Organisations), floatCell(sk.Share)})
	}
	return []string{"scope", "skill", "measure", "organisations", "share_percent"}, rows
}

// getBreakdown godoc
// @Summary      Skills-gap statistics by region, ICB, sector, size band, skill or tier
// @Description  Groups organisations of a type (default trust) by one or two dimensions (group_by=region or group_by=region,tier): per group the organisations, those with a gap, staff demand, supply and shortfall, and staff per proficiency level; and the total. Disclosure control for analysts, as stated in the metadata; admins may ask for raw figures with disclosure=none. Under control, a filtered breakdown is the slice of the breakdown of all organisations by the filtered and grouped dimensions (at most two in all), and its total is the filtered cell of the breakdown by the filters; every breakdown of the organisation type is published together, so that no withheld figure can be worked out from published ones.
// @ID           getBreakdown
// @Tags         statistics
// @Produce      json,text/csv
// @Param        group_by    query     string  true   "One or two of region, icb, sector, size_band, skill, tier, comma-separated"
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,sub_icb,trust,department,practice,other)
// @Param        region      query     string  false  "Region code, e.g. Y56"
// @Param        icb         query     string  false  "ICB code"
// @Param        sector      query     string  false  "Sector, e.g. acute"
// @Param        size_band   query     string  false  "Size band"  Enums(micro,small,medium,large,very_large)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  disclosure.BreakdownStatistics
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "([a-z_]+,){1,2}organisations,organisations_with_gap,share_with_gap,demand,supply,shortfall,coverage,staff_level_1,staff_level_2,staff_level_3,staff_level_4"
// @Router       /api/v1/statistics/gaps [get]
func (s *Server) getBreakdown(c *gin.Context) (reply, error) {
	sq, q := statisticsQuery(c)
	sq.GroupBy = splitList(q.str("group_by"))
	q.v.Check(len(sq.GroupBy) >= 1 && len(sq.GroupBy) <= 2, "group_by", "one or two of "+strings.Join(models.StatisticsDimensions(), ", "))
	if err := q.err(); err != nil {
		return reply{}, err
	}
	b, err := s.svc.Breakdown(c.Request.Context(), sq)
	return ok(tabular(b, breakdownCSV)), err
}

func breakdownCSV(b disclosure.BreakdownStatistics) ([]string, [][]cell) {
	header := append([]string{}, b.GroupBy...)
	header = append(header, "organisations", "organisations_with_gap", "share_with_gap", "demand", "supply", "shortfall",
		"coverage", "staff_level_1", "staff_level_2", "staff_level_3", "staff_level_4")
	row := func(keys []string, g disclosure.StatGroup) []cell {
		r := models.CSVTexts(keys...)
		return append(r, figureCell(g.Organisations), figureCell(g.OrganisationsWithGap), floatCell(g.ShareWithGap),
			figureCell(g.Demand), figureCell(g.Supply), figureCell(g.Shortfall), floatCell(g.Coverage),
			figureCell(g.StaffByLevel["1"]), figureCell(g.StaffByLevel["2"]), figureCell(g.StaffByLevel["3"]), figureCell(g.StaffByLevel["4"]))
	}
	var rows [][]cell
	for _, g := range b.Groups {
		keys := make([]string, len(b.GroupBy))
		for i, d := range b.GroupBy {
			keys[i] = models.GroupName(d, g.Group[d])
		}
		rows = append(rows, row(keys, g))
	}
	totalKeys := make([]string, len(b.GroupBy))
	for i := range totalKeys {
		totalKeys[i] = "total"
	}
	return header, append(rows, row(totalKeys, b.Total))
}

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
// @Param        type  query     string  false  "Organisation type (default trust)"  Enums(region,icb,sub_icb,trust,department,practice,other)
// @Success      201   {object}  SnapshotTaken
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/statistics/snapshots [post]
func (s *Server) takeSnapshot(c *gin.Context) (reply, error) {
	q := queryParams(c)
	typ := q.oneOf("type", "trust", "region", "icb", "trust", "department", "practice", "other")
	if err := q.err(); err != nil {
		return reply{}, err
	}
	snap, err := s.svc.TakeSnapshot(c.Request.Context(), principal(c), typ)
	return created(SnapshotTaken{ID: snap.ID, TakenAt: snap.TakenAt, Type: snap.Type}), err
}

// getTrends godoc
// @Summary      A statistic over time
// @Description  The series of a metric from the stored snapshots in [from, to). Without group_by: organisations or the share of organisations with a basic, incident response or advanced skills gap. With group_by (one dimension): per group, organisations, organisations_with_gap, share_with_gap, demand, supply, shortfall or coverage. Snapshots are national, so the region, icb, sector and size_band filters are refused. Disclosure control as for the breakdowns: each snapshot is published as the live figures were when it was taken; of snapshots taken before they kept their population, analysts see the headline only.
// @ID           getTrends
// @Tags         statistics
// @Produce      json,text/csv
// @Param        metric      query     string  true   "Without group_by one of organisations, basic_skills_gap_share, incident_response_gap_share, advanced_skills_gap_share; with group_by one of organisations, organisations_with_gap, share_with_gap, demand, supply, shortfall, coverage"  Enums(organisations,basic_skills_gap_share,incident_response_gap_share,advanced_skills_gap_share,organisations_with_gap,share_with_gap,demand,supply,shortfall,coverage)
// @Param        group_by    query     string  false  "One dimension"  Enums(region,icb,sector,size_band,skill,tier)
// @Param        from        query     string  false  "From this date (default a year ago)"
// @Param        to          query     string  false  "Up to this date, exclusive (default now)"
// @Param        type        query     string  false  "Organisation type (default trust)"  Enums(region,icb,sub_icb,trust,department,practice,other)
// @Param        disclosure  query     string  false  "none for raw figures (admin only)"  Enums(controlled,none)
// @Param        format      query     string  false  "csv for CSV (or Accept: text/csv)"  Enums(json,csv)
// @Success      200         {object}  disclosure.Trends
// @Failure      400         {object}  problem.Problem
// @Failure      403         {object}  problem.Problem
// @Security     BearerAuth
// @x-csv-header  "([a-z_]+,)?metric,at,value,suppressed"
// @Router       /api/v1/statistics/trends [get]
func (s *Server) getTrends(c *gin.Context) (reply, error) {
	sq, q := statisticsQuery(c)
	tq := service.TrendsQuery{Filter: sq.Filter, Controlled: sq.Controlled,
		GroupBy: q.oneOf("group_by", "", models.StatisticsDimensions()...)}
	tq.Metric = trendMetric(q, tq.GroupBy)
	tq.From, tq.To = q.time("from"), q.time("to")
	dims, _ := disclosure.FilteredDims(sq.Filter)
	for _, d := range dims {
		q.v.Add(d, "snapshots are national: break them down with group_by instead")
	}
	if err := q.err(); err != nil {
		return reply{}, err
	}
	t, err := s.svc.Trends(c.Request.Context(), tq)
	return ok(tabular(t, trendsCSV)), err
}

// trendMetric reads the metric of a trend, which must be one the grouping has: missing
// or wrong, one message names the metrics valid for the group_by given. A group_by that
// is itself wrong has its own message, and then no metric can be judged.
func trendMetric(q *params, groupBy string) string {
	if groupBy == "" && q.str("group_by") != "" {
		return ""
	}
	allowed, grouping := disclosure.HeadlineMetrics, "without group_by"
	if groupBy != "" {
		allowed, grouping = disclosure.GroupMetrics, "with group_by="+groupBy
	}
	metric := q.str("metric")
	if !slices.Contains(allowed, metric) {
		q.v.Add("metric", "must be one of "+strings.Join(allowed, ", ")+" "+grouping)
		return ""
	}
	return metric
}

func trendsCSV(t disclosure.Trends) ([]string, [][]cell) {
	header := []string{"metric", "at", "value", "suppressed"}
	if t.GroupBy != "" {
		header = append([]string{t.GroupBy}, header...)
	}
	var rows [][]cell
	for _, s := range t.Series {
		for _, p := range s.Points {
			row := []cell{text(t.Metric), text(p.At.Format(time.RFC3339)), floatCell(p.Value), boolCell(p.Suppressed)}
			if t.GroupBy != "" {
				row = append([]cell{text(models.GroupName(t.GroupBy, s.Group[t.GroupBy]))}, row...)
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// figureCell writes a published figure: empty when suppressed.
func figureCell(f disclosure.Figure) cell { return intPtrCell(f.Value) }

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
