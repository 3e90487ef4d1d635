package exchange

import (
	"strconv"
	"strings"

	"cyberskills/models"
)

// The NHS ODS extracts share one headerless layout of 27 columns (0-based here); each
// extract fills the columns its kind has and leaves the others empty.
const (
	odsCode, odsName, odsRegion, odsICB = 0, 1, 2, 3 // national grouping, high-level health geography
	odsAddressFirst, odsAddressLast     = 4, 8
	odsPostcode, odsOpen, odsClose      = 9, 10, 11
	odsStatus                           = 12 // epraccur: A active, C closed, D dormant, P proposed
	odsSubType                          = 13 // eccg: the organisation sub-type
	odsParent                           = 14 // epraccur: the commissioner (sub-ICB location); eccgsite: the site's organisation
	odsPrescribingSetting               = 25 // epraccur: what kind of prescribing cost centre the row is
)

// odsNoValue are the codes that the extracts give for "no value" in a geography column:
// Q99 as high-level health geography (no ICB) and Y99 as national grouping (no region),
// as the ODS documentation of the extracts says. W00, the national grouping of Welsh
// rows, is Wales, which has no NHS England region.
var odsNoValue = map[string]bool{"Q99": true, "Y99": true}

const odsWales = "W00"

// gpPractice is the prescribing setting of a GP practice in epraccur. The others (out
// of hours services, walk-in centres, community and hospital services, prisons, care
// homes and so on) are prescribing cost centres inside other organisations, not
// organisations with a workforce of their own: the import counts and skips them.
const gpPractice = 4

// odsExtract is what the import does with the rows of one extract.
type odsExtract struct {
	typ     models.OrgType
	columns int              // a row has at least this many: up to the last column read
	fields  models.OrgFields // written on an organisation that exists
	sector  func(name string) models.Sector
	// places lists the codes a row may sit under, nearest first: the first that the
	// row names is its parent.
	places func(g odsGeography) []string
}

// extractFields are what every extract knows: name, type, address and dates, and where
// the organisation sits. None says anything about size, headcount or xAPI.
const extractFields = models.SetName | models.SetType | models.SetParent | models.SetAddress | models.SetPostcode |
	models.SetOpenDate | models.SetCloseDate | models.SetActive

var odsExtracts = map[models.ODSExtract]odsExtract{
	// A trust sits under its ICB, or its region when it has no ICB, or at the top (the
	// Welsh bodies). Its sector is guessed from its name (models.SectorFromName).
	models.ExtractTrusts: {models.OrgTrust, odsClose + 1, extractFields | models.SetSector, models.SectorFromName,
		func(g odsGeography) []string { return []string{g.icb, g.region} }},
	// A GP practice sits under the sub-ICB location that commissions it, in its ICB. A
	// practice without an English ICB (a Welsh one, commissioned by a Welsh health board)
	// sits at the top of the tree, like the Welsh trusts.
	models.ExtractPractices: {models.OrgPractice, odsPrescribingSetting + 1, extractFields | models.SetSector,
		fixedSector(models.SectorPrimaryCare), func(g odsGeography) []string { return []string{g.sub, g.icb} }},
	// A sub-ICB location sits under its ICB.
	models.ExtractSubICBs: {models.OrgSubICB, odsClose + 1, extractFields | models.SetSector,
		fixedSector(models.SectorCommissioning), func(g odsGeography) []string { return []string{g.icb} }},
	// A site of a sub-ICB location is a department of it. Sites carry no sector.
	models.ExtractSubICBSites: {models.OrgDepartment, odsParent + 1, extractFields, fixedSector(""),
		func(g odsGeography) []string { return []string{g.sub} }},
}

func fixedSector(s models.Sector) func(string) models.Sector {
	return func(string) models.Sector { return s }
}

// detectExtract tells the extracts apart by the columns that only one of them fills:
// the prescribing setting (epraccur), the parent organisation (eccgsite), the
// organisation sub-type (eccg). A row with none of them is read as a trust (etr).
func detectExtract(first []string) models.ODSExtract {
	filled := func(i int) bool { return len(first) > i && strings.TrimSpace(first[i]) != "" }
	switch {
	case filled(odsPrescribingSetting):
		return models.ExtractPractices
	case filled(odsParent):
		return models.ExtractSubICBSites
	case filled(odsSubType):
		return models.ExtractSubICBs
	}
	return models.ExtractTrusts
}

// odsGeography is where a row says it belongs, with the "no value" codes read as none.
type odsGeography struct {
	region, icb, sub string
}

// odsRow reads one row of an ODS extract. An open row places its organisation and names
// the geography above it, which the import creates when missing (addODSParents). A
// closed row keeps the geography of its day, which may be long gone: it never fails
// the file for it, never creates or moves anything for it, and only places a new
// organisation, under the nearest place it names that exists (ImportRow.ParentChoices).
func (p *orgParser) odsRow(rec []string) {
	line := p.line()
	x := odsExtracts[p.imp.Extract]
	code := models.Excerpt(strings.TrimSpace(rec[odsCode]))
	if len(rec) < x.columns {
		p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Code: code,
			Message: "has " + strconv.Itoa(len(rec)) + " columns; a row of the " + string(p.imp.Extract) + " extract has at least " + strconv.Itoa(x.columns)})
		return
	}
	col := func(i int) string { // a column past the extract's own may be missing
		if i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var v models.Validator
	if p.imp.Extract == models.ExtractPractices && !p.isGPPractice(&v, col(odsCode), col(odsPrescribingSetting)) {
		return
	}
	g := p.geography(&v, rec)
	status := col(odsStatus)
	switch status {
	case "", "A", "C", "D", "P":
	default:
		v.Add("status", "must be A (active), C (closed), D (dormant) or P (proposed), not "+strconv.Quote(models.Excerpt(status)))
	}
	o := models.Organisation{
		Code: col(odsCode), Name: col(odsName), Type: x.typ, Sector: x.sector(col(odsName)),
		Address: odsAddress(rec), Postcode: col(odsPostcode),
		OpenDate:  parseDateField(&v, "open_date", col(odsOpen)),
		CloseDate: parseDateField(&v, "close_date", col(odsClose)),
	}
	closed := status == "C" || o.ClosedOn(p.today)
	active := !closed && (status == "" || status == "A") // dormant and proposed are not at work
	row := models.ImportRow{Line: line, Org: o, Fields: x.fields}
	if closed {
		row.Fields &^= models.SetParent
		row.ParentChoices = nonEmpty(x.places(g))
	} else {
		if p.imp.Extract == models.ExtractSubICBSites && g.sub == "" {
			v.Add("parent", "is required: a site names the sub-ICB location it belongs to (column 15)")
		}
		p.checkRegionOf(&v, g)
		if places := nonEmpty(x.places(g)); len(places) > 0 {
			row.Org.Parent = places[0]
		}
	}
	if p.add(row, &v, &active) && !closed {
		p.noteGeography(line, g)
	}
}

// isGPPractice reads the prescribing setting of an epraccur row: a GP practice is
// imported, any other setting counted and skipped, anything else is a bad row.
func (p *orgParser) isGPPractice(v *models.Validator, code, setting string) bool {
	if n, err := strconv.Atoi(setting); err == nil && n >= 0 && n < 100 {
		if n == gpPractice {
			return true
		}
		p.imp.Skip(code, models.SkipPrescribingSetting(n))
		return false
	}
	v.Add("prescribing_setting", "must be a prescribing setting number (4 for a GP practice), not "+strconv.Quote(models.Excerpt(setting)))
	p.imp.Errors = append(p.imp.Errors, rowErrors(p.line(), models.Excerpt(code), v)...)
	return false
}

// geography reads the region, ICB and sub-ICB location (or site's organisation) a row
// names, as none where the extract says "no value".
func (p *orgParser) geography(v *models.Validator, rec []string) odsGeography {
	read := func(i int, field, what string) string {
		if i >= len(rec) {
			return ""
		}
		c := strings.TrimSpace(rec[i])
		if odsNoValue[c] || (i == odsRegion && c == odsWales) {
			return ""
		}
		if c != "" && !models.ValidOrgCode(c) {
			v.Add(field, "the "+what+" "+strconv.Quote(models.Excerpt(c))+" is not a valid code")
			return ""
		}
		return c
	}
	g := odsGeography{region: read(odsRegion, "region", "national grouping"), icb: read(odsICB, "icb", "health geography")}
	switch p.imp.Extract {
	case models.ExtractPractices:
		g.sub = read(odsParent, "sub_icb", "commissioner (sub-ICB location)")
		if g.icb == "" {
			g.sub = "" // a Welsh practice's commissioner is a Welsh health board, not a sub-ICB location
		}
	case models.ExtractSubICBSites:
		g.sub = read(odsParent, "parent", "parent organisation")
	}
	return g
}

// checkRegionOf refuses an open row that puts an ICB in another region than an earlier
// open row did: an ICB lies in one region.
func (p *orgParser) checkRegionOf(v *models.Validator, g odsGeography) {
	if r, ok := p.icbIn[g.icb]; ok && g.icb != "" && r != g.region {
		v.Add("icb", g.icb+" is in region "+orNone(r)+" on line "+strconv.Itoa(p.seenAt[g.icb])+", not "+orNone(g.region))
	}
}

func nonEmpty(codes []string) []string {
	out := []string{}
	for _, c := range codes {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func orNone(code string) string {
	if code == "" {
		return "(none)"
	}
	return code
}

// odsAddress joins the non-empty address lines.
func odsAddress(rec []string) string {
	var parts []string
	for i := odsAddressFirst; i <= odsAddressLast; i++ {
		if s := strings.TrimSpace(rec[i]); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
