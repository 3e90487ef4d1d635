package chart

import (
	"strings"
	"testing"
	"time"
)

// TestTextOnEveryStepMeetsAA: the text printed over each colour of the scale (and the
// hatching's ground) contrasts 4.5:1 or more, WCAG 2.2 AA for text.
func TestTextOnEveryStepMeetsAA(t *testing.T) {
	for _, fill := range append([]string{"#f2f2f2", "#ffffff"}, viridis...) {
		ink := TextOn(fill)
		if c := ContrastOf(fill, ink); c < 4.5 {
			t.Errorf("%s on %s: contrast %.2f, want at least 4.5", ink, fill, c)
		}
	}
}

// TestScaleIsMonotonic: larger values never get a lighter colour, and the ends are the
// palette's ends.
func TestScaleIsMonotonic(t *testing.T) {
	s := Scale{Min: 0, Max: 100}
	if s.Colour(0) != viridis[0] || s.Colour(100) != viridis[len(viridis)-1] || s.Colour(-5) != viridis[0] || s.Colour(150) != viridis[len(viridis)-1] {
		t.Fatal("the ends of the scale are not the palette's")
	}
	prev := luminance(s.Colour(0))
	for v := 1.0; v <= 100; v++ {
		l := luminance(s.Colour(v))
		if l > prev {
			t.Fatalf("%v is lighter than a smaller value", v)
		}
		prev = l
	}
}

// TestHeatmapMarksSuppressedCells: a withheld figure is hatched and says so; an empty
// cell is neither; labels are escaped.
func TestHeatmapMarksSuppressedCells(t *testing.T) {
	v := 40.0
	svg := string(Heatmap{ID: "m", Title: "T", Desc: "D", Rows: []string{"<script>"}, Cols: []string{"a", "b", "c"},
		Cells: [][]HeatCell{{{Value: &v, Label: "40%"}, {Suppressed: true}, {}}}, Scale: Scale{Max: 100},
		FormatStep: func(float64) string { return "" }, EmptyLabel: "none", Disclosure: true}.SVG())
	for _, want := range []string{`role="img"`, `aria-labelledby="m-title m-desc"`, `<title id="m-title">T</title>`, `<desc id="m-desc">D</desc>`,
		`class="cell suppressed"`, `fill="url(#m-hatch)"`, `>suppressed</text>`, `suppressed (disclosure control)`, `>40%</text>`, `class="cell empty"`, `&lt;script&gt;`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the heat map lacks %s", want)
		}
	}
	if strings.Contains(svg, "<script>") {
		t.Error("a label was not escaped")
	}
	if strings.Count(svg, `class="cell suppressed"`) != 1 {
		t.Error("only the withheld cell is marked suppressed")
	}
}

// TestChartsAreNamedImages: every chart is an image with a title and a description.
func TestChartsAreNamedImages(t *testing.T) {
	one := 1.0
	for name, svg := range map[string]string{
		"bars":     string(Bars{ID: "b", Title: "T", Desc: "D", Items: []Bar{{Label: "x", Value: &one, Text: "1"}, {Label: "y", Suppressed: true}}, Max: 1}.SVG()),
		"lines":    string(Lines{ID: "l", Title: "T", Desc: "D", X: []string{"a", "b"}, Series: []Series{{Name: "s", Values: []*float64{&one, nil}, Withheld: []bool{false, true}}}, YMax: 2, YFormat: func(float64) string { return "" }}.SVG()),
		"timeline": string(Timeline{ID: "t", Title: "T", Desc: "D", Rows: []string{"r"}, Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Days: 90, Events: []Event{{At: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), Marked: true}}}.SVG()),
	} {
		for _, want := range []string{`role="img"`, `-title">T</title>`, `-desc">D</desc>`} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
		if name != "timeline" && !strings.Contains(svg, "suppressed") {
			t.Errorf("%s does not mark its withheld figure", name)
		}
	}
}
