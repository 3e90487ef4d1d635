package dashboard

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/dashboard/chart"
	"cyberskills/models"
	"cyberskills/models/disclosure"
	"cyberskills/service"
)

var areaDims = []option{{Value: "region", Label: "Region"}, {Value: "icb", Label: "ICB"}}
var skillDims = []option{{Value: "tier", Label: "Tier"}, {Value: "skill", Label: "Skill"}}

// HeatMap is GET /dashboard/statistics/map: the share of organisations with a gap by
// region or ICB and by tier or skill. It is a two-way table, the most disclosure control
// publishes, so it takes no filter.
func (d *Dashboard) HeatMap(c *gin.Context) {
	f := models.StatisticsFilter{Type: pick(c.Query("type"), orgTypes)}
	rowsDim, colsDim := pick(c.Query("rows"), areaDims), pick(c.Query("cols"), skillDims)
	b, err := d.svc.Breakdown(c.Request.Context(), service.StatisticsQuery{Filter: f, GroupBy: []string{rowsDim, colsDim}, Controlled: true})
	if err != nil {
		d.fail(c, err)
		return
	}
	rows, cols := axis(b.Groups, rowsDim), axis(b.Groups, colsDim)
	cells := make([][]chart.HeatCell, len(rows))
	for i := range cells {
		cells[i] = make([]chart.HeatCell, len(cols))
	}
	t := &table{ID: "map-table", Caption: "Organisations with a gap by " + dimLabel(rowsDim) + " and " + dimLabel(colsDim),
		Head: []string{dimLabel(rowsDim), dimLabel(colsDim), "Organisations", "With a gap", "Share"}}
	suppressed := 0
	for _, g := range b.Groups {
		i, j := indexOf(rows, g.Group[rowsDim]), indexOf(cols, g.Group[colsDim])
		withheld := g.Suppressed || g.OrganisationsWithGap.Suppressed
		cells[i][j] = chart.HeatCell{Value: g.ShareWithGap, Label: pct(g.ShareWithGap), Suppressed: withheld}
		if withheld {
			suppressed++
		}
		t.Rows = append(t.Rows, row{Key: g.Group[rowsDim] + "|" + g.Group[colsDim], Cells: []tcell{headCell(rowsDim, label(g, rowsDim)), textCell(colsDim, label(g, colsDim)),
			figureCell("organisations", g.Organisations), figureCell("organisations_with_gap", g.OrganisationsWithGap),
			shareCell("share_with_gap", g.ShareWithGap, g.OrganisationsWithGap)}})
	}
	controls := form{ID: "map-controls", Legend: "What to map", Action: Prefix + "/statistics/map", Method: "get", Submit: "Show",
		Fields: []field{{Label: "Organisations", Name: "type", Type: "select", Options: selected(orgTypes, f.Type)},
			{Label: "Rows", Name: "rows", Type: "select", Options: selected(areaDims, rowsDim)},
			{Label: "Columns", Name: "cols", Type: "select", Options: selected(skillDims, colsDim)}}}
	v := view{Title: "Heat map", Forms: []form{controls}, Notes: append(disclosureNotes(),
		"The heat map is a two-way table (area by tier or skill), the most disclosure control publishes, so it takes no sector or size-band filter; the ranking takes one."),
		Lead: "The share of organisations with a gap, by " + dimLabel(rowsDim) + " and " + dimLabel(colsDim) + ". Darker is a larger share."}
	sec := section{ID: "map", Heading: "Share with a gap by " + dimLabel(rowsDim) + " and " + dimLabel(colsDim), Table: t,
		CSV: []link{{"These figures (CSV)", Prefix + "/csv/statistics/gaps?" + statsQuery(f, "group_by", rowsDim+","+colsDim)}}}
	if len(rows) == 0 {
		sec.Empty = "No organisations of this type."
	} else {
		rowLabels, colLabels := labels(b.Groups, rowsDim, rows), labels(b.Groups, colsDim, cols)
		sec.Chart = chart.Heatmap{ID: "map-chart", Title: "Share of organisations with a gap by " + dimLabel(rowsDim) + " and " + dimLabel(colsDim),
			Desc: strconv.Itoa(len(rows)) + " " + dimLabel(rowsDim) + " rows by " + strconv.Itoa(len(cols)) + " " + dimLabel(colsDim) +
				" columns; " + strconv.Itoa(suppressed) + " cells suppressed by disclosure control. Every figure is in the table below.",
			Rows: rowLabels, Cols: colLabels, Cells: cells, Scale: chart.Scale{Min: 0, Max: 100},
			ScaleLabel: "Share of organisations with a gap (%)", FormatStep: func(v float64) string { return strconv.Itoa(int(v+0.5)) + "%" },
			EmptyLabel: "no organisations", Disclosure: true}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

// Ranking is GET /dashboard/statistics/ranking: regions or ICBs ranked by a measure,
// with one filter.
func (d *Dashboard) Ranking(c *gin.Context) {
	f, sel := statisticsFilter(c)
	by := pick(c.Query("by"), areaDims)
	metrics := []option{{Value: "share_with_gap", Label: "Share with a gap"}, {Value: "shortfall", Label: "Staff shortfall"}, {Value: "coverage", Label: "Requirements met (coverage)"}}
	metric := pick(c.Query("measure"), metrics)
	b, err := d.svc.Breakdown(c.Request.Context(), service.StatisticsQuery{Filter: f, GroupBy: []string{by}, Controlled: true})
	if err != nil {
		d.fail(c, err)
		return
	}
	filters, err := d.filterForm(c, Prefix+"/statistics/ranking", f, sel,
		field{Label: "Areas", Name: "by", Type: "select", Options: selected(areaDims, by)},
		field{Label: "Ranked by", Name: "measure", Type: "select", Options: selected(metrics, metric)})
	if err != nil {
		d.fail(c, err)
		return
	}
	groups := slices.Clone(b.Groups)
	value := func(g disclosure.StatGroup) (*float64, bool) {
		switch metric {
		case "shortfall":
			if g.Shortfall.Value == nil {
				return nil, true
			}
			v := float64(*g.Shortfall.Value)
			return &v, false
		case "coverage":
			return g.Coverage, g.Coverage == nil
		}
		return g.ShareWithGap, g.ShareWithGap == nil
	}
	slices.SortStableFunc(groups, func(a, b disclosure.StatGroup) int {
		va, wa := value(a)
		vb, wb := value(b)
		if metric == "coverage" && !wa && !wb { // least covered first
			return rankDesc(vb, va, false, false)
		}
		return rankDesc(va, vb, wa, wb)
	})
	maxV := 100.0
	var bars []chart.Bar
	t := &table{ID: "ranking-table", Caption: dimLabel(by) + "s ranked by " + strings.ToLower(optionLabel(metrics, metric)),
		Head: []string{"Rank", dimLabel(by), "Organisations", "With a gap", "Share with a gap", "Demand", "Supply", "Shortfall", "Coverage"}}
	if metric == "shortfall" {
		maxV = 0
		for _, g := range groups {
			if v, w := value(g); !w {
				maxV = max(maxV, *v)
			}
		}
	}
	for i, g := range groups {
		v, withheld := value(g)
		text := pct(v)
		if metric == "shortfall" && v != nil {
			text = num(*v)
		}
		bars = append(bars, chart.Bar{Label: label(g, by), Value: v, Text: text, Suppressed: withheld})
		t.Rows = append(t.Rows, row{Key: g.Group[by], Cells: []tcell{intCell("rank", i+1), headCell(by, label(g, by)),
			figureCell("organisations", g.Organisations), figureCell("organisations_with_gap", g.OrganisationsWithGap),
			shareCell("share_with_gap", g.ShareWithGap, g.OrganisationsWithGap), figureCell("demand", g.Demand), figureCell("supply", g.Supply),
			figureCell("shortfall", g.Shortfall), shareCell("coverage", g.Coverage, g.Supply)}})
	}
	v := view{Title: "Ranking", Forms: []form{filters}, Notes: disclosureNotes(),
		Lead: dimLabel(by) + "s ranked by " + strings.ToLower(optionLabel(metrics, metric)) + ", worst first; suppressed figures last."}
	sec := section{ID: "ranking", Heading: dimLabel(by) + "s by " + strings.ToLower(optionLabel(metrics, metric)), Table: t,
		CSV: []link{{"These figures (CSV)", Prefix + "/csv/statistics/gaps?" + statsQuery(f, "group_by", by)}}}
	if len(groups) == 0 {
		sec.Empty = "No organisations match."
	} else {
		sec.Chart = chart.Bars{ID: "ranking-chart", Title: dimLabel(by) + "s ranked by " + strings.ToLower(optionLabel(metrics, metric)),
			Desc: rankingDesc(bars), Items: bars, Max: maxV}.SVG()
	}
	v.Sections = []section{sec}
	d.render(c, http.StatusOK, "view.html", v)
}

func rankingDesc(bars []chart.Bar) string {
	var shown []string
	for _, b := range bars {
		if !b.Suppressed && b.Value != nil && len(shown) < 3 {
			shown = append(shown, b.Label+" "+b.Text)
		}
	}
	return "Highest first: " + strings.Join(shown, ", ") + ". Every figure is in the table below."
}

func optionLabel(opts []option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func dimLabel(dim string) string {
	switch dim {
	case "icb":
		return "ICB"
	case "size_band":
		return "size band"
	}
	return strings.ToUpper(dim[:1]) + dim[1:]
}

// axis is the keys of a dimension in the order of the groups' labels (tiers in their
// own order).
func axis(groups []disclosure.StatGroup, dim string) []string {
	var keys []string
	name := map[string]string{}
	for _, g := range groups {
		k := g.Group[dim]
		if _, ok := name[k]; !ok {
			keys = append(keys, k)
			name[k] = label(g, dim)
		}
	}
	if dim == "tier" {
		order := map[string]int{}
		for i, t := range models.Tiers {
			order[string(t)] = i
		}
		slices.SortStableFunc(keys, func(a, b string) int { return order[a] - order[b] })
		return keys
	}
	slices.SortStableFunc(keys, func(a, b string) int { return strings.Compare(name[a], name[b]) })
	return keys
}

func labels(groups []disclosure.StatGroup, dim string, keys []string) []string {
	name := map[string]string{}
	for _, g := range groups {
		name[g.Group[dim]] = label(g, dim)
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = name[k]
	}
	return out
}

func indexOf(keys []string, k string) int { return slices.Index(keys, k) }
