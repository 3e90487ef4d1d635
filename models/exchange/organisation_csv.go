package exchange

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"cyberskills/models"
)

// orgColumns are the columns of our own organisation CSV format, in the documented
// order, and the fields each writes on an existing organisation. The close date decides
// whether the organisation is active, so a file with a close_date column manages
// activity too.
var orgColumns = []struct {
	name   string
	fields models.OrgFields
}{
	{"code", 0}, {"name", models.SetName}, {"type", models.SetType}, {"parent", models.SetParent}, {"sector", models.SetSector},
	{"size_band", models.SetSizeBand}, {"headcount", models.SetHeadcount}, {"address", models.SetAddress}, {"postcode", models.SetPostcode},
	{"open_date", models.SetOpenDate}, {"close_date", models.SetCloseDate | models.SetActive}, {"xapi_home_page", models.SetXAPIHomePage},
}

var requiredOrgColumns = []string{"code", "name", "type"}

// orgColumnNames lists the columns of our organisation CSV format.
func orgColumnNames() []string {
	out := make([]string, len(orgColumns))
	for i, c := range orgColumns {
		out[i] = c.name
	}
	return out
}

// ParseOrganisations reads an organisation file. An empty format detects it: a first row
// naming the columns code and name is our header, anything else an ODS extract; an
// empty extract is detected from the first row too (detectExtract). today decides which
// organisations have closed. Bad rows are collected in the result's Errors; the error
// return is for a file that cannot be read at all.
func ParseOrganisations(r io.Reader, opts models.OrganisationImportOptions, today models.Date) (*models.OrganisationImport, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	format := opts.Format
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	p := &orgParser{cr: cr, today: today, imp: &models.OrganisationImport{}, lines: map[string]int{}}
	first, err := cr.Read()
	if err == io.EOF {
		return nil, models.Errorf(models.EINVALID, "the file is empty")
	}
	if err != nil {
		return p.imp, p.readError(err)
	}
	if format == "" {
		format = detectFormat(first)
		if opts.Extract != "" {
			format = models.FormatODS
		}
	}
	p.imp.Format = format
	switch format {
	case models.FormatCSV:
		if detectFormat(first) != models.FormatCSV {
			p.fail(1, "", "must be a header row naming the columns ("+strings.Join(orgColumnNames(), ", ")+
				"); without one the file is an ODS extract (format=ods)")
			return p.imp, nil
		}
		if !p.header(first) {
			return p.imp, nil
		}
	case models.FormatODS:
		p.imp.Extract = opts.Extract
		if p.imp.Extract == "" {
			p.imp.Extract = detectExtract(first)
		}
		if detectFormat(first) == models.FormatCSV {
			p.fail(1, "", "looks like a header row: an ODS extract has none (use format=csv for our CSV format)")
			return p.imp, nil
		}
		p.odsRow(first)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if err := p.readError(err); err != nil {
				return nil, err
			}
			break
		}
		if format == models.FormatCSV {
			p.csvRow(rec)
		} else {
			p.odsRow(rec)
		}
	}
	if format == models.FormatODS {
		p.addODSParents()
	}
	p.imp.Errors = append(p.imp.Errors, orderByLevel(p.imp.Rows)...)
	return p.imp, nil
}

type orgParser struct {
	cr     *csv.Reader
	today  models.Date
	imp    *models.OrganisationImport
	lines  map[string]int   // code -> line of the row that defines it
	cols   []string         // our CSV: the column of each position
	fields models.OrgFields // our CSV: the fields the file's columns write

	odsPlaces // ODS: the geography the open rows name
}

func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	return br
}

func detectFormat(first []string) models.ImportFormat {
	var code, name bool
	for _, c := range first {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "code":
			code = true
		case "name":
			name = true
		}
	}
	if code && name {
		return models.FormatCSV
	}
	return models.FormatODS
}

func (p *orgParser) line() int {
	line, _ := p.cr.FieldPos(0)
	return line
}

func (p *orgParser) fail(line int, field, message string) {
	p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Field: field, Message: message})
}

// readError records malformed CSV as an error of the row where it starts; reading stops
// there because what follows cannot be trusted. Other errors (the body limit, a broken
// connection) are returned as they are.
func (p *orgParser) readError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p.fail(pe.StartLine, "", "is not valid CSV: "+pe.Err.Error())
		return nil
	}
	return err
}

// header reads our CSV's header row: known columns in any order, code, name and type required.
func (p *orgParser) header(rec []string) bool {
	known := orgColumnNames()
	seen := map[string]bool{}
	p.cols = make([]string, len(rec))
	for i, h := range rec {
		name := strings.ToLower(strings.TrimSpace(h))
		k := slices.Index(known, name)
		switch {
		case k < 0:
			label := models.Excerpt(strings.TrimSpace(h))
			if label == "" {
				label = "column " + strconv.Itoa(i+1)
			}
			p.fail(1, label, "is not a known column; the columns are "+strings.Join(known, ", "))
		case seen[name]:
			p.fail(1, name, "appears twice in the header")
		default:
			seen[name] = true
			p.cols[i] = name
			p.fields |= orgColumns[k].fields
		}
	}
	for _, c := range requiredOrgColumns {
		if !seen[c] {
			p.fail(1, c, "column is required")
		}
	}
	return len(p.imp.Errors) == 0
}

func (p *orgParser) csvRow(rec []string) {
	line := p.line()
	if len(rec) != len(p.cols) {
		code := ""
		if k := slices.Index(p.cols, "code"); k >= 0 && k < len(rec) {
			code = models.Excerpt(strings.TrimSpace(rec[k]))
		}
		p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Code: code,
			Message: "has " + strconv.Itoa(len(rec)) + " fields; the header has " + strconv.Itoa(len(p.cols))})
		return
	}
	var o models.Organisation
	var v models.Validator
	for i, col := range p.cols {
		val := strings.TrimSpace(rec[i])
		switch col {
		case "code":
			o.Code = val
		case "name":
			o.Name = val
		case "type":
			o.Type = models.OrgType(strings.ToLower(val))
		case "parent":
			o.Parent = val
		case "sector":
			o.Sector = models.Sector(strings.ToLower(val))
		case "size_band":
			o.SizeBand = models.SizeBand(strings.ToLower(val))
		case "headcount":
			if val != "" {
				n, err := strconv.Atoi(val)
				v.Check(err == nil, "headcount", "must be a whole number")
				o.Headcount = &n
			}
		case "address":
			o.Address = val
		case "postcode":
			o.Postcode = val
		case "open_date":
			o.OpenDate = parseDateField(&v, "open_date", val)
		case "close_date":
			o.CloseDate = parseDateField(&v, "close_date", val)
		case "xapi_home_page":
			o.XAPIHomePage = val
		}
	}
	p.add(models.ImportRow{Line: line, Org: o, Fields: p.fields}, &v, nil)
}

func parseDateField(v *models.Validator, field, s string) *models.Date {
	if s == "" {
		return nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		v.Add(field, "must be a date (YYYY-MM-DD or YYYYMMDD) "+models.TimeRange+", not "+strconv.Quote(models.Excerpt(s)))
		return nil
	}
	return &d
}

// add validates a row and keeps it, or records its errors. active is whether the
// organisation is at work, when the file says; otherwise its dates decide.
func (p *orgParser) add(row models.ImportRow, v *models.Validator, active *bool) bool {
	o, line := &row.Org, row.Line
	o.Normalize()
	o.ResolveActive(active, p.today)
	o.CheckInto(v, p.today)
	if models.ValidOrgCode(o.Code) {
		if prev, dup := p.lines[o.Code]; dup {
			v.Add("code", "is also on line "+strconv.Itoa(prev))
		} else {
			p.lines[o.Code] = line
			p.imp.Codes = append(p.imp.Codes, o.Code)
		}
	}
	if v.Len() > 0 {
		p.imp.Errors = append(p.imp.Errors, rowErrors(line, models.Excerpt(o.Code), v)...)
		return false
	}
	p.imp.Rows = append(p.imp.Rows, row)
	return true
}
