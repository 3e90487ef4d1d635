package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"cyberskills/models"
	"cyberskills/models/fuzzcheck"
)

// FuzzStaffImport reads arbitrary staff files as CSV and as NDJSON, through the reader
// and row conversion the import route uses. A file is refused as EINVALID (its header,
// listing at most models.MaxReportedRowErrors problems and a summary) or read as rows
// with rising line numbers, no more rows than lines; a row without problems is a staff
// record that passes validation; every problem is bounded.
func FuzzStaffImport(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../testdata/fuzz-seeds/staff/*")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range importMediaTypes[:2] {
			for _, row := range readFuzzRows(t, data, mt, staffColumns, "external_id") {
				st, problems := staffFromRecord(row.rec)
				if row.rec == nil || len(row.problems) > 0 {
					continue
				}
				fuzzcheck.CheckFieldErrors(t, problems)
				if len(problems) > 0 {
					continue
				}
				if err := st.Validate(); err != nil || st.ExternalID != row.rec["external_id"] || !(st.FTE > 0 && st.FTE <= 2) {
					t.Fatalf("line %d %v is accepted as %+v: %v", row.line, row.rec, st, err)
				}
			}
		}
	})
}

// FuzzEvidenceImport does the same for evidence files: a row without problems is
// evidence at a level of the scale, from a known source, assessed by the (fixed) present
// and expiring after it was assessed.
func FuzzEvidenceImport(f *testing.F) {
	fuzzcheck.AddSeedFiles(f, "../testdata/fuzz-seeds/evidence/*")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range importMediaTypes[:2] {
			for _, row := range readFuzzRows(t, data, mt, evidenceColumns, "external_id", "skill", "level", "source") {
				ev, problems := evidenceFromRecord(row.rec, fuzzcheck.Now)
				if row.rec == nil || len(row.problems) > 0 {
					continue
				}
				fuzzcheck.CheckFieldErrors(t, problems)
				if len(problems) > 0 {
					continue
				}
				var v models.Validator
				ev.CheckInto(&v, "", fuzzcheck.Now)
				switch {
				case v.Err() != nil:
					t.Fatalf("line %d %v is accepted but invalid: %v", row.line, row.rec, v.Err())
				case row.rec["external_id"] == "" || ev.Skill == "" || !ev.Source.Valid() || ev.Level == nil || *ev.Level < 0 || *ev.Level > models.MaxLevel:
					t.Fatalf("line %d %v is accepted as %+v", row.line, row.rec, ev)
				case ev.AssessedAt != nil && ev.AssessedAt.After(fuzzcheck.Now.Add(5*time.Minute)):
					t.Fatalf("line %d is assessed in the future, %v", row.line, ev.AssessedAt)
				}
			}
		}
	})
}

type fuzzRow struct {
	line     int
	rec      record
	problems []models.FieldError
}

// readFuzzRows reads a whole file as the import routes do and checks the reader's promises.
func readFuzzRows(t *testing.T, data []byte, mediaType string, allowed []string, required ...string) []fuzzRow {
	t.Helper()
	r, err := newRecordReader(mediaType, bytes.NewReader(data), allowed, required...)
	if err != nil {
		if e := fuzzcheck.RequireInvalid(t, err); len(e.Fields) > models.MaxReportedRowErrors+1 {
			t.Fatalf("the header has %d problems listed", len(e.Fields))
		}
		return nil
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	var rows []fuzzRow
	for {
		line, rec, problems, err := r.next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			fuzzcheck.RequireInvalid(t, err)
			return rows
		}
		if line < 1 || line > lines || (len(rows) > 0 && line <= rows[len(rows)-1].line) {
			t.Fatalf("%s row at line %d after %d rows of a file of %d lines", mediaType, line, len(rows), lines)
		}
		if rec == nil && len(problems) == 0 {
			t.Fatalf("%s line %d is neither a row nor a problem", mediaType, line)
		}
		fuzzcheck.CheckFieldErrors(t, problems)
		if text := bytes.TrimSpace(bytes.Split(data, []byte("\n"))[line-1]); mediaType != "text/csv" && rec != nil && !json.Valid(text) {
			t.Fatalf("NDJSON line %d %q is read as a row", line, text)
		}
		rows = append(rows, fuzzRow{line, rec, problems})
	}
}

// What FuzzStaffImport found: an NDJSON line with bytes after its object was read as the
// object; a property without a name was reported under no name; and an unknown column
// or property was quoted whole, however long.
func TestRecordReaderFindings(t *testing.T) {
	long := strings.Repeat("c", 5000)
	read := func(mediaType, file string) (*recordReader, error) {
		return newRecordReader(mediaType, strings.NewReader(file), staffColumns, "external_id")
	}
	r, _ := read("application/x-ndjson", `{"external_id":"E1"} {"external_id":"E2"}`+"\n"+`{"":1,"`+long+`":2}`+"\n")
	if _, rec, problems, _ := r.next(); rec != nil || len(problems) != 1 || problems[0].Field != "row" {
		t.Fatalf("trailing bytes: %v, %+v", rec, problems)
	}
	_, _, problems, _ := r.next()
	slices.SortFunc(problems, func(a, b models.FieldError) int { return len(a.Field) - len(b.Field) })
	if len(problems) != 2 || problems[0].Field != `""` || len(problems[1].Field) > models.MaxFieldPath+len("…") {
		t.Fatalf("unknown properties: %+v", problems)
	}
	_, err := read("text/csv", "external_id,"+long+"\nE1,x\n")
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || len(e.Fields[0].Message) > 300 {
		t.Fatalf("long column: %v", err)
	}
}

// A staff or evidence file's header was checked against the columns read so far, one by
// one, and every problem was listed: a header of 40,000 distinct unknown columns took
// seconds and answered with 40,000 problems.
func TestRecordReaderHeaderProblemsAreBounded(t *testing.T) {
	t.Parallel()
	var header strings.Builder
	for i := range 40_000 {
		fmt.Fprintf(&header, "c%d,", i)
	}
	_, err := newRecordReader("text/csv", strings.NewReader(header.String()+"\n"), staffColumns, "external_id")
	var e *models.Error
	if !errors.As(err, &e) || len(e.Fields) != models.MaxReportedRowErrors+1 ||
		e.Fields[models.MaxReportedRowErrors].Message != "and 39902 more problems not listed" {
		t.Fatalf("%v: %d problems", err, len(e.Fields))
	}
}
