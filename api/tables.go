package api

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// table is a report that can also be written as CSV: its JSON value, and its header and
// rows, computed only when CSV is asked for.
type table struct {
	value any
	csv   func() (header []string, rows [][]string)
}

// tabular is a report v that answers CSV too, as the header and rows that csv makes of it.
func tabular[T any](v T, csv func(T) ([]string, [][]string)) table {
	return table{value: v, csv: func() ([]string, [][]string) { return csv(v) }}
}

// wantsCSV reports whether the caller asked for CSV, by ?format=csv or by an Accept
// header that prefers text/csv.
func wantsCSV(c *gin.Context) bool {
	if f := c.Query("format"); f != "" {
		return f == "csv"
	}
	accept := c.GetHeader("Accept")
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "text/csv":
			return true
		case "application/json", "application/*", "*/*":
			return false
		}
	}
	return false
}

// writeCSV writes a table as CSV: the one CSV writer of every report.
func writeCSV(c *gin.Context, status int, t table) {
	header, rows := t.csv()
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(status)
	w := csv.NewWriter(c.Writer)
	w.Write(header)
	w.WriteAll(rows)
}

// Cell formatters for CSV.
func itoaCell(n int) string { return strconv.Itoa(n) }

func boolCell(b bool) string { return strconv.FormatBool(b) }

func floatCell(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 4, 64)
}

func intPtrCell(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
