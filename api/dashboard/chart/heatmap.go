package chart

import (
	"fmt"
	"html/template"
)

// HeatCell is one cell of a heat map: a figure with the text printed in it, a figure
// withheld by disclosure control, or nothing (no figure applies: Value nil).
type HeatCell struct {
	Value      *float64
	Label      string
	Suppressed bool
	Tooltip    string
}

// Heatmap is a grid of figures coloured by value, each cell printing its value.
type Heatmap struct {
	ID, Title, Desc string
	Rows, Cols      []string
	Cells           [][]HeatCell // [row][column]
	Scale           Scale
	ScaleLabel      string                 // what the colour means, e.g. "share of trusts with a gap (%)"
	FormatStep      func(v float64) string // a legend step's lower bound
	EmptyLabel      string                 // what an empty cell means, e.g. "not required"
	Disclosure      bool                   // figures under disclosure control: the legend explains the hatching
}

const (
	cellW, cellH = 86.0, 30.0
	charW        = 6.6 // average width of a character at the labels' size
)

// SVG draws the heat map with its legend.
func (h Heatmap) SVG() template.HTML {
	left := 16.0
	for _, r := range h.Rows {
		left = max(left, float64(len([]rune(truncate(r, 34))))*charW+16)
	}
	top := 16.0
	for _, c := range h.Cols {
		top = max(top, float64(len([]rune(truncate(c, 40))))*charW*0.72+24)
	}
	gridW, gridH := cellW*float64(len(h.Cols)), cellH*float64(len(h.Rows))
	legendY := top + gridH + 28
	w := int(max(left+gridW+top, 640)) // rotated column labels reach right by about their height
	ht := int(legendY + 64)
	var s svg
	s.open(h.ID, h.Title, h.Desc, w, ht)
	hatch := s.hatch(h.ID)
	for j, c := range h.Cols {
		x := left + cellW*float64(j) + cellW/2
		fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="start" fill="#1a1a1a" class="axis" transform="rotate(-45 %.1f %.1f)">%s</text>`,
			x, top-8, x, top-8, esc(truncate(c, 40)))
	}
	for i, r := range h.Rows {
		y := top + cellH*float64(i)
		s.text(left-8, y+cellH/2+4, "end", "#1a1a1a", "axis", truncate(r, 34))
		for j := range h.Cols {
			cell := HeatCell{}
			if i < len(h.Cells) && j < len(h.Cells[i]) {
				cell = h.Cells[i][j]
			}
			x := left + cellW*float64(j)
			switch {
			case cell.Suppressed:
				s.rect(x+1, y+1, cellW-2, cellH-2, hatch, "cell suppressed", orDefault(cell.Tooltip, r+", "+h.Cols[j]+": suppressed"))
				s.text(x+cellW/2, y+cellH/2+4, "middle", "#000000", "cell-text halo", "suppressed")
			case cell.Value == nil:
				s.rect(x+1, y+1, cellW-2, cellH-2, "#ffffff", "cell empty", orDefault(cell.Tooltip, r+", "+h.Cols[j]+": "+h.EmptyLabel))
				s.text(x+cellW/2, y+cellH/2+4, "middle", "#595959", "cell-text", "–")
			default:
				fill := h.Scale.Colour(*cell.Value)
				s.rect(x+1, y+1, cellW-2, cellH-2, fill, "cell", orDefault(cell.Tooltip, r+", "+h.Cols[j]+": "+cell.Label))
				s.text(x+cellW/2, y+cellH/2+4, "middle", TextOn(fill), "cell-text", cell.Label)
			}
		}
	}
	h.legend(&s, left, legendY, hatch)
	return s.close()
}

// legend draws the scale's steps, the suppressed pattern and the empty cell.
func (h Heatmap) legend(s *svg, x, y float64, hatch string) {
	s.text(x, y-8, "start", "#1a1a1a", "legend-title", h.ScaleLabel)
	const sw = 30.0
	for i, st := range h.Scale.Steps() {
		s.rect(x+sw*float64(i), y, sw, 16, st.Colour, "", "")
		if i%2 == 0 {
			s.text(x+sw*float64(i), y+30, "start", "#1a1a1a", "legend", h.FormatStep(st.From))
		}
	}
	x += sw*float64(len(viridis)) + 24
	if h.Disclosure {
		s.rect(x, y, 24, 16, hatch, "", "")
		s.text(x+30, y+13, "start", "#1a1a1a", "legend", "suppressed (disclosure control)")
		x += 240
	}
	if h.EmptyLabel != "" {
		s.rect(x, y, 24, 16, "#ffffff", "swatch-empty", "")
		s.text(x+30, y+13, "start", "#1a1a1a", "legend", "– "+h.EmptyLabel)
	}
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
