package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// svg builds one chart's markup. Text goes through esc; numbers are formatted here.
type svg struct{ b strings.Builder }

func esc(s string) string { return template.HTMLEscapeString(s) }

// open starts an image of w x h user units with its accessible name and description.
func (s *svg) open(id, title, desc string, w, h int) {
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="%d" height="%d" preserveAspectRatio="xMinYMin meet">`,
		esc(id), esc(id), esc(id), w, h, w, h)
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// hatch defines the pattern that marks a suppressed figure: grey diagonal lines on a
// light ground, distinct from every colour of the scale and from an empty cell.
func (s *svg) hatch(id string) string {
	pid := id + "-hatch"
	fmt.Fprintf(&s.b, `<defs><pattern id="%s" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">`+
		`<rect width="8" height="8" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="8" stroke="#6b6b6b" stroke-width="3"/></pattern></defs>`, esc(pid))
	return "url(#" + pid + ")"
}

func (s *svg) rect(x, y, w, h float64, fill, class string, tooltip string) {
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"`, x, y, w, h, fill)
	if class != "" {
		fmt.Fprintf(&s.b, ` class="%s"`, class)
	}
	if tooltip != "" {
		fmt.Fprintf(&s.b, `><title>%s</title></rect>`, esc(tooltip))
		return
	}
	s.b.WriteString(`/>`)
}

// text writes a label; anchor is start, middle or end. A halo keeps it legible over
// hatching.
func (s *svg) text(x, y float64, anchor, fill, class, content string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s"`, x, y, anchor, fill)
	if class != "" {
		fmt.Fprintf(&s.b, ` class="%s"`, class)
	}
	fmt.Fprintf(&s.b, `>%s</text>`, esc(content))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"`, x1, y1, x2, y2, stroke, width)
	if dash != "" {
		fmt.Fprintf(&s.b, ` stroke-dasharray="%s"`, dash)
	}
	s.b.WriteString(`/>`)
}

func (s *svg) close() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String()) // every text in it went through esc
}

// truncate shortens a label to n characters for an axis; the full text is in the table.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
