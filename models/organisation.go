package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgType is an organisation's place in the NHS structure: region > ICB > trust > department,
// and region > ICB > sub-ICB location > GP practice.
type OrgType string

// The organisation types.
const (
	OrgRegion OrgType = "region" // an NHS England region, e.g. Y56 London
	OrgICB    OrgType = "icb"    // an integrated care board
	// OrgSubICB is a sub-ICB location: a former clinical commissioning group, kept by the
	// NHS as the part of an ICB that commissions its GP practices (the ODS eccg extract).
	OrgSubICB     OrgType = "sub_icb"
	OrgTrust      OrgType = "trust"      // an NHS trust or foundation trust
	OrgDepartment OrgType = "department" // a unit inside an organisation
	OrgPractice   OrgType = "practice"   // a GP practice
	OrgOther      OrgType = "other"
)

// OrgTypes lists every organisation type.
var OrgTypes = []OrgType{OrgRegion, OrgICB, OrgSubICB, OrgTrust, OrgDepartment, OrgPractice, OrgOther}

// Valid reports whether t is a known type.
func (t OrgType) Valid() bool { return oneOf(t, OrgTypes) }

// Sector is the kind of care or body an organisation is, for statistics by sector.
type Sector string

// The sectors.
const (
	SectorAcute         Sector = "acute"
	SectorMentalHealth  Sector = "mental_health"
	SectorCommunity     Sector = "community"
	SectorAmbulance     Sector = "ambulance"
	SectorPrimaryCare   Sector = "primary_care"
	SectorSpecialist    Sector = "specialist"
	SectorCommissioning Sector = "commissioning"
	SectorOtherPublic   Sector = "other_public"
	SectorPrivate       Sector = "private"
	SectorVoluntary     Sector = "voluntary"
)

// Sectors lists every sector.
var Sectors = []Sector{SectorAcute, SectorMentalHealth, SectorCommunity, SectorAmbulance, SectorPrimaryCare,
	SectorSpecialist, SectorCommissioning, SectorOtherPublic, SectorPrivate, SectorVoluntary}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return oneOf(s, Sectors) }

// SizeBand classifies an organisation by workforce size when the exact headcount is not
// known or not shared.
type SizeBand string

// The size bands.
const (
	SizeMicro     SizeBand = "micro"
	SizeSmall     SizeBand = "small"
	SizeMedium    SizeBand = "medium"
	SizeLarge     SizeBand = "large"
	SizeVeryLarge SizeBand = "very_large"
)

// SizeBands lists every size band.
var SizeBands = []SizeBand{SizeMicro, SizeSmall, SizeMedium, SizeLarge, SizeVeryLarge}

// Valid reports whether b is a known size band.
func (b SizeBand) Valid() bool { return oneOf(b, SizeBands) }

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}

// Names lists enum values as strings, for messages and query validation.
func Names[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

func joined[T ~string](all []T) string { return strings.Join(Names(all), ", ") }

// Organisation is a node of the organisation tree. Region and ICB are derived from the
// tree (the nearest ancestor of that type, or the organisation itself) and read-only.
type Organisation struct {
	ID     int64   `json:"-"`
	Code   string  `json:"code" example:"RJ1"`
	Name   string  `json:"name" example:"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST"`
	Type   OrgType `json:"type" enums:"region,icb,sub_icb,trust,department,practice,other" example:"trust"`
	Parent string  `json:"parent,omitempty" example:"QKK"`
	Sector Sector  `json:"sector,omitempty" enums:"acute,mental_health,community,ambulance,primary_care,specialist,commissioning,other_public,private,voluntary" example:"acute"`
	// SizeBand and Headcount are both optional: share either or both.
	SizeBand  SizeBand `json:"size_band,omitempty" enums:"micro,small,medium,large,very_large" example:"very_large"`
	Headcount *int     `json:"headcount,omitempty" example:"22000"`
	Address   string   `json:"address,omitempty" example:"GUY'S HOSPITAL, GREAT MAZE POND, LONDON"`
	Postcode  string   `json:"postcode,omitempty" example:"SE1 9RT"`
	OpenDate  *Date    `json:"open_date,omitempty" swaggertype:"string" format:"date" example:"1993-04-01"`
	CloseDate *Date    `json:"close_date,omitempty" swaggertype:"string" format:"date" example:"2030-03-31"`
	// Active is false for a closed organisation (close date reached) or one switched off by hand.
	Active bool   `json:"active" example:"true"`
	Region string `json:"region,omitempty" example:"Y56"`
	ICB    string `json:"icb,omitempty" example:"QKK"`
	// XAPIHomePage is the xAPI account.homePage that identifies this organisation's staff,
	// in normal form (NormalHomePage). Only administrators set it.
	XAPIHomePage string `json:"xapi_home_page,omitempty" example:"https://esr.example.nhs.uk/RJ1"`
	// SetByHand names the fields of type and sector that a person chose (through the API
	// or a file of our CSV format): imports of the ODS extracts leave them alone.
	SetByHand []HandField `json:"set_by_hand,omitempty" swaggertype:"array,string" enums:"type,sector" example:"sector"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

var orgCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// ValidOrgCode reports whether code can name an organisation: an NHS ODS code or any
// code of up to 40 letters, digits, dots, dashes and underscores.
func ValidOrgCode(code string) bool { return orgCodePattern.MatchString(code) }

// Limits on free-text fields.
const (
	MaxOrgNameLength     = 300
	MaxOrgAddressLength  = 500
	MaxPostcodeLength    = 16
	MaxHeadcount         = 10_000_000
	MaxHomePageURLLength = 500
)

// Normalize trims the text fields, writes postcodes in capitals with single spaces and
// the xAPI home page in its normal form (NormalHomePage; one that has none is left for
// Validate to refuse), so that the same organisation written twice compares equal.
func (o *Organisation) Normalize() {
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.Parent = strings.TrimSpace(o.Parent)
	o.Address = strings.TrimSpace(o.Address)
	o.Postcode = strings.ToUpper(strings.Join(strings.Fields(o.Postcode), " "))
	o.XAPIHomePage = strings.TrimSpace(o.XAPIHomePage)
	if normal, err := NormalHomePage(o.XAPIHomePage); err == nil {
		o.XAPIHomePage = normal
	}
}

// ClosedOn reports whether the organisation has closed by today: its close date is set
// and not in the future.
func (o Organisation) ClosedOn(today Date) bool {
	return o.CloseDate != nil && !o.CloseDate.After(today)
}

// ResolveActive sets Active: the caller's explicit choice, or else open unless closed.
func (o *Organisation) ResolveActive(explicit *bool, today Date) {
	if explicit != nil {
		o.Active = *explicit
		return
	}
	o.Active = !o.ClosedOn(today)
}

// Validate checks every field and reports all problems at once.
func (o Organisation) Validate(today Date) error {
	var v Validator
	o.CheckInto(&v, today)
	return v.Err()
}

// CheckInto records every problem of the organisation in v: an import file adds them to
// what its row already found.
func (o Organisation) CheckInto(v *Validator, today Date) {
	v.Check(ValidOrgCode(o.Code), "code", "must be 1 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit")
	v.Check(o.Name != "" && utf8.RuneCountInString(o.Name) <= MaxOrgNameLength && utf8.ValidString(o.Name),
		"name", "is required (at most "+strconv.Itoa(MaxOrgNameLength)+" characters)")
	v.Check(o.Type.Valid(), "type", "must be one of "+joined(OrgTypes))
	if o.Parent != "" {
		v.Check(ValidOrgCode(o.Parent), "parent", "is not a valid organisation code")
		v.Check(o.Parent != o.Code, "parent", "cannot be the organisation itself")
	}
	v.Check(o.Sector == "" || o.Sector.Valid(), "sector", "must be one of "+joined(Sectors))
	v.Check(o.SizeBand == "" || o.SizeBand.Valid(), "size_band", "must be one of "+joined(SizeBands))
	v.Check(o.Headcount == nil || (*o.Headcount >= 0 && *o.Headcount <= MaxHeadcount),
		"headcount", "must be a whole number from 0 to "+strconv.Itoa(MaxHeadcount))
	v.Check(utf8.RuneCountInString(o.Address) <= MaxOrgAddressLength && utf8.ValidString(o.Address),
		"address", "must be at most "+strconv.Itoa(MaxOrgAddressLength)+" characters")
	v.Check(len(o.Postcode) <= MaxPostcodeLength && utf8.ValidString(o.Postcode),
		"postcode", "must be at most "+strconv.Itoa(MaxPostcodeLength)+" characters")
	if o.OpenDate != nil && o.CloseDate != nil {
		v.Check(!o.CloseDate.Before(*o.OpenDate), "close_date", "must not be before open_date")
	}
	v.Check(!(o.Active && o.ClosedOn(today)), "active", "cannot be true: the organisation has closed")
	if o.XAPIHomePage != "" {
		normal, err := NormalHomePage(o.XAPIHomePage)
		switch {
		case err != nil:
			v.Add("xapi_home_page", err.Error())
		case len(normal) > MaxHomePageURLLength:
			v.Add("xapi_home_page", "must be at most "+strconv.Itoa(MaxHomePageURLLength)+" characters")
		}
	}
}

// Names of the NHS England regions, keyed by the ODS code that the ODS extracts give as
// the national grouping.
var RegionNames = map[string]string{
	"Y56": "London",
	"Y58": "South West",
	"Y59": "South East",
	"Y60": "Midlands",
	"Y61": "East of England",
	"Y62": "North West",
	"Y63": "North East and Yorkshire",
}

// RegionName is the name of an NHS England region, or a name made from its code for a
// region that is not in RegionNames (a region created after this list was written).
func RegionName(code string) string {
	if n, ok := RegionNames[code]; ok {
		return n
	}
	return "NHS England region " + code
}

// ICBPlaceholderName names an ICB known only by its code, until an import names it.
func ICBPlaceholderName(code string) string { return "Integrated Care Board " + code }

// SubICBPlaceholderName names a sub-ICB location known only by its code (from the GP
// practices it commissions), until an import of the eccg extract names it.
func SubICBPlaceholderName(code string) string { return "Sub-ICB location " + code }

// sectorRules decide a sector from an NHS trust's name, first match wins. Only words that
// settle the question count: a trust named for a specialty is specialist, one named as a
// hospital (and for no specialty) is acute; names such as "PARTNERSHIP" or "HEALTHCARE"
// cover acute, community and mental health trusts alike and decide nothing.
var sectorRules = []struct {
	sector Sector
	words  []string
}{
	{SectorAmbulance, []string{"AMBULANCE"}},
	{SectorMentalHealth, []string{"MENTAL HEALTH", "LEARNING DISABILIT"}},
	{SectorCommunity, []string{"COMMUNITY"}},
	{SectorSpecialist, []string{"ORTHOPAEDIC", "CHILDREN", "WOMEN'S", "CANCER", "HEART AND CHEST", "EYE HOSPITAL", "RHEUMATIC"}},
	{SectorAcute, []string{"HOSPITAL", "ACUTE"}},
}

// SectorFromName guesses a trust's sector from its name, or "" when the name does not
// make it clear. See sectorRules.
func SectorFromName(name string) Sector {
	n := strings.ToUpper(strings.ReplaceAll(name, "’", "'"))
	for _, r := range sectorRules {
		for _, w := range r.words {
			if strings.Contains(n, w) {
				return r.sector
			}
		}
	}
	return ""
}
