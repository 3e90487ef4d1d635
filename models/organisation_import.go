package models

import (
	"fmt"
	"maps"
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

// ODSExtract is which NHS ODS extract a file is. The extracts share one 27-column
// layout; each lists one kind of organisation, and the kind decides the type of its rows
// and which columns place them in the tree.
type ODSExtract string

// The ODS extracts the import reads.
const (
	ExtractTrusts      ODSExtract = "etr"      // NHS trusts
	ExtractPractices   ODSExtract = "epraccur" // GP practices and other prescribing settings
	ExtractSubICBs     ODSExtract = "eccg"     // sub-ICB locations, under their ICBs
	ExtractSubICBSites ODSExtract = "eccgsite" // the sites of sub-ICB locations
)

// ODSExtracts lists every extract.
var ODSExtracts = []ODSExtract{ExtractTrusts, ExtractPractices, ExtractSubICBs, ExtractSubICBSites}

// Valid reports whether e is a known extract.
func (e ODSExtract) Valid() bool { return oneOf(e, ODSExtracts) }

// Kind is the type of the organisations an extract lists (the sites of sub-ICB
// locations are departments of them).
func (e ODSExtract) Kind() OrgType {
	switch e {
	case ExtractTrusts:
		return OrgTrust
	case ExtractPractices:
		return OrgPractice
	case ExtractSubICBs:
		return OrgSubICB
	case ExtractSubICBSites:
		return OrgDepartment
	}
	return ""
}

// OrganisationImportOptions say how to read and apply an organisation file.
type OrganisationImportOptions struct {
	Format  ImportFormat // "" detects it
	Extract ODSExtract   // ODS only; "" detects it from the first row
	// RetireMissing closes (never deletes) the organisations of the extract's kind that
	// the file does not list. Only a full ODS extract can say that an organisation has
	// gone, so it is asked for, never assumed.
	RetireMissing bool
}

// Check validates the options as the fields of a request.
func (opts OrganisationImportOptions) Check() error {
	var v Validator
	v.Check(opts.Format == "" || opts.Format == FormatCSV || opts.Format == FormatODS, "format", "must be csv or ods")
	v.Check(opts.Extract == "" || opts.Extract.Valid(), "extract", "must be one of "+joined(ODSExtracts))
	v.Check(opts.Extract == "" || opts.Format != FormatCSV, "extract", "names an ODS extract; the file is said to be our CSV format")
	v.Check(!opts.RetireMissing || opts.Format != FormatCSV, "retire", "needs a full ODS extract, which lists every organisation of its kind; our CSV format lists what it changes")
	return v.Err()
}

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
	// ParentChoices, when not nil, place a new organisation under the first of these
	// codes that exists (in the file or the database) and may hold it, or at the top of
	// the tree when none does (possibly empty). A closed row of an ODS extract names the
	// geography of its day, which may be gone: it places a new organisation so, and
	// never moves one that exists (its Fields leave out SetParent).
	ParentChoices []string
	// Level is the depth below the nearest ancestor outside the file: parents come
	// before their children, so that every parent exists when its children are written.
	Level int
}

// OrganisationImport is a parsed organisation file.
type OrganisationImport struct {
	Format  ImportFormat
	Extract ODSExtract  // the ODS extract; "" for our CSV format
	Rows    []ImportRow // the valid rows, ordered by level
	Errors  []RowError  // every bad row; when there is one, nothing may be applied
	// Codes holds every well-formed code that the file names, in valid rows or not, so
	// that a row whose parent is a bad row is not also reported as naming an unknown parent.
	Codes []string
	// Skipped counts the rows left out on purpose, by reason (SkipReason), and
	// SkippedCodes holds their codes: the file lists them, so they are not retired.
	Skipped      map[string]int
	SkippedCodes []string
}

// CheckRetire refuses to retire missing organisations on the word of a file that is no
// full ODS extract: our CSV format lists only what it changes, and an extract without a
// single organisation of its kind would close every one.
func (imp *OrganisationImport) CheckRetire() error {
	if imp.Format != FormatODS {
		return Invalid(FieldError{Field: "retire", Message: "needs a full ODS extract, which lists every organisation of its kind; our CSV format lists what it changes"})
	}
	for _, r := range imp.Rows {
		if r.Org.Type == imp.Extract.Kind() {
			return nil
		}
	}
	return Invalid(FieldError{Field: "retire", Message: "the file lists no " + string(imp.Extract.Kind()) +
		": a full " + string(imp.Extract) + " extract lists every one, and retiring on its word would close them all"})
}

// Skip leaves a row out for a reason, counting it.
func (imp *OrganisationImport) Skip(code, reason string) {
	if imp.Skipped == nil {
		imp.Skipped = map[string]int{}
	}
	imp.Skipped[reason]++
	imp.SkippedCodes = append(imp.SkippedCodes, code)
}

// Listed reports the codes the file lists as organisations of its own kind or skips:
// what a full extract says exists.
func (imp *OrganisationImport) Listed() []string {
	out := make([]string, 0, len(imp.Rows)+len(imp.SkippedCodes))
	for _, r := range imp.Rows {
		out = append(out, r.Org.Code)
	}
	return append(out, imp.SkippedCodes...)
}

// ImportCounts says what an import did to the organisations of its file.
type ImportCounts struct {
	Inserted  int `json:"inserted" example:"317"`
	Updated   int `json:"updated" example:"0"`
	Unchanged int `json:"unchanged" example:"0"`
	// Retired counts the organisations of the extract's kind that it no longer lists and
	// that the import closed (only with retire=missing).
	Retired int `json:"retired" example:"0"`
}

// HandKept counts the organisations on which an ODS extract gave another type or sector
// than the one a person set, which was kept.
type HandKept struct {
	Type   int `json:"type" example:"0"`
	Sector int `json:"sector" example:"2"`
}

// MaxReportedRetired bounds the codes an answer lists as retired; Retired counts them all.
const MaxReportedRetired = 100

// OrganisationImportResult is the outcome of an import: the counts over all rows
// (regions, ICBs and sub-ICB locations that an ODS extract implies included) and by
// organisation type, the rows left out on purpose, the choices of people kept, and the
// organisations retired.
type OrganisationImportResult struct {
	Format  ImportFormat `json:"format" enums:"csv,ods" example:"ods"`
	Extract ODSExtract   `json:"extract,omitempty" enums:"etr,epraccur,eccg,eccgsite" example:"etr"`
	ImportCounts
	ByType map[OrgType]ImportCounts `json:"by_type"`
	// Skipped counts the rows not imported on purpose (see skipped_by_reason).
	Skipped         int            `json:"skipped" example:"0"`
	SkippedByReason map[string]int `json:"skipped_by_reason,omitempty"`
	KeptByHand      HandKept       `json:"kept_by_hand"`
	// RetiredCodes lists the retired organisations by code (at most 100).
	RetiredCodes []string `json:"retired_codes,omitempty" example:"RGZ"`
}

// ImportEffects is what applying an import did, as the database reports it: by the
// type the file gives its rows, the organisations inserted, updated and retired; the
// choices of people kept; the codes retired; and the closed rows left out because
// nothing that could hold them exists (SkipUnplaced).
type ImportEffects struct {
	Inserted, Updated, Retired map[OrgType]int
	KeptByHand                 HandKept
	RetiredCodes               []string
	Unplaced                   []string
}

// SkipUnplaced is the reason for leaving out a closed row of an ODS extract when no
// organisation it names exists and its type cannot sit at the top of the tree (a closed
// site of a sub-ICB location that is gone).
const SkipUnplaced = "closed_and_its_organisation_unknown"

// SkipPrescribingSetting is the reason for leaving out a row of the GP practice
// extract that is another prescribing setting than a GP practice.
func SkipPrescribingSetting(setting int) string {
	return "prescribing_setting_" + strconv.Itoa(setting)
}

// Result counts an applied import from what its statements did, by type: every other
// row was left unchanged.
func (imp *OrganisationImport) Result(fx ImportEffects) OrganisationImportResult {
	res := OrganisationImportResult{Format: imp.Format, Extract: imp.Extract, ByType: map[OrgType]ImportCounts{},
		SkippedByReason: maps.Clone(imp.Skipped), KeptByHand: fx.KeptByHand}
	unplaced := map[string]bool{}
	for _, code := range fx.Unplaced {
		unplaced[code] = true
	}
	if len(unplaced) > 0 {
		if res.SkippedByReason == nil {
			res.SkippedByReason = map[string]int{}
		}
		res.SkippedByReason[SkipUnplaced] += len(unplaced)
	}
	for _, r := range imp.Rows {
		if unplaced[r.Org.Code] {
			continue
		}
		c := res.ByType[r.Org.Type]
		c.Unchanged++
		res.ByType[r.Org.Type] = c
	}
	for t, n := range fx.Retired {
		c := res.ByType[t]
		c.Retired = n
		res.ByType[t] = c
	}
	for t, c := range res.ByType {
		c.Inserted, c.Updated = fx.Inserted[t], fx.Updated[t]
		c.Unchanged -= c.Inserted + c.Updated
		res.ByType[t] = c
		res.Inserted += c.Inserted
		res.Updated += c.Updated
		res.Unchanged += c.Unchanged
		res.Retired += c.Retired
	}
	for _, n := range res.SkippedByReason {
		res.Skipped += n
	}
	res.RetiredCodes = fx.RetiredCodes
	if len(res.RetiredCodes) > MaxReportedRetired {
		res.RetiredCodes = res.RetiredCodes[:MaxReportedRetired]
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
