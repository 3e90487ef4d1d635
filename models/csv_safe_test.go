package models

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestNeutraliseCSV(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{`+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"=1+2", "'=1+2"},
		{"A. Patel", "A. Patel"},
		{"E10234", "E10234"},
		{"", ""},
		{"a=b", "a=b"},       // only the first character counts
		{" =1", " =1"},       // not a formula start for spreadsheets
		{"'plain", "'plain"}, // a quote before ordinary text is the text's own
		{"'=1", "''=1"},      // a quote before a formula start gets one more, to restore exactly
		{"''", "'''"},        // and so does a quote before a quote
		{"'", "'"},           // a quote alone is text
		{"2026-01-31", "2026-01-31"},
		{"true", "true"},
	} {
		got := NeutraliseCSV(c.in)
		if got != c.want {
			t.Errorf("NeutraliseCSV(%q) = %q, want %q", c.in, got, c.want)
		}
		if back := RestoreCSV(got); back != c.in {
			t.Errorf("RestoreCSV(%q) = %q, want %q", got, back, c.in)
		}
		if got != "" && strings.ContainsRune(formulaStarts, rune(got[0])) {
			t.Errorf("%q is written as %q, a formula", c.in, got)
		}
	}
}

func TestWriteCSVKeepsNumbersAndNeutralisesText(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	rows := [][]CSVCell{
		{CSVText("=1+2"), CSVInt(-3), CSVFloat(-0.5, 4), CSVBool(true), CSVText("-0.5")},
		CSVTexts("@x", "ok", "+1", "", "\tx"),
	}
	if err := WriteCSV(&b, []string{"=a", "b", "c", "d", "e"}, rows); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatalf("%q: %v", b.String(), err)
	}
	want := [][]string{
		{"'=a", "b", "c", "d", "e"},
		{"'=1+2", "-3", "-0.5000", "true", "'-0.5"}, // a number the service formats stays a number; text that looks like one is text
		{"'@x", "ok", "'+1", "", "'\tx"},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %q", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
}
