package models

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Every CSV file the service writes goes through WriteCSV, which keeps what callers wrote
// (a staff name, an external id, a role title, a skill name) from running as a formula
// when the file is opened in a spreadsheet (CSV or formula injection). Following OWASP's
// guidance, a text cell that begins with '=', '+', '-', '@', a tab or a carriage return
// gets a single quote in front, which spreadsheets read as "this is text". Numbers the
// service itself formats are typed apart (CSVInt, CSVFloat) and written as they are, so
// that -0.5 stays a number.

// CSVCell is one cell of a CSV file: text, neutralised when written, or a number.
type CSVCell struct {
	value  string
	number bool
}

// CSVText is a text cell.
func CSVText(s string) CSVCell { return CSVCell{value: s} }

// CSVInt is a whole number.
func CSVInt(n int) CSVCell { return CSVCell{value: strconv.Itoa(n), number: true} }

// CSVFloat is a number written with prec decimals.
func CSVFloat(f float64, prec int) CSVCell {
	return CSVCell{value: strconv.FormatFloat(f, 'f', prec, 64), number: true}
}

// CSVBool is true or false.
func CSVBool(b bool) CSVCell { return CSVText(strconv.FormatBool(b)) }

// String is the cell as written to the file.
func (c CSVCell) String() string {
	if c.number {
		return c.value
	}
	return NeutraliseCSV(c.value)
}

// CSVTexts is a row of text cells.
func CSVTexts(values ...string) []CSVCell {
	row := make([]CSVCell, len(values))
	for i, v := range values {
		row[i] = CSVText(v)
	}
	return row
}

// formulaStarts are the first characters that make a spreadsheet read a cell as a
// formula (OWASP, CSV injection).
const formulaStarts = "=+-@\t\r"

// csvQuote is the prefix that makes a spreadsheet read a cell as text.
const csvQuote = '\''

// NeutraliseCSV is text as written to a CSV cell: with a single quote in front when it
// begins like a formula. Text that already begins with a quote followed by a formula
// character or another quote gets one more, so that RestoreCSV gives back exactly the
// text, whatever it was: the framework's CSV export imports back unchanged.
func NeutraliseCSV(s string) string {
	if needsQuote(s) {
		return string(csvQuote) + s
	}
	return s
}

// RestoreCSV undoes NeutraliseCSV on a cell read back from a file.
func RestoreCSV(s string) string {
	if len(s) >= 2 && s[0] == csvQuote && (strings.IndexByte(formulaStarts, s[1]) >= 0 || s[1] == csvQuote) {
		return s[1:]
	}
	return s
}

func needsQuote(s string) bool {
	if s == "" {
		return false
	}
	if strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return true
	}
	return RestoreCSV(s) != s // a quote that restoring would remove
}

// WriteCSV writes a header row and rows as CSV, every text cell neutralised: the one
// CSV writer of the service.
func WriteCSV(w io.Writer, header []string, rows [][]CSVCell) error {
	cw := csv.NewWriter(w)
	record := make([]string, 0, len(header))
	write := func(cells []CSVCell) {
		record = record[:0]
		for _, c := range cells {
			record = append(record, c.String())
		}
		_ = cw.Write(record) // a write error is kept by the writer and reported by Error
	}
	write(CSVTexts(header...))
	for _, r := range rows {
		write(r)
	}
	cw.Flush()
	return cw.Error()
}
