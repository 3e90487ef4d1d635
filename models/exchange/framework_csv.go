package exchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"cyberskills/models"
)

// The CSV form of a framework has a header row, then one row per area (record "area") and
// one row per skill (record "skill", the default). Level descriptors sit in level_N
// columns, one per level of the scale above 0. The framework's metadata and scale are not
// in the file: they come from the import's parameters and the framework's current version.
const (
	colArea         = "area"
	colCode         = "code"
	colName         = "name"
	colTier         = "tier"
	colDescription  = "description"
	colStatus       = "status"
	colSupersededBy = "superseded_by"
	colReferences   = "references"
	colRecord       = "record"
	colOtherAreas   = "other_areas"
	colStatement    = "statement_type"

	recordSkill = "skill"
	recordArea  = "area"
)

// skillOnlyColumns may not be filled on area rows.
var skillOnlyColumns = []string{colTier, colStatus, colSupersededBy, colReferences, colStatement}

var levelColumn = regexp.MustCompile(`^level_(\d+)$`)

func levelColumnName(level int) string { return "level_" + strconv.Itoa(level) }

// csvColumns says which optional columns a framework's file has: other_areas when an
// item sits in several places, statement_type when a skill has one.
type csvColumns struct{ otherAreas, statements bool }

func columnsOf(f models.Framework) csvColumns {
	var c csvColumns
	for _, a := range f.Areas {
		c.otherAreas = c.otherAreas || len(a.OtherParents) > 0
	}
	for _, s := range f.Skills {
		c.otherAreas = c.otherAreas || len(s.OtherAreas) > 0
		c.statements = c.statements || s.StatementType != ""
	}
	return c
}

// csvHeader is the header of an exported file.
func csvHeader(scale []models.ProficiencyLevel, c csvColumns) []string {
	h := []string{colArea, colCode, colName, colTier, colDescription}
	for _, n := range models.DescribedLevels(scale) {
		h = append(h, levelColumnName(n))
	}
	h = append(h, colStatus, colSupersededBy, colReferences, colRecord)
	if c.otherAreas {
		h = append(h, colOtherAreas)
	}
	if c.statements {
		h = append(h, colStatement)
	}
	return h
}

// WriteFrameworkCSV writes f in the CSV form: areas first, parents before children in
// document order, then skills. It goes through models.WriteCSV, so a name or descriptor
// that begins like a formula is neutralised, and ParseFrameworkCSV restores it.
func WriteFrameworkCSV(w io.Writer, f models.Framework) error {
	levels := models.DescribedLevels(f.Scale)
	cols := columnsOf(f)
	optional := func(row []string, others []string, st models.StatementType) []string {
		if cols.otherAreas {
			row = append(row, strings.Join(others, "; "))
		}
		if cols.statements {
			row = append(row, string(st))
		}
		return row
	}
	var rows [][]models.CSVCell
	for _, a := range f.Areas {
		row := []string{a.Parent, a.Code, a.Name, "", a.Description}
		row = append(row, make([]string, len(levels))...)
		rows = append(rows, models.CSVTexts(optional(append(row, "", "", "", recordArea), a.OtherParents, "")...))
	}
	for _, s := range f.Skills {
		row := []string{s.Area, s.Code, s.Name, string(s.Tier), s.Description}
		for _, n := range levels {
			row = append(row, s.Levels[models.LevelKey(n)])
		}
		row = append(row, string(s.Status), s.SupersededBy, FormatReferences(s.References), recordSkill)
		rows = append(rows, models.CSVTexts(optional(row, s.OtherAreas, s.StatementType)...))
	}
	return models.WriteCSV(w, csvHeader(f.Scale, cols), rows)
}

// splitCodes reads a list of codes separated by ";".
func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ";") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// FormatReferences writes references as "scheme|id|label" joined by "; ".
func FormatReferences(refs []models.SkillReference) string {
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = r.Scheme + "|" + r.ID
		if r.Label != "" {
			parts[i] += "|" + r.Label
		}
	}
	return strings.Join(parts, "; ")
}

// ParseReferences reads the form FormatReferences writes.
func ParseReferences(s string) ([]models.SkillReference, error) {
	var out []models.SkillReference
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		f := strings.Split(part, "|")
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("%q must be scheme|id or scheme|id|label, references separated by ;", models.Excerpt(part))
		}
		r := models.SkillReference{Scheme: strings.TrimSpace(f[0]), ID: strings.TrimSpace(f[1])}
		if len(f) == 3 {
			r.Label = strings.TrimSpace(f[2])
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseFrameworkCSV reads a framework CSV into a complete, validated document. base gives
// what the file does not carry: code, name and other metadata, the scale, and the areas
// of the current version, used for area codes the file names without defining. Skill rows
// with an empty tier take defaultTier. Nothing is half-read: any problem fails the whole
// file, listing every bad row under "rows[N]", where N is the spreadsheet row number (the
// header is row 1).
func ParseFrameworkCSV(r io.Reader, base models.Framework, defaultTier models.Tier) (models.Framework, error) {
	doc := base.Clone()
	doc.Areas, doc.Skills = nil, nil
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // row lengths are checked here, to report every bad row
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return doc, models.Invalid(models.FieldError{Field: "header", Message: "the file is empty: it needs a header row"})
	}
	if err != nil {
		return doc, models.Invalid(models.FieldError{Field: "rows[1]", Message: "malformed CSV: " + csvErrorText(err)})
	}
	cols, herr := readHeader(header, doc.Scale)
	if herr != nil {
		return doc, herr
	}
	var v models.Validator
	var skillRows, areaRows []int
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		p := fmt.Sprintf("rows[%d]", row)
		if err != nil {
			v.Add(p, "malformed CSV: "+csvErrorText(err)+"; the rest of the file was not read")
			break
		}
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			v.Add(p, fmt.Sprintf("has %s but the header has %d", models.Count(len(rec), "cell", "cells"), len(header)))
			continue
		}
		cell := func(name string) string {
			if i, ok := cols[name]; ok {
				return models.RestoreCSV(strings.TrimSpace(rec[i])) // as WriteFrameworkCSV neutralised it
			}
			return ""
		}
		switch strings.ToLower(cell(colRecord)) {
		case recordArea:
			for _, c := range append(levelColumns(cols), skillOnlyColumns...) {
				v.Check(cell(c) == "", p+"."+c, "is only for skill rows")
			}
			doc.Areas = append(doc.Areas, models.SkillArea{Code: cell(colCode), Name: cell(colName),
				Description: cell(colDescription), Parent: cell(colArea), OtherParents: splitCodes(cell(colOtherAreas))})
			areaRows = append(areaRows, row)
		case "", recordSkill:
			s := models.Skill{Code: cell(colCode), Name: cell(colName), Description: cell(colDescription), Area: cell(colArea),
				OtherAreas: splitCodes(cell(colOtherAreas)), Tier: models.Tier(cell(colTier)),
				StatementType: models.StatementType(cell(colStatement)), Status: models.SkillStatus(cell(colStatus)),
				SupersededBy: cell(colSupersededBy)}
			if s.Tier == "" {
				s.Tier = defaultTier
			}
			s.Levels = map[string]string{}
			for _, c := range levelColumns(cols) {
				s.Levels[strings.TrimPrefix(c, "level_")] = cell(c)
			}
			refs, err := ParseReferences(cell(colReferences))
			if err != nil {
				v.Add(p+"."+colReferences, err.Error())
			}
			s.References = refs
			doc.Skills = append(doc.Skills, s)
			skillRows = append(skillRows, row)
		default:
			v.Add(p+"."+colRecord, "must be skill or area")
		}
	}
	addBaseAreas(&doc, base.Areas)
	keepBaseSources(&doc, base)
	fields := validateImport(&doc, v.Fields(), func(path string) string { return csvField(path, skillRows, areaRows) })
	if len(fields) > 0 {
		sort.SliceStable(fields, func(i, j int) bool { return rowOf(fields[i].Field) < rowOf(fields[j].Field) })
		return doc, invalidImport("CSV", fields)
	}
	return doc, nil
}

// validateImport validates the document an import built and returns every problem: the
// import's own, then the document's in the file's terms (where), one per field.
func validateImport(doc *models.Framework, fields []models.FieldError, where func(path string) string) []models.FieldError {
	var e *models.Error
	if err := doc.Validate(); errors.As(err, &e) {
		for _, fe := range e.Fields {
			fe.Field = where(fe.Field)
			fields = append(fields, fe)
		}
	}
	return firstPerField(fields)
}

// readHeader maps column names to positions, refusing unknown, repeated and missing ones.
func readHeader(header []string, scale []models.ProficiencyLevel) (map[string]int, error) {
	known := map[string]bool{colArea: true, colCode: true, colName: true, colTier: true, colDescription: true,
		colStatus: true, colSupersededBy: true, colReferences: true, colRecord: true, colOtherAreas: true, colStatement: true}
	described := map[string]bool{}
	for _, n := range models.DescribedLevels(scale) {
		described[levelColumnName(n)] = true
	}
	var v models.Validator
	cols := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // the byte order mark spreadsheets write
		}
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			v.Add("header", fmt.Sprintf("column %d has no name", i+1))
			continue
		case levelColumn.MatchString(h) && !described[h]:
			v.Add("header", fmt.Sprintf("%s is not a level of the framework's scale (levels %v)", models.Excerpt(h), models.DescribedLevels(scale)))
		case !known[h] && !levelColumn.MatchString(h):
			v.Add("header", fmt.Sprintf("unknown column %q", models.Excerpt(h)))
		}
		if _, dup := cols[h]; dup {
			v.Add("header", fmt.Sprintf("column %q appears twice", models.Excerpt(h)))
		}
		cols[h] = i
	}
	for _, c := range []string{colCode, colName} {
		if _, ok := cols[c]; !ok {
			v.Add("header", fmt.Sprintf("the %q column is required", c))
		}
	}
	if v.Len() > 0 {
		return cols, invalidImport("CSV", v.Fields()) // a header of thousands of bad columns lists 1,000
	}
	return cols, nil
}

// levelColumns returns the level columns present, in level order.
func levelColumns(cols map[string]int) []string {
	var out []string
	for n := 0; n <= models.MaxScaleLevel; n++ {
		if _, ok := cols[levelColumnName(n)]; ok {
			out = append(out, levelColumnName(n))
		}
	}
	return out
}

// addBaseAreas adds, from the current version, the areas that the file refers to without
// defining, with their ancestors, so that a file of skill rows alone keeps the area tree.
func addBaseAreas(doc *models.Framework, base []models.SkillArea) {
	byCode := map[string]models.SkillArea{}
	for _, a := range base {
		byCode[a.Code] = a
	}
	have := map[string]bool{}
	for _, a := range doc.Areas {
		have[strings.TrimSpace(a.Code)] = true
	}
	var want func(code string)
	want = func(code string) {
		code = strings.TrimSpace(code)
		a, ok := byCode[code]
		if code == "" || have[code] || !ok {
			return
		}
		have[code] = true
		doc.Areas = append(doc.Areas, a)
		want(a.Parent)
	}
	for _, a := range doc.Areas {
		want(a.Parent)
	}
	for _, s := range doc.Skills {
		want(s.Area)
	}
}

// keepBaseSources keeps, for the areas and skills of the file that the current version
// has, what their CASE package said (the file does not carry it), and keeps the current
// version's associations whose items the file still has: a CASE framework edited as a
// spreadsheet still exports as its package.
func keepBaseSources(doc *models.Framework, base models.Framework) {
	areas, skills := map[string]*models.CaseSource{}, map[string]*models.CaseSource{}
	for _, a := range base.Areas {
		areas[a.Code] = a.Case
	}
	for _, s := range base.Skills {
		skills[s.Code] = s.Case
	}
	codes := map[string]bool{}
	for i, a := range doc.Areas {
		if doc.Areas[i].Case == nil {
			doc.Areas[i].Case = areas[strings.TrimSpace(a.Code)]
		}
		codes[strings.TrimSpace(a.Code)] = true
	}
	for i, s := range doc.Skills {
		doc.Skills[i].Case = skills[strings.TrimSpace(s.Code)]
		codes[strings.TrimSpace(s.Code)] = true
	}
	doc.Associations = slices.DeleteFunc(doc.Associations, func(a models.Association) bool {
		return (a.From.Internal() && !codes[a.From.Code]) || (a.To.Internal() && !codes[a.To.Code])
	})
}

var docPath = regexp.MustCompile(`^(skills|areas)\[(\d+)\](?:\.(.*))?$`)

// csvField turns a document path such as skills[3].levels.2 into the file's terms,
// rows[5].level_2.
func csvField(path string, skillRows, areaRows []int) string {
	m := docPath.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	rows, rest := skillRows, m[3]
	if m[1] == "areas" {
		rows = areaRows
		if rest == "parent" {
			rest = colArea
		}
	}
	if i >= len(rows) {
		return path // an area taken from the current version, not from the file
	}
	switch {
	case strings.HasPrefix(rest, "levels."):
		rest = "level_" + strings.TrimPrefix(rest, "levels.")
	case strings.HasPrefix(rest, "references"):
		rest = colReferences
	case strings.HasPrefix(rest, "other_"):
		rest = colOtherAreas
	}
	p := fmt.Sprintf("rows[%d]", rows[i])
	if rest != "" {
		p += "." + rest
	}
	return p
}

var rowPath = regexp.MustCompile(`^rows\[(\d+)\]`)

// rowOf is the row a problem is about, 0 for the file as a whole.
func rowOf(field string) int {
	if m := rowPath.FindStringSubmatch(field); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func csvErrorText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// firstPerField keeps the first problem reported for each field: a row's own check and
// the document's validation can both object to the same cell.
func firstPerField(fields []models.FieldError) []models.FieldError {
	seen := map[string]bool{}
	out := fields[:0:0]
	for _, f := range fields {
		if !seen[f.Field] {
			seen[f.Field] = true
			out = append(out, f)
		}
	}
	return out
}

// MaxImportProblems bounds the problems one import reports.
const MaxImportProblems = 1000

// invalidImport is the error of a rejected import: every problem found, by position.
func invalidImport(format string, fields []models.FieldError) *models.Error {
	return &models.Error{Code: models.EINVALID, Fields: models.FirstFields(fields, MaxImportProblems, "file"),
		Message: fmt.Sprintf("the %s import has %s; nothing was imported", format, models.Count(len(fields), "problem", "problems"))}
}
