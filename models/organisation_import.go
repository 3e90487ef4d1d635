package models

import (
	"fmt"
	"slices"
	"strconv"
)

// ImportFormat is the layout of an organisation file.
type ImportFormat string

// The two organisation file formats. See README "Organisations".
const (
	FormatCSV ImportFormat = "csv" // our own CSV with a header row naming the columns
	FormatODS ImportFormat = "ods" // an NHS ODS extract: headerless, fixed columns
)

// OrgFields is the set of fields an import row writes on an organisation that already
// exists; a new organisation gets every field of the row. A file manages only what it
// carries: a CSV without a sector column leaves sectors alone, and an ODS extract never
// touches size bands, headcounts or xAPI home pages.
type OrgFields uint32

// The fields an import row may write.
const (
	SetName OrgFields = 1 << iota
	SetType
	SetParent
	SetSector
	// FillSector writes the sector only where none is set: a sector guessed from a
	// trust's name never overrides one chosen by a person.
	FillSector
	SetSizeBand
	SetHeadcount
	SetAddress
	SetPostcode
	SetOpenDate
	SetCloseDate
	SetActive
	SetXAPIHomePage
)

// ImportRow is one organisation to upsert.
type ImportRow struct {
	Line   int // line of the file; for a region or ICB that an ODS extract implies, the first line naming it
	Org    Organisation
	Fields OrgFields
	// Level is the depth below the nearest ancestor outside the file: parents come
	// before their children, so that every parent exists when its children are written.
	Level int
}

// OrganisationImport is a parsed organisation file.
type OrganisationImport struct {
	Format ImportFormat
	Rows   []ImportRow // the valid rows, ordered by level
	Errors []RowError  // every bad row; when there is one, nothing may be applied
	// Codes holds every well-formed code that the file names, in valid rows or not, so
	// that a row whose parent is a bad row is not also reported as naming an unknown parent.
	Codes []string
}

// ImportCounts says what an import did to the organisations of its file.
type ImportCounts struct {
	Inserted  int `json:"inserted" example:"317"`
	Updated   int `json:"updated" example:"0"`
	Unchanged int `json:"unchanged" example:"0"`
}

// OrganisationImportResult is the outcome of an import: the counts over all rows
// (regions and ICBs that an ODS extract implies included) and by organisation type.
type OrganisationImportResult struct {
	Format ImportFormat `json:"format" enums:"csv,ods" example:"ods"`
	ImportCounts
	ByType map[OrgType]ImportCounts `json:"by_type"`
}

// Result counts an applied import from what its statements inserted and updated, by
// type: every other row was left unchanged.
func (imp *OrganisationImport) Result(inserted, updated map[OrgType]int) OrganisationImportResult {
	res := OrganisationImportResult{Format: imp.Format, ByType: map[OrgType]ImportCounts{}}
	for _, r := range imp.Rows {
		c := res.ByType[r.Org.Type]
		c.Unchanged++
		res.ByType[r.Org.Type] = c
	}
	for t, c := range res.ByType {
		c.Inserted, c.Updated = inserted[t], updated[t]
		c.Unchanged -= c.Inserted + c.Updated
		res.ByType[t] = c
		res.Inserted += c.Inserted
		res.Updated += c.Updated
		res.Unchanged += c.Unchanged
	}
	return res
}

// RowError is a bad row of an import file.
type RowError struct {
	Line    int    `json:"line" example:"12"`
	Code    string `json:"code,omitempty" example:"RJ1"`
	Field   string `json:"field,omitempty" example:"close_date"`
	Message string `json:"message" example:"must be a date (YYYY-MM-DD or YYYYMMDD)"`
}

func (r RowError) String() string {
	if r.Field == "" {
		return r.Message
	}
	return r.Field + ": " + r.Message
}

// ImportErrorDetails is the Details of a rejected import.
type ImportErrorDetails struct {
	Rows  []RowError `json:"rows"`
	Total int        `json:"total" example:"3"` // more than len(rows) when the list was cut short
}

// MaxReportedRowErrors bounds the rows listed in a rejection, so that a file that is
// wrong throughout does not produce an answer larger than itself.
const MaxReportedRowErrors = 100

// ImportError rejects a whole file because of its bad rows, listing each with its line
// (in Fields as "line N" and in Details with the field apart).
func ImportError(rows []RowError) error {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b RowError) int { return a.Line - b.Line })
	shown := rows
	if len(shown) > MaxReportedRowErrors {
		shown = shown[:MaxReportedRowErrors]
	}
	e := &Error{Code: EINVALID, Details: ImportErrorDetails{Rows: shown, Total: len(rows)}}
	for _, r := range shown {
		e.Fields = append(e.Fields, FieldError{Field: "line " + strconv.Itoa(r.Line), Message: r.String()})
	}
	if len(rows) == 1 {
		e.Message = fmt.Sprintf("line %d: %s; nothing was imported", rows[0].Line, rows[0])
	} else {
		e.Message = fmt.Sprintf("%d problems in the file; nothing was imported", len(rows))
	}
	return e
}
