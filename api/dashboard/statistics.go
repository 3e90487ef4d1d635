package dashboard

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard/chart"
	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/service"
)

// The analysts' views read the national statistics under disclosure control, as an
// analyst's API call does, for admins too: the dashboard shows published figures only.

var orgTypes = []option{{Value: "trust", Label: "Trusts"}, {Value: "practice", Label: "GP practices"}, {Value: "other", Label: "Other bodies"}}

var sizeBands = []option{{Value: "micro", Label: "micro"}, {Value: "small", Label: "small"}, {Value: "medium", Label: "medium"},
	{Value: "large", Label: "large"}, {Value: "very_large", Label: "very large"}}

var measures = []struct{ key, label, metric string }{
	{"basic_skills_gap", "Basic skills gap", "basic_skills_gap_share"},
	{"incident_response_gap", "Incident response gap", "incident_response_gap_share"},
	{"advanced_skills_gap", "Advanced skills gap", "advanced_skills_gap_share"},
}

// statisticsFilter reads the organisation type and the one filter (sector or size band)
// a view takes: a headline under disclosure control takes at most one, and a breakdown
// by one dimension one more.
func statisticsFilter(c *gin.Context) (models.StatisticsFilter, string) {
	f := models.StatisticsFilter{Type: pick(c.Query("type"), orgTypes)}
	sel := c.Query("filter")
	dim, value, _ := strings.Cut(sel, ":")
	switch dim {
	case "sector":
		f.Sector = value
	case "size_band":
		f.SizeBand = pick(value, sizeBands)
	default:
		sel = ""
	}
	return f, sel
}

// pick is v when it is one of the options, else the first option's value.
func pick(v string, opts []option) string {
	for _, o := range opts {
		if o.Value == v {
			return v
		}
	}
	return opts[0].Value
}

func selected(opts []option, v string) []option {
	out := slices.Clone(opts)
	for i := range out {
		out[i].Selected = out[i].Value == v
	}
	return out
}

// filterForm offers the organisation type and one filter, sectors as published.
func (d *Dashboard) filterForm(c *gin.Context, action string, f models.StatisticsFilter, sel string, extra ...field) (form, error) {
	opts := []option{{Value: "", Label: "All organisations"}}
	sectors, err := d.svc.Breakdown(c.Request.Context(), service.StatisticsQuery{Filter: models.StatisticsFilter{Type: f.Type}, GroupBy: []string{"sector"}, Controlled: true})
	if err != nil {
		return form{}, err
	}
	for _, g := range sectors.Groups {
		opts = append(opts, option{Value: "sector:" + g.Group["sector"], Label: "Sector: " + label(g, "sector")})
	}
	for _, b := range sizeBands {
		opts = append(opts, option{Value: "size_band:" + b.Value, Label: "Size band: " + b.Label})
	}
	fields := append([]field{
		{Label: "Organisations", Name: "type", Type: "select", Options: selected(orgTypes, f.Type)},
		{Label: "Filter (one at a time)", Name: "filter", Type: "select", Options: selected(opts, sel),
			Hint: "Under disclosure control a headline takes one filter."},
	}, extra...)
	return form{ID: "filters", Legend: "Filters", Action: action, Method: "get", Submit: "Apply", Fields: fields}, nil
}

func label(g disclosure.StatGroup, dim string) string {
	if l := g.Labels[dim]; l != "" {
		return l
	}
	return g.Group[dim]
}

func statsQuery(f models.StatisticsFilter, extra ...string) string {
	q := url.Values{"type": {f.Type}}
	if f.Sector != "" {
		q.Set("sector", f.Sector)
	}
	if f.SizeBand != "" {
		q.Set("size_band", f.SizeBand)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q.Encode()
}

func disclosureNotes() []string {
	notes := []string{"Disclosure control applies to every figure here, as to an analyst's API answers. Suppressed figures are drawn hatched and marked \"suppressed\"; the rules:"}
	return append(notes, disclosure.Rules...)
}

// Statistics is GET /dashboard/statistics: the national headline in the survey's three
// measures, their trend over the snapshots, and the share with a gap in each skill.
func (d *Dashboard) Statistics(c *gin.Context) {
	ctx := c.Request.Context()
	f, sel := statisticsFilter(c)
	h, err := d.svc.Headline(ctx, service.StatisticsQuery{Filter: f, Controlled: true})
	if err != nil {
		d.fail(c, err)
		return
	}
	filters, err := d.filterForm(c, Prefix+"/statistics", f, sel)
	if err != nil {
		d.fail(c, err)
		return
	}
	v := view{Title: "National headline", Forms: []form{filters}, Notes: disclosureNotes(),
		Lead: "The share of organisations with a skills gap in the survey's three measures, live, under disclosure control."}
	v.Cards = append(v.Cards, card{Key: "organisations", Label: "Organisations", Value: figureText(h.Organisations),
		DataValue: figureValue(h.Organisations), Suppressed: h.Organisations.Suppressed, Detail: "active, of the chosen type"})
	for _, m := range measures {
		g := gapMeasure(h, m.key)
		detail := figureText(g.Organisations) + " organisations"
		if g.Organisations.Suppressed {
			detail = "suppressed by disclosure control"
		}
		v.Cards = append(v.Cards, card{Key: m.key, Label: m.label, Value: pct(g.Share), DataValue: numPtr(g.Share),
			Suppressed: g.Organisations.Suppressed, Detail: detail})
	}
	trend, err := d.trendSection(c, f.Type)
	if err != nil {
		d.fail(c, err)
		return
	}
	v.Sections = append(v.Sections, trend, skillShares(h, f))
	d.render(c, http.StatusOK, "view.html", v)
}

func gapMeasure(h disclosure.HeadlineStatistics, key string) disclosure.GapMeasure {
	switch key {
	case "basic_skills_gap":
		return h.BasicSkillsGap
	case "incident_response_gap":
		return h.IncidentResponseGap
	}
	return h.AdvancedSkillsGap
}

func figureText(f disclosure.Figure) string { return figureCell("", f).Text }
func figureValue(f disclosure.Figure) string {
	return figureCell("", f).Value
}

// trendSection draws the three measures over the stored snapshots (national: snapshots
// take no filter).
func (d *Dashboard) trendSection(c *gin.Context, orgType string) (section, error) {
	var series []chart.Series
	var dates []string
	var rows []row // a row per snapshot: the three measures come from the same snapshots
	for k, m := range measures {
		t, err := d.svc.Trends(c.Request.Context(), service.TrendsQuery{Filter: models.StatisticsFilter{Type: orgType}, Metric: m.metric, Controlled: true})
		if err != nil {
			return section{}, err
		}
		s := chart.Series{Name: m.label}
		for i, p := range t.Series[0].Points {
			if k == 0 {
				dates = append(dates, p.At.Format("2006-01-02"))
				rows = append(rows, row{Key: p.At.Format(time.RFC3339Nano), Cells: []tcell{headCell("at", p.At.Format("2006-01-02"))}})
			}
			s.Values = append(s.Values, p.Value)
			s.Withheld = append(s.Withheld, p.Suppressed)
			cell := tcell{Col: m.key, Text: pct(p.Value), Value: numPtr(p.Value), Numeric: true}
			if p.Suppressed {
				cell = tcell{Col: m.key, Text: "suppressed", Suppressed: true}
			}
			rows[i].Cells = append(rows[i].Cells, cell)
		}
		series = append(series, s)
	}
	sec := section{ID: "trend", Heading: "Trend over the snapshots",
		Intro: "National figures from the monthly snapshots of the last year (snapshots take no filter).",
		CSV: []link{{"Basic skills gap trend (CSV)", Prefix + "/csv/statistics/trends?" + statsQuery(models.StatisticsFilter{Type: orgType}, "metric", "basic_skills_gap_share")},
			{"Incident response gap trend (CSV)", Prefix + "/csv/statistics/trends?" + statsQuery(models.StatisticsFilter{Type: orgType}, "metric", "incident_response_gap_share")},
			{"Advanced skills gap trend (CSV)", Prefix + "/csv/statistics/trends?" + statsQuery(models.StatisticsFilter{Type: orgType}, "metric", "advanced_skills_gap_share")}}}
	if len(dates) == 0 {
		sec.Empty = "No snapshot has been taken yet: the service takes one each month."
		return sec, nil
	}
	sec.Chart = chart.Lines{ID: "trend-chart", Title: "Share of organisations with each gap, by snapshot",
		Desc: trendDesc(dates, series), X: dates, Series: series, YMin: 0, YMax: 100, YFormat: func(v float64) string { return num(v) + "%" }}.SVG()
	sec.Table = &table{ID: "trend-table", Caption: "Share of organisations with each gap, by snapshot",
		Head: []string{"Snapshot", "Basic", "Incident response", "Advanced"}, Rows: rows}
	return sec, nil
}

func trendDesc(dates []string, series []chart.Series) string {
	var b strings.Builder
	b.WriteString("From " + dates[0] + " to " + dates[len(dates)-1] + ". ")
	for _, s := range series {
		first, last := s.Values[0], s.Values[len(s.Values)-1]
		b.WriteString(s.Name + ": " + pct(first) + " then " + pct(last) + ". ")
	}
	return b.String()
}

// skillShares ranks the skills by the share of organisations with a gap in each.
func skillShares(h disclosure.HeadlineStatistics, f models.StatisticsFilter) section {
	skills := slices.Clone(h.Skills)
	slices.SortStableFunc(skills, func(a, b disclosure.SkillMeasure) int {
		return rankDesc(a.Share, b.Share, a.Organisations.Suppressed, b.Organisations.Suppressed)
	})
	var bars []chart.Bar
	t := &table{ID: "skills-table", Caption: "Organisations with a gap in each skill", Head: []string{"Skill", "Tier", "Organisations with a gap", "Share"}}
	for _, s := range skills {
		bars = append(bars, chart.Bar{Label: s.Name, Value: s.Share, Text: pct(s.Share), Suppressed: s.Organisations.Suppressed})
		t.Rows = append(t.Rows, row{Key: s.Skill, Cells: []tcell{headCell("skill", s.Name), textCell("tier", s.Tier),
			figureCell("organisations", s.Organisations), shareCell("share", s.Share, s.Organisations)}})
	}
	return section{ID: "skills", Heading: "Share with a gap, by skill",
		Chart: chart.Bars{ID: "skills-chart", Title: "Share of organisations with a gap in each skill", Max: 100,
			Desc: "Skills ranked by the share of organisations with a gap in them; the table below lists every figure.", Items: bars}.SVG(),
		Table: t, CSV: []link{{"Headline (CSV)", Prefix + "/csv/statistics/headline?" + statsQuery(f)}}}
}

// rankDesc orders larger figures first and withheld ones last.
func rankDesc(a, b *float64, aWithheld, bWithheld bool) int {
	switch {
	case aWithheld || a == nil:
		if bWithheld || b == nil {
			return 0
		}
		return 1
	case bWithheld || b == nil:
		return -1
	}
	return cmp.Compare(*b, *a)
}
