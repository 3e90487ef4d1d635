// Package boardreport renders the CAF B6 report (models.B6Report) as one printable A4
// page for a board paper or a DSPT submission: everything inline (its stylesheet, its
// charts as SVG), no script, and a Content-Security-Policy that admits nothing else.
package boardreport

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"strconv"
	"strings"
	"time"

	"cyberskills/api/dashboard/chart"
	"cyberskills/models"
)

//go:embed report.html
var pageText string

//go:embed report.css
var css string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"date":          func(t time.Time) string { return t.UTC().Format("2 January 2006") },
	"datetime":      func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04") },
	"stamp":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"dateptr":       datePtr,
	"pct":           pct,
	"signed":        func(n int) string { return strconv.FormatInt(int64(n), 10) },
	"join":          func(s []string) string { return strings.Join(s, ", ") },
	"audienceTitle": func(a models.Audience) string { return a.Title() },
	"audiences":     audienceTitles,
	"statusText":    func(s any) string { return strings.ReplaceAll(toString(s), "_", " ") },
}).Parse(pageText))

// ContentSecurityPolicy admits the report's own inline stylesheet, by its hash, and
// nothing else: no script, no connection, no form, no framing. The page is a document of
// personal data served under the API, saved or attached as it stands; it needs nothing
// the dashboard's pages need.
var ContentSecurityPolicy = "default-src 'none'; style-src '" + styleHash() + "'; img-src data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func styleHash() string {
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// monthFigures is one month-end of the evaluation: everyone, and the key roles together.
type monthFigures struct {
	Month    string
	All, Key models.GroupFigures
}

// Render writes the report as HTML.
func Render(r models.B6Report) ([]byte, error) {
	v := struct {
		R                           models.B6Report
		CSS                         template.CSS
		Totals, ByRole              []models.DeliveryLine
		History                     []monthFigures
		DeliveryChart, HistoryChart template.HTML
	}{R: r, CSS: template.CSS(css)}
	for _, d := range r.Delivery {
		if d.Total {
			v.Totals = append(v.Totals, d)
		} else {
			v.ByRole = append(v.ByRole, d)
		}
	}
	for _, m := range r.Evaluation.MonthEnds {
		v.History = append(v.History, monthOf(m))
	}
	v.DeliveryChart = deliveryChart(v.Totals)
	v.HistoryChart = historyChart(v.History)
	var b bytes.Buffer
	err := page.Execute(&b, v)
	return b.Bytes(), err
}

// monthOf sums a month-end's key roles.
func monthOf(m models.MonthEnd) monthFigures {
	out := monthFigures{Month: m.Month}
	var key models.TrainingFigures
	for _, g := range m.Groups {
		if g.Audience == models.AudienceAllStaff {
			out.All = g
		} else {
			key = key.Add(g.TrainingFigures)
		}
	}
	out.Key = models.GroupFigures{TrainingFigures: key, InDateShare: key.InDateShare()}
	return out
}

// deliveryChart draws the share in date of each staff group that has anyone in it.
func deliveryChart(totals []models.DeliveryLine) template.HTML {
	c := chart.Bars{ID: "delivery-chart", Title: "Share of each staff group in date",
		Desc: "One bar per staff group: the percentage of the people its requirement applies to whose training is in date.", Max: 100}
	for _, d := range totals {
		bar := chart.Bar{Label: d.Audience.Title(), Value: d.InDateShare, Text: pct(d.InDateShare)}
		if d.Headcount == 0 {
			bar.Text = "nobody in this group"
		}
		c.Items = append(c.Items, bar)
	}
	return c.SVG()
}

// historyChart draws the share in date at each month-end, everyone and key roles.
func historyChart(months []monthFigures) template.HTML {
	l := chart.Lines{ID: "history-chart", Title: "Share in date at each month-end",
		Desc: "Two lines over the last 12 month-ends: all staff, and the key role requirements together.", YMin: 0, YMax: 100,
		YFormat: func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) + "%" }, Width: 640, Height: 250}
	all, key := chart.Series{Name: "All staff"}, chart.Series{Name: "Key roles"}
	for _, m := range months {
		l.X = append(l.X, m.Month)
		all.Values = append(all.Values, m.All.InDateShare)
		key.Values = append(key.Values, m.Key.InDateShare)
	}
	l.Series = []chart.Series{all, key}
	return l.SVG()
}

func datePtr(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return t.UTC().Format("2 Jan 2006")
}

func pct(f *float64) string {
	if f == nil {
		return "–"
	}
	return strconv.FormatFloat(*f, 'f', 1, 64) + "%"
}

func audienceTitles(as []models.Audience) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Title()
	}
	return strings.Join(names, ", ")
}

func toString(s any) string {
	switch v := s.(type) {
	case models.IndicatorStatus:
		return string(v)
	case models.TrainingStatus:
		return string(v)
	}
	return ""
}
