package chart

import (
	"html/template"
)

// Bar is one bar of a bar chart: a figure with its printed text, or a withheld one.
type Bar struct {
	Label      string
	Value      *float64
	Text       string
	Suppressed bool
	Flag       string // a word printed after the value, e.g. "gap"
}

// Bars is a horizontal bar chart, one bar a line, in the order given (rank them first).
type Bars struct {
	ID, Title, Desc string
	Items           []Bar
	Max             float64 // the value of a full-length bar
	Colour          string  // default: a dark blue with 7:1 contrast on white
}

const barH = 26.0

// SVG draws the chart.
func (b Bars) SVG() template.HTML {
	left := 16.0
	for _, it := range b.Items {
		left = max(left, float64(len([]rune(truncate(it.Label, 48))))*charW+16)
	}
	const plotW = 420.0
	w := int(left + plotW + 150)
	h := int(barH*float64(len(b.Items)) + 16)
	colour := b.Colour
	if colour == "" {
		colour = "#31688e"
	}
	var s svg
	s.open(b.ID, b.Title, b.Desc, w, h)
	hatch := s.hatch(b.ID)
	s.line(left, 4, left, float64(h)-8, "#595959", 1, "")
	for i, it := range b.Items {
		y := 8 + barH*float64(i)
		s.text(left-8, y+barH/2+2, "end", "#1a1a1a", "axis", truncate(it.Label, 48))
		switch {
		case it.Suppressed:
			s.rect(left, y+3, 90, barH-8, hatch, "bar suppressed", it.Label+": suppressed")
			s.text(left+96, y+barH/2+2, "start", "#000000", "bar-text", "suppressed")
		case it.Value == nil:
			s.text(left+6, y+barH/2+2, "start", "#595959", "bar-text", orDefault(it.Text, "no figure"))
		default:
			bw := 0.0
			if b.Max > 0 {
				bw = plotW * max(0, min(1, *it.Value/b.Max))
			}
			s.rect(left, y+3, max(bw, 1), barH-8, colour, "bar", it.Label+": "+it.Text)
			label := it.Text
			if it.Flag != "" {
				label += "  " + it.Flag
			}
			s.text(left+bw+6, y+barH/2+2, "start", "#000000", "bar-text", label)
		}
	}
	return s.close()
}
