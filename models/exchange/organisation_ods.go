package exchange

import (
	"strconv"
	"strings"

	"cyberskills/models"
)

// odsRow reads one trust of an NHS ODS extract (etr.csv and files of the same layout).
// Its parent is its ICB, or its region when it has no ICB, or none at all when it has
// neither (the Welsh bodies in etr.csv): such a trust is imported at the top of the tree.
func (p *orgParser) odsRow(rec []string) {
	line := p.line()
	if len(rec) < odsMinColumns {
		p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Code: models.Excerpt(strings.TrimSpace(rec[odsCode])),
			Message: "has " + strconv.Itoa(len(rec)) + " columns; an ODS extract row has at least " + strconv.Itoa(odsMinColumns)})
		return
	}
	col := func(i int) string { return strings.TrimSpace(rec[i]) }
	var v models.Validator
	region, icb := col(odsRegion), col(odsICB)
	if region != "" && !models.ValidOrgCode(region) {
		v.Add("region", "the national grouping "+strconv.Quote(models.Excerpt(region))+" is not a valid code")
		region = ""
	}
	if icb != "" && !models.ValidOrgCode(icb) {
		v.Add("icb", "the health geography "+strconv.Quote(models.Excerpt(icb))+" is not a valid code")
		icb = ""
	}
	if r, ok := p.icbIn[icb]; ok && icb != "" && r != region {
		v.Add("icb", icb+" is in region "+orNone(r)+" on line "+strconv.Itoa(p.seenAt[icb])+", not "+orNone(region))
	}
	o := models.Organisation{
		Code: col(odsCode), Name: col(odsName), Type: models.OrgTrust,
		Parent: icb, Sector: models.SectorFromName(col(odsName)),
		Address: odsAddress(rec), Postcode: col(odsPostcode),
		OpenDate:  parseDateField(&v, "open_date", col(odsOpen)),
		CloseDate: parseDateField(&v, "close_date", col(odsClose)),
	}
	if o.Parent == "" {
		o.Parent = region
	}
	if p.add(line, o, odsFields, &v) {
		p.noteParents(line, region, icb)
	}
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

func (p *orgParser) noteParents(line int, region, icb string) {
	if p.seenAt == nil {
		p.seenAt, p.icbIn = map[string]int{}, map[string]string{}
	}
	if _, ok := p.seenAt[region]; region != "" && !ok {
		p.seenAt[region] = line
		p.regions = append(p.regions, region)
	}
	if _, ok := p.icbIn[icb]; icb != "" && !ok {
		p.icbIn[icb] = region
		if _, ok := p.seenAt[icb]; !ok {
			p.seenAt[icb] = line
		}
		p.icbs = append(p.icbs, icb)
	}
}

// addODSParents adds the regions and ICBs that the trusts name, before the trusts. A
// region gets its NHS England name and an ICB a placeholder name. On an organisation
// that exists already, an import sets only the type and (for an ICB) the region it
// belongs to: the extract is the authority on geography, not on names it does not carry.
func (p *orgParser) addODSParents() {
	var implied []models.ImportRow
	isRegion := map[string]bool{}
	for _, code := range p.regions {
		isRegion[code] = true
		if p.clash(code, "a region (national grouping)") {
			continue
		}
		implied = append(implied, models.ImportRow{Line: p.seenAt[code], Fields: models.SetType | models.FillSector, Org: models.Organisation{
			Code: code, Name: models.RegionName(code), Type: models.OrgRegion, Sector: models.SectorCommissioning, Active: true}})
	}
	for _, code := range p.icbs {
		if isRegion[code] {
			p.imp.Errors = append(p.imp.Errors, models.RowError{Line: p.seenAt[code], Code: code, Field: "icb",
				Message: code + " is named as a region and as an ICB"})
			continue
		}
		if p.clash(code, "an ICB (health geography)") {
			continue
		}
		row := models.ImportRow{Line: p.seenAt[code], Fields: models.SetType | models.FillSector, Org: models.Organisation{
			Code: code, Name: models.ICBPlaceholderName(code), Type: models.OrgICB, Parent: p.icbIn[code],
			Sector: models.SectorCommissioning, Active: true}}
		if row.Org.Parent != "" {
			row.Fields |= models.SetParent
		}
		implied = append(implied, row)
	}
	for _, r := range implied {
		p.imp.Codes = append(p.imp.Codes, r.Org.Code)
	}
	p.imp.Rows = append(implied, p.imp.Rows...)
}

// clash reports a trust whose code is also used as a region or ICB code.
func (p *orgParser) clash(code, as string) bool {
	line, ok := p.lines[code]
	if ok {
		p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Code: code, Field: "code",
			Message: "is also named as " + as + " on line " + strconv.Itoa(p.seenAt[code])})
	}
	return ok
}
