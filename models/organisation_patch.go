package models

import "encoding/json"

// Optional is one member of a JSON merge patch (RFC 7396): absent (Set false), null
// (Set and Null: clear the field) or a value.
type Optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// UnmarshalJSON records that the member was present. encoding/json calls it for null too.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// apply writes the member into dst: the value, the zero value for null, or nothing.
func (o Optional[T]) apply(dst *T) {
	if !o.Set {
		return
	}
	var zero T
	if o.Null {
		*dst = zero
		return
	}
	*dst = o.Value
}

// applyPtr is apply for a field that is nil when empty.
func (o Optional[T]) applyPtr(dst **T) {
	if !o.Set {
		return
	}
	if o.Null {
		*dst = nil
		return
	}
	v := o.Value
	*dst = &v
}

// OrganisationPatch changes the fields it names and leaves the others alone; null clears
// an optional field. The code is the organisation's identity and region and ICB are
// derived, so none of them can be patched.
type OrganisationPatch struct {
	Name         Optional[string]   `json:"name" swaggertype:"string" example:"Cyber security team"`
	Type         Optional[OrgType]  `json:"type" swaggertype:"string" enums:"region,icb,sub_icb,trust,department,practice,other" example:"department"`
	Parent       Optional[string]   `json:"parent" swaggertype:"string" example:"RJ1"`
	Sector       Optional[Sector]   `json:"sector" swaggertype:"string" enums:"acute,mental_health,community,ambulance,primary_care,specialist,commissioning,other_public,private,voluntary" example:"acute"`
	SizeBand     Optional[SizeBand] `json:"size_band" swaggertype:"string" enums:"micro,small,medium,large,very_large" example:"small"`
	Headcount    Optional[int]      `json:"headcount" swaggertype:"integer" example:"40"`
	Address      Optional[string]   `json:"address" swaggertype:"string" example:"GUY'S HOSPITAL, GREAT MAZE POND, LONDON"`
	Postcode     Optional[string]   `json:"postcode" swaggertype:"string" example:"SE1 9RT"`
	OpenDate     Optional[Date]     `json:"open_date" swaggertype:"string" format:"date" example:"2024-04-01"`
	CloseDate    Optional[Date]     `json:"close_date" swaggertype:"string" format:"date" example:"2030-03-31"`
	Active       Optional[bool]     `json:"active" swaggertype:"boolean" example:"true"`
	XAPIHomePage Optional[string]   `json:"xapi_home_page" swaggertype:"string" example:"https://esr.example.nhs.uk/RJ1"`
	// SetByHand replaces the list of fields a person owns; leaving a field out hands it
	// back to the ODS extracts (null or [] hands back both). Without it, a type or sector
	// that the patch changes becomes the person's, and a sector it clears goes back.
	SetByHand Optional[[]HandField] `json:"set_by_hand" swaggertype:"array,string" enums:"type,sector" example:"sector"`
}

// Apply returns o with the patch applied, normalised and validated. When the close date
// changes and active is not given, active follows the dates again (closed means
// inactive, reopened means active).
func (p OrganisationPatch) Apply(o Organisation, today Date) (Organisation, error) {
	var v Validator
	v.Check(!p.Name.Null, "name", "cannot be cleared")
	v.Check(!p.Type.Null, "type", "cannot be cleared")
	v.Check(!p.Active.Null, "active", "cannot be cleared; give true or false")
	for _, f := range p.SetByHand.Value {
		v.Check(f.Valid(), "set_by_hand", "may name only "+joined(HandFields))
	}
	if err := v.Err(); err != nil {
		return o, err
	}
	before := o
	p.Name.apply(&o.Name)
	p.Type.apply(&o.Type)
	p.Parent.apply(&o.Parent)
	p.Sector.apply(&o.Sector)
	p.SizeBand.apply(&o.SizeBand)
	p.Headcount.applyPtr(&o.Headcount)
	p.Address.apply(&o.Address)
	p.Postcode.apply(&o.Postcode)
	p.OpenDate.applyPtr(&o.OpenDate)
	p.CloseDate.applyPtr(&o.CloseDate)
	p.XAPIHomePage.apply(&o.XAPIHomePage)
	switch {
	case p.Active.Set:
		o.Active = p.Active.Value
	case p.CloseDate.Set:
		o.ResolveActive(nil, today)
	}
	o.Normalize()
	TrackHand(&before, &o)
	if p.SetByHand.Set {
		o.SetByHand = NormalizeHand(p.SetByHand.Value)
	}
	return o, o.Validate(today)
}
