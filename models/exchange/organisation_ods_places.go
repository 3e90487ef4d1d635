package exchange

import (
	"strconv"

	"cyberskills/models"
)

// odsPlaces is the geography that the open rows of an ODS extract name: each region,
// ICB and sub-ICB location once, in the order first named, with the line first naming
// each code, the region of each ICB, and how many rows put each sub-ICB location in
// each ICB.
type odsPlaces struct {
	regions, icbs, subs []string
	seenAt              map[string]int
	isRegion            map[string]bool
	icbIn               map[string]string         // ICB -> its region
	subVotes            map[string]map[string]int // sub-ICB location -> ICB -> rows
	subICBs             map[string][]string       // sub-ICB location -> its ICBs, first named first
}

// noteGeography records the geography of an open row.
func (p *orgParser) noteGeography(line int, g odsGeography) {
	if p.seenAt == nil {
		p.odsPlaces = odsPlaces{seenAt: map[string]int{}, isRegion: map[string]bool{}, icbIn: map[string]string{},
			subVotes: map[string]map[string]int{}, subICBs: map[string][]string{}}
	}
	first := func(code string) {
		if _, ok := p.seenAt[code]; !ok {
			p.seenAt[code] = line
		}
	}
	if g.region != "" && !p.isRegion[g.region] {
		first(g.region)
		p.isRegion[g.region] = true
		p.regions = append(p.regions, g.region)
	}
	if _, ok := p.icbIn[g.icb]; g.icb != "" && !ok {
		first(g.icb)
		p.icbIn[g.icb] = g.region
		p.icbs = append(p.icbs, g.icb)
	}
	if g.sub == "" {
		return
	}
	votes, ok := p.subVotes[g.sub]
	if !ok {
		first(g.sub)
		votes = map[string]int{}
		p.subVotes[g.sub] = votes
		p.subs = append(p.subs, g.sub)
	}
	if g.icb != "" {
		if votes[g.icb] == 0 {
			p.subICBs[g.sub] = append(p.subICBs[g.sub], g.icb)
		}
		votes[g.icb]++
	}
}

// subICBOf is the ICB of a sub-ICB location: the one most of its rows name, the first
// named among equals. The GP practice extract places practices by their commissioner
// and by geography, which disagree for a few practices near a boundary; the
// commissioner's ICB is the one most of its practices lie in.
func (p *orgParser) subICBOf(sub string) string {
	best := ""
	for _, icb := range p.subICBs[sub] {
		if best == "" || p.subVotes[sub][icb] > p.subVotes[sub][best] {
			best = icb
		}
	}
	return best
}

// addODSParents adds the regions, ICBs and sub-ICB locations that the rows name,
// before the rows. A region gets its NHS England name, an ICB or sub-ICB location a
// placeholder name. On an organisation that exists already, an import sets only the
// type, the sector (unless a person set them) and where it sits: the extract is the
// authority on geography, not on names it does not carry.
func (p *orgParser) addODSParents() {
	var implied []models.ImportRow
	named := map[string]string{} // code -> what the file names it as
	add := func(field, as string, r models.ImportRow) {
		code := r.Org.Code
		if prev, ok := named[code]; ok {
			p.imp.Errors = append(p.imp.Errors, models.RowError{Line: p.seenAt[code], Code: code, Field: field,
				Message: code + " is named as " + prev + " and as " + as})
			return
		}
		named[code] = as
		if p.clash(code, as) {
			return
		}
		r.Line, r.Org.Active, r.Org.Sector = p.seenAt[code], true, models.SectorCommissioning
		r.Fields |= models.SetType | models.SetSector
		if r.Org.Parent != "" {
			r.Fields |= models.SetParent
		}
		implied = append(implied, r)
	}
	for _, code := range p.regions {
		add("region", "a region", models.ImportRow{Org: models.Organisation{Code: code, Name: models.RegionName(code), Type: models.OrgRegion}})
	}
	for _, code := range p.icbs {
		add("icb", "an ICB", models.ImportRow{Org: models.Organisation{Code: code, Name: models.ICBPlaceholderName(code),
			Type: models.OrgICB, Parent: p.icbIn[code]}})
	}
	for _, code := range p.subs {
		add("sub_icb", "a sub-ICB location", models.ImportRow{Org: models.Organisation{Code: code,
			Name: models.SubICBPlaceholderName(code), Type: models.OrgSubICB, Parent: p.subICBOf(code)}})
	}
	for _, r := range implied {
		p.imp.Codes = append(p.imp.Codes, r.Org.Code)
	}
	p.imp.Rows = append(implied, p.imp.Rows...)
}

// clash reports a row whose code the file also names as a region, ICB or sub-ICB location.
func (p *orgParser) clash(code, as string) bool {
	line, ok := p.lines[code]
	if ok {
		p.imp.Errors = append(p.imp.Errors, models.RowError{Line: line, Code: code, Field: "code",
			Message: "is also named as " + as + " on line " + strconv.Itoa(p.seenAt[code])})
	}
	return ok
}
