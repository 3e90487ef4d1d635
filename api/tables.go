package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// table is a report that can also be written as CSV: its JSON value, and its header and
// rows, computed only when CSV is asked for.
type table struct {
	value any
	csv   func() (header []string, rows [][]cell)
}

// cell is one cell of a CSV report: text (text), neutralised against formula injection
// when written, or a number the service formatted (itoaCell, floatCell...).
type cell = models.CSVCell

// text is a text cell.
func text(s string) cell { return models.CSVText(s) }

// tabular is a report v that answers CSV too, as the header and rows that csv makes of it.
func tabular[T any](v T, csv func(T) ([]string, [][]cell)) table {
	return table{value: v, csv: func() ([]string, [][]cell) { return csv(v) }}
}

// wantsCSV reports whether the caller asked for CSV, by ?format=csv or by an Accept
// header that prefers text/csv.
func wantsCSV(c *gin.Context) bool {
	if f := c.Query("format"); f != "" {
		return f == "csv"
	}
	for _, mt := range acceptedTypes(c.GetHeader("Accept")) {
		switch mt {
		case "text/csv":
			return true
		case "application/json", "application/*", "*/*":
			return false
		}
	}
	return false
}

// acceptedTypes are the media ranges an Accept header names, in its order (parameters
// and weights aside: clients list what they prefer first).
func acceptedTypes(accept string) []string {
	var out []string
	for _, part := range strings.Split(accept, ",") {
		if mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0]); mt != "" {
			out = append(out, mt)
		}
	}
	return out
}

// csvOrJSON checks the format parameter of a report that takes no other query parameter.
func csvOrJSON(c *gin.Context) error {
	q := queryParams(c)
	q.oneOf("format", "json", "json", "csv")
	return q.err()
}

// refuseCSV answers 406 when the caller of a route that has no table asks for CSV: by
// format=csv, or by an Accept header that names text/csv and no JSON. Answering JSON
// instead would hand a spreadsheet something it cannot read, in silence. Routes whose
// reports have a table (csv in the route table) answer CSV instead.
func refuseCSV(c *gin.Context) {
	if c.Query("format") == "csv" || (wantsCSV(c) && !acceptsJSON(c.GetHeader("Accept"))) {
		problem.Status(c, http.StatusNotAcceptable, "this answer has no CSV form: only reports with a table answer CSV; ask for JSON")
		return
	}
	c.Next()
}

// acceptsJSON reports whether an Accept header admits a JSON answer.
func acceptsJSON(accept string) bool {
	for _, mt := range acceptedTypes(accept) {
		switch mt {
		case "application/json", "application/*", "*/*":
			return true
		}
	}
	return false
}

// writeCSV writes a table as CSV through models.WriteCSV, the one CSV writer of every
// report and export, which neutralises text cells that a spreadsheet would run as
// formulas.
func writeCSV(c *gin.Context, status int, t table) {
	header, rows := t.csv()
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(status)
	_ = models.WriteCSV(c.Writer, header, rows) // the status is sent: a broken connection has no one to tell
}

// Cell formatters for CSV: numbers stay numbers.
func itoaCell(n int) cell { return models.CSVInt(n) }

func boolCell(b bool) cell { return models.CSVBool(b) }

func floatCell(f *float64) cell {
	if f == nil {
		return text("")
	}
	return models.CSVFloat(*f, 4)
}

func intPtrCell(n *int) cell {
	if n == nil {
		return text("")
	}
	return itoaCell(*n)
}
