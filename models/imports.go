package models

import (
	"slices"
	"strconv"
	"time"
)

// RejectedRow is one row of a bulk import that could not be applied.
type RejectedRow struct {
	Line   int          `json:"line" example:"12"`
	Key    string       `json:"key,omitempty" example:"E10234"` // the row's identifier, when it has one
	Errors []FieldError `json:"errors"`
	// Gone marks a row refused only because it names an erased person, whose record is
	// never written again: a file of such rows alone is refused with 410, not 400.
	Gone bool `json:"-"`
}

// ImportReport says what a bulk import did, or would have done.
type ImportReport struct {
	// Applied is false when nothing was written: an all-or-nothing import with bad rows.
	Applied   bool          `json:"applied" example:"true"`
	Rows      int           `json:"rows" example:"1200"`
	Inserted  int           `json:"inserted" example:"40"`
	Updated   int           `json:"updated" example:"12"`
	Unchanged int           `json:"unchanged" example:"1148"`
	Leavers   int           `json:"leavers,omitempty" example:"3"` // marked leavers by a full sync
	Rejected  []RejectedRow `json:"rejected"`

	rejectedAt map[int]int // line -> index in Rejected, so that a line is listed once
}

// Reject records a bad row. A row refused for several reasons (a duplicate id and an
// unknown role, say) is one rejected row carrying every reason: the report lists each
// line once and counts rows, not reasons. A row that is only Gone stays Gone only while
// every reason is.
func (r *ImportReport) Reject(row RejectedRow) {
	if r.rejectedAt == nil {
		r.rejectedAt = map[int]int{}
		for i, old := range r.Rejected {
			r.rejectedAt[old.Line] = i
		}
	}
	i, seen := r.rejectedAt[row.Line]
	if !seen {
		r.rejectedAt[row.Line] = len(r.Rejected)
		r.Rejected = append(r.Rejected, row)
		return
	}
	old := &r.Rejected[i]
	old.Errors = append(old.Errors, row.Errors...)
	old.Gone = old.Gone && row.Gone
	if old.Key == "" {
		old.Key = row.Key
	}
}

// SortRejected puts the rejected rows in the order of the file.
func (r *ImportReport) SortRejected() {
	slices.SortStableFunc(r.Rejected, func(a, b RejectedRow) int { return a.Line - b.Line })
	r.rejectedAt = nil
}

// ImportMode says what to do with bad rows.
type ImportMode string

// Import modes: by default one bad row stops the whole import; partial applies the good rows.
const (
	ImportAllOrNothing ImportMode = "all"
	ImportPartial      ImportMode = "partial"
)

// RejectionError is the error an all-or-nothing import returns: invalid, with the report
// (and so every bad row with its line and reason) as details.
func RejectionError(r ImportReport) error {
	bad := len(r.Rejected)
	e := Errorf(EINVALID, "%d of %s %s invalid; nothing was imported (use mode=partial to import the valid rows)",
		bad, Count(r.Rows, "row", "rows"), IsOrAre(bad))
	if allGone(r.Rejected) {
		verb := "name erased people, whose records are"
		if bad == 1 {
			verb = "names an erased person, whose record is"
		}
		e = Errorf(EGONE, "%d of %s %s never written again; nothing was imported", bad, Count(r.Rows, "row", "rows"), verb)
	}
	e.Details = r
	for _, row := range r.Rejected {
		for _, f := range row.Errors {
			e.Fields = append(e.Fields, FieldError{Field: "line " + strconv.Itoa(row.Line) + ": " + f.Field, Message: f.Message})
			if len(e.Fields) >= 100 {
				return e
			}
		}
	}
	return e
}

// EvidenceImportRow is one row of an evidence file: the record as read, the person it is
// about, or the problems that kept it from being read.
type EvidenceImportRow struct {
	Line       int
	ExternalID string
	Evidence   NewEvidence
	Problems   []FieldError
}

// StaffImportRow is one row of a staff file: the person as read, or the problems that
// kept it from being read.
type StaffImportRow struct {
	Line     int
	Staff    Staff
	Problems []FieldError
}

// StaffImportOptions control a staff import.
type StaffImportOptions struct {
	Mode        ImportMode
	MarkLeavers bool      // a full sync: active staff absent from the file become leavers
	Now         time.Time // the service's clock: leavers of a full sync leave on its date
}

// ErasedRow is the rejection of an import row that names an erased person.
func ErasedRow(line int, key string) RejectedRow {
	return RejectedRow{Line: line, Key: key, Gone: true, Errors: []FieldError{{Field: "external_id",
		Message: "names an erased person, whose record is never written again"}}}
}

func allGone(rows []RejectedRow) bool {
	for _, r := range rows {
		if !r.Gone {
			return false
		}
	}
	return len(rows) > 0
}
