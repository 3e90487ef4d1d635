package dashboard

import (
	"testing"

	"cyberskills/models/disclosure"
)

func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 1: 1, 3: 4, 4.2: 5, 11: 20, 15: 20, 380: 400, 500: 500, 1260: 2000} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}

// TestFiguresPrintAsTheAPIGivesThem: a table cell carries the figure as the API's JSON
// does, and says "suppressed" for a withheld one.
func TestFiguresPrintAsTheAPIGivesThem(t *testing.T) {
	share := 48.5
	if c := shareCell("share", &share, disclosure.Raw(12)); c.Value != "48.5" || c.Text != "48.5%" || c.Suppressed {
		t.Errorf("share cell %+v", c)
	}
	if c := figureCell("n", disclosure.Suppressed(3)); !c.Suppressed || c.Text != "suppressed" || c.Value != "" {
		t.Errorf("suppressed cell %+v", c)
	}
	if c := figureCell("n", disclosure.Raw(35)); c.Value != "35" || c.Text != "35" {
		t.Errorf("figure cell %+v", c)
	}
}
