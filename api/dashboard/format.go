package dashboard

import (
	"strconv"

	"cyberskills/models/disclosure"
)

// Figures are printed as the API gives them: shares to the tenth the API rounds to,
// counts as whole numbers, expected numbers of people to a tenth.

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func pct(f *float64) string {
	if f == nil {
		return "–"
	}
	return num(*f) + "%"
}

func ratioPct(f *float64) string { // a 0-1 ratio, shown as a percentage
	if f == nil {
		return "–"
	}
	return strconv.FormatFloat(*f*100, 'f', 0, 64) + "%"
}

func numPtr(f *float64) string {
	if f == nil {
		return ""
	}
	return num(*f)
}

func people(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// figureCell is a published figure in a table: its value, or "suppressed".
func figureCell(col string, f disclosure.Figure) tcell {
	if f.Suppressed {
		return tcell{Col: col, Text: "suppressed", Suppressed: true}
	}
	if f.Value == nil {
		return tcell{Col: col, Text: "–"}
	}
	return tcell{Col: col, Text: strconv.Itoa(*f.Value), Value: strconv.Itoa(*f.Value), Numeric: true}
}

// shareCell is a published percentage; suppressed when the figure under it is.
func shareCell(col string, share *float64, under disclosure.Figure) tcell {
	if under.Suppressed || share == nil && under.Value == nil {
		return tcell{Col: col, Text: "suppressed", Suppressed: true}
	}
	return tcell{Col: col, Text: pct(share), Value: numPtr(share), Numeric: true}
}

func textCell(col, s string) tcell { return tcell{Col: col, Text: s} }
func headCell(col, s string) tcell { return tcell{Col: col, Text: s, Header: true} }
func intCell(col string, n int) tcell {
	return tcell{Col: col, Text: strconv.Itoa(n), Value: strconv.Itoa(n), Numeric: true}
}
func floatCell(col string, f float64, text string) tcell {
	return tcell{Col: col, Text: text, Value: num(f), Numeric: true}
}
func yesNo(col string, b bool) tcell {
	if b {
		return tcell{Col: col, Text: "yes", Value: "true"}
	}
	return tcell{Col: col, Text: "no", Value: "false"}
}
