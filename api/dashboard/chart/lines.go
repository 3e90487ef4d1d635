package chart

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// Series is one line: a value per point of the x axis; nil is a gap (no figure, or one
// withheld by disclosure control when Withheld says so).
type Series struct {
	Name     string
	Values   []*float64
	Withheld []bool
}

// lineStyles tell series apart by dash and marker as well as by colour, so that no
// reader depends on colour alone; each colour has at least 3:1 contrast on white.
var lineStyles = []struct{ colour, dash, marker string }{
	{"#3e4989", "", "circle"},
	{"#b35806", "7 4", "square"},
	{"#1b7837", "2 3", "diamond"},
	{"#762a83", "10 3 2 3", "triangle"},
}

// Lines is a line chart over labelled points (months, snapshot dates).
type Lines struct {
	ID, Title, Desc string
	X               []string
	Series          []Series
	YMin, YMax      float64
	YFormat         func(float64) string
	Width, Height   int // default 640 x 260
}

// SVG draws the chart with a legend naming each line by its style.
func (l Lines) SVG() template.HTML {
	w, h := l.Width, l.Height
	if w == 0 {
		w = 640
	}
	if h == 0 {
		h = 260
	}
	withheld := false
	for _, se := range l.Series {
		withheld = withheld || slices.Contains(se.Withheld, true)
	}
	entries := len(l.Series)
	if withheld {
		entries++
	}
	legendH := 22.0 * float64((entries+1)/2)
	left, right, top := 56.0, 44.0, 12.0
	bottom := 40.0 + legendH
	pw, ph := float64(w)-left-right, float64(h)-top-bottom
	ymax := l.YMax
	if ymax <= l.YMin {
		ymax = l.YMin + 1
	}
	xAt := func(i int) float64 {
		if len(l.X) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(l.X)-1)
	}
	yAt := func(v float64) float64 { return top + ph*(1-(v-l.YMin)/(ymax-l.YMin)) }
	var s svg
	s.open(l.ID, l.Title, l.Desc, w, h)
	for k := 0; k <= 4; k++ {
		v := l.YMin + (ymax-l.YMin)*float64(k)/4
		y := yAt(v)
		s.line(left, y, left+pw, y, "#d9d9d9", 1, "")
		s.text(left-6, y+4, "end", "#1a1a1a", "axis", l.YFormat(v))
	}
	s.line(left, top+ph, left+pw, top+ph, "#595959", 1, "")
	every := int(math.Ceil(float64(len(l.X)) / 8))
	for i, x := range l.X {
		if i%max(every, 1) == 0 || i == len(l.X)-1 {
			s.text(xAt(i), top+ph+18, "middle", "#1a1a1a", "axis", x)
		}
	}
	for si, se := range l.Series {
		st := lineStyles[si%len(lineStyles)]
		var path strings.Builder
		pen := false
		values := se.Values[:min(len(se.Values), len(l.X))]
		for i, v := range values {
			if v == nil {
				pen = false
				if i < len(se.Withheld) && se.Withheld[i] {
					s.rect(xAt(i)-4, top+ph-10, 8, 8, "#ffffff", "", se.Name+", "+l.X[i]+": suppressed")
					s.text(xAt(i), top+ph-12, "middle", "#595959", "legend", "s")
				}
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, xAt(i), yAt(*v))
			pen = true
		}
		if path.Len() > 0 {
			fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="%s" stroke-width="2.5"`, strings.TrimSpace(path.String()), st.colour)
			if st.dash != "" {
				fmt.Fprintf(&s.b, ` stroke-dasharray="%s"`, st.dash)
			}
			s.b.WriteString(`/>`)
		}
		for i, v := range values {
			if v != nil {
				marker(&s, st.marker, xAt(i), yAt(*v), st.colour, se.Name+", "+l.X[i]+": "+l.YFormat(*v))
			}
		}
	}
	for si, se := range l.Series {
		st := lineStyles[si%len(lineStyles)]
		x := left + float64(si%2)*pw/2
		y := top + ph + 40 + 22*float64(si/2)
		fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"`, x, y-4, x+34, y-4, st.colour)
		if st.dash != "" {
			fmt.Fprintf(&s.b, ` stroke-dasharray="%s"`, st.dash)
		}
		s.b.WriteString(`/>`)
		marker(&s, st.marker, x+17, y-4, st.colour, "")
		s.text(x+42, y, "start", "#1a1a1a", "legend", se.Name)
	}
	if withheld {
		si := len(l.Series)
		x, y := left+float64(si%2)*pw/2, top+ph+40+22*float64(si/2)
		s.text(x+17, y, "middle", "#595959", "legend", "s")
		s.text(x+42, y, "start", "#1a1a1a", "legend", "suppressed (disclosure control)")
	}
	return s.close()
}

// marker draws a point's marker: a shape per series.
func marker(s *svg, shape string, x, y float64, colour, tooltip string) {
	var el string
	switch shape {
	case "square":
		el = fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="8" height="8" fill="%s"`, x-4, y-4, colour)
	case "diamond":
		el = fmt.Sprintf(`<path d="M%.1f %.1f l5 5 l-5 5 l-5 -5 z" fill="%s"`, x, y-5, colour)
	case "triangle":
		el = fmt.Sprintf(`<path d="M%.1f %.1f l5 9 h-10 z" fill="%s"`, x, y-5, colour)
	default:
		el = fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="4" fill="%s"`, x, y, colour)
	}
	s.b.WriteString(el)
	if tooltip != "" {
		fmt.Fprintf(&s.b, `><title>%s</title></%s>`, esc(tooltip), tagOf(el))
		return
	}
	s.b.WriteString(`/>`)
}

func tagOf(el string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(el, "<"), " ")
	return name
}
