// Package chart draws the dashboard's charts as inline SVG on the server: no script and
// no chart library in the browser. Every chart is an image with a title and a
// description (role="img", aria-labelledby), prints its values as text where it can, and
// is shown beside a table of the same figures. Colours come from a sequential scale that
// colour-blind readers can read (viridis), and text over a coloured cell is black or
// white, whichever contrasts more (at least 4.5:1, WCAG 2.2 AA).
package chart

import (
	"fmt"
	"math"
)

// viridis is the viridis scale in ten steps, light (low) to dark (high): perceptually
// uniform and readable with every common colour-vision deficiency, and in greyscale.
var viridis = []string{"#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878", "#440154"}

// Scale maps a value from Min to Max onto the sequential palette.
type Scale struct{ Min, Max float64 }

// Colour is the fill of v: the palette's step that v falls in.
func (s Scale) Colour(v float64) string {
	if s.Max <= s.Min {
		return viridis[0]
	}
	f := (v - s.Min) / (s.Max - s.Min)
	i := int(math.Floor(f * float64(len(viridis))))
	return viridis[max(0, min(len(viridis)-1, i))]
}

// Steps are the palette's colours with the lower bound of each, for a legend.
func (s Scale) Steps() []Step {
	out := make([]Step, len(viridis))
	for i, c := range viridis {
		out[i] = Step{Colour: c, From: s.Min + (s.Max-s.Min)*float64(i)/float64(len(viridis))}
	}
	return out
}

// Step is one colour of a legend and the value it starts at.
type Step struct {
	Colour string
	From   float64
}

// TextOn is the text colour with the higher contrast over fill: black or white. One of
// the two always reaches 4.5:1 (the worst fill gives about 4.6).
func TextOn(fill string) string {
	l := luminance(fill)
	if Contrast(l, 0) >= Contrast(l, 1) {
		return "#000000"
	}
	return "#ffffff"
}

// Contrast is the WCAG contrast ratio of two relative luminances.
func Contrast(a, b float64) float64 {
	hi, lo := math.Max(a, b), math.Min(a, b)
	return (hi + 0.05) / (lo + 0.05)
}

// ContrastOf is the WCAG contrast ratio of two #rrggbb colours.
func ContrastOf(a, b string) float64 { return Contrast(luminance(a), luminance(b)) }

// luminance is the WCAG relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	var r, g, b int
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return 0
	}
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
