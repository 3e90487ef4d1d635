package chart

import (
	"fmt"
	"html/template"
	"sort"
	"time"
)

// Event is something that happens on a day of a timeline's row: a certificate lapsing.
// Marked events (a lapse that opens a gap) are drawn filled, others as outlines.
type Event struct {
	Row    int
	At     time.Time
	Marked bool
}

// Timeline places events on a calendar, one row per category (a skill), from Start for
// Days days. Events of the same row and week are drawn as one mark with their count,
// filled when any of them is marked.
type Timeline struct {
	ID, Title, Desc string
	Rows            []string
	Start           time.Time
	Days            int
	Events          []Event
	MarkedLabel     string // what a filled mark means
	PlainLabel      string // what an outline means
}

// SVG draws the timeline.
func (t Timeline) SVG() template.HTML {
	left := 16.0
	for _, r := range t.Rows {
		left = max(left, float64(len([]rune(truncate(r, 34))))*charW+16)
	}
	const plotW, rowH, top = 600.0, 32.0, 30.0
	days := max(t.Days, 1)
	w := int(left + plotW + 30)
	h := int(top + rowH*float64(len(t.Rows)) + 70)
	xAt := func(at time.Time) float64 {
		d := at.Sub(t.Start).Hours() / 24
		return left + plotW*max(0, min(1, d/float64(days)))
	}
	var s svg
	s.open(t.ID, t.Title, t.Desc, w, h)
	bottom := top + rowH*float64(len(t.Rows))
	for d := 0; d <= days; d += 15 {
		at := t.Start.AddDate(0, 0, d)
		x := xAt(at)
		s.line(x, top-6, x, bottom, "#d9d9d9", 1, "")
		s.text(x, top-12, "middle", "#1a1a1a", "axis", at.Format("2 Jan"))
	}
	for i, r := range t.Rows {
		y := top + rowH*float64(i) + rowH/2
		s.text(left-8, y+4, "end", "#1a1a1a", "axis", truncate(r, 34))
		s.line(left, y, left+plotW, y, "#bfbfbf", 1, "2 3")
	}
	// A mark per row and week: days are too narrow to tell apart at this width.
	type key struct{ row, week int }
	groups := map[key][]Event{}
	for _, e := range t.Events {
		k := key{e.Row, int(e.At.Sub(t.Start).Hours() / 24 / 7)}
		groups[k] = append(groups[k], e)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].row != keys[j].row {
			return keys[i].row < keys[j].row
		}
		return keys[i].week < keys[j].week
	})
	for _, k := range keys {
		evs := groups[k]
		marked := 0
		for _, e := range evs {
			if e.Marked {
				marked++
			}
		}
		week := t.Start.AddDate(0, 0, 7*k.week)
		x, y := xAt(week.Add(84*time.Hour)), top+rowH*float64(k.row)+rowH/2
		tip := fmt.Sprintf("%s, week of %s: %d lapsing, %d opening a gap", t.Rows[k.row], week.Format("2 Jan 2006"), len(evs), marked)
		fill, stroke, ink := "#ffffff", "#3e4989", "#000000"
		if marked > 0 {
			fill, ink = "#3e4989", "#ffffff"
		}
		fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="13" fill="%s" stroke="%s" stroke-width="2"><title>%s</title></circle>`, x, y, fill, stroke, esc(tip))
		s.text(x, y+4, "middle", ink, "cell-text", fmt.Sprint(len(evs)))
	}
	ly := bottom + 34
	fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="8" fill="#3e4989" stroke="#3e4989" stroke-width="2"/>`, left+8, ly-4)
	s.text(left+24, ly, "start", "#1a1a1a", "legend", t.MarkedLabel)
	fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="8" fill="#ffffff" stroke="#3e4989" stroke-width="2"/>`, left+308, ly-4)
	s.text(left+324, ly, "start", "#1a1a1a", "legend", t.PlainLabel)
	s.text(left, ly+22, "start", "#1a1a1a", "legend", "A mark is a week; its number counts the lapses that week.")
	return s.close()
}
