package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// record is one row of a bulk file: column name to text value.
type record map[string]string

// optionalField reads rec's column name with parse: nil when the column is empty, and
// nil with message recorded against the column when parse refuses the value.
func optionalField[T any](v *models.Validator, rec record, name string, parse func(string) (T, error), message string) *T {
	s := rec[name]
	if s == "" {
		return nil
	}
	x, err := parse(s)
	if err != nil {
		v.Add(name, message)
		return nil
	}
	return &x
}

// recordReader streams the rows of a CSV file with a header row or of NDJSON (one JSON
// object per line), so that large imports never sit in memory whole. Columns other than
// the allowed ones are rejected.
type recordReader struct {
	allowed []string
	csv     *csv.Reader
	header  []string
	lines   *bufio.Scanner
	line    int
}

// importMediaTypes are the media types bulk routes accept.
var importMediaTypes = []string{"text/csv", "application/x-ndjson", "application/jsonl"}

// newRecordReader reads body, a file of one of importMediaTypes (the handler checked
// which before the import began).
func newRecordReader(mediaType string, body io.Reader, allowed []string, required ...string) (*recordReader, error) {
	r := &recordReader{allowed: allowed}
	if mediaType != "text/csv" {
		r.lines = bufio.NewScanner(body)
		r.lines.Buffer(make([]byte, 64<<10), 1<<20)
		return r, nil
	}
	r.csv = csv.NewReader(body)
	r.csv.ReuseRecord = true
	r.csv.FieldsPerRecord = -1
	header, err := r.csv.Read()
	if err != nil {
		return nil, readError(err, "the file has no header row")
	}
	var v models.Validator
	seen := map[string]bool{} // not a search of the header so far: a header may have a million columns
	for _, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		v.Check(slices.Contains(allowed, name), "header", fmt.Sprintf("unknown column %q; allowed: %s", models.Excerpt(h), strings.Join(allowed, ", ")))
		v.Check(!seen[name], "header", fmt.Sprintf("column %q appears twice", models.Excerpt(h)))
		seen[name] = true
		r.header = append(r.header, name)
	}
	for _, req := range required {
		v.Check(seen[req], "header", fmt.Sprintf("required column %q is missing", req))
	}
	if v.Len() > 0 {
		// At most models.MaxReportedRowErrors (the bound of an organisation file's bad
		// rows): a header of thousands of bad columns gives no answer larger than itself.
		// Bad rows are all listed, each by its line: a partial import reports every row it left.
		return r, models.Invalid(models.FirstFields(v.Fields(), models.MaxReportedRowErrors, "header")...)
	}
	return r, nil
}

// next returns the next row and its line number, io.EOF at the end, or a problem with
// the row itself (which the caller reports and skips).
func (r *recordReader) next() (int, record, []models.FieldError, error) {
	if r.csv != nil {
		fields, err := r.csv.Read()
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				return perr.Line, nil, []models.FieldError{{Field: "row", Message: perr.Err.Error()}}, nil
			}
			return 0, nil, nil, readError(err, "")
		}
		line, _ := r.csv.FieldPos(0)
		if len(fields) != len(r.header) {
			return line, nil, []models.FieldError{{Field: "row", Message: fmt.Sprintf("has %s, the header %d", models.Count(len(fields), "field", "fields"), len(r.header))}}, nil
		}
		rec := make(record, len(fields))
		for i, f := range fields {
			rec[r.header[i]] = strings.TrimSpace(f)
		}
		return line, rec, nil, nil
	}
	for r.lines.Scan() {
		r.line++
		text := bytes.TrimSpace(r.lines.Bytes())
		if len(text) == 0 {
			continue
		}
		return r.jsonRecord(text)
	}
	if err := r.lines.Err(); err != nil {
		return 0, nil, nil, readError(err, "")
	}
	return 0, nil, nil, io.EOF
}

func (r *recordReader) jsonRecord(text []byte) (int, record, []models.FieldError, error) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	// A line is one object and nothing after it: the whole line is refused, never its
	// first object imported and the rest dropped.
	switch err := models.DecodeOne(dec, &obj); {
	case errors.Is(err, models.ErrTrailingContent):
		return r.line, nil, []models.FieldError{{Field: "row", Message: "has more after the object: a line holds one JSON object"}}, nil
	case err != nil || obj == nil:
		return r.line, nil, []models.FieldError{{Field: "row", Message: "is not a JSON object"}}, nil
	}
	rec := make(record, len(obj))
	var problems []models.FieldError
	for k, v := range obj {
		if !slices.Contains(r.allowed, k) {
			problems = append(problems, models.FieldError{Field: models.FieldName(k), Message: "is not a known field"})
			continue
		}
		switch x := v.(type) {
		case nil:
		case string:
			rec[k] = strings.TrimSpace(x)
		case json.Number, bool:
			rec[k] = fmt.Sprint(x)
		default:
			problems = append(problems, models.FieldError{Field: k, Message: "must be a string, number or boolean"})
		}
	}
	return r.line, rec, problems, nil
}

func readError(err error, eofMessage string) error {
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return models.Errorf(problem.ETOOLARGE, "the file exceeds the limit of %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF) && eofMessage != "":
		return models.Errorf(models.EINVALID, "%s", eofMessage)
	case errors.Is(err, io.EOF):
		return io.EOF
	}
	return models.Errorf(models.EINVALID, "cannot read the file: %s", err.Error())
}
