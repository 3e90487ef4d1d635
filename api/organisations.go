package api

import (
	"encoding/json"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
	"cyberskills/service"
)

// OrganisationRequest is an organisation as a client writes it (POST, PUT). Region, ICB,
// the fields set by hand and the timestamps are derived: a body read from a GET may
// carry them back, and they are ignored.
type OrganisationRequest struct {
	// Code is required on POST; on PUT it may be left out, and must match the path when given.
	Code      string          `json:"code" binding:"optional" example:"RJ1-CYBER"`
	Name      string          `json:"name" example:"Cyber security team"`
	Type      models.OrgType  `json:"type" enums:"region,icb,sub_icb,trust,department,practice,other" example:"department"`
	Parent    string          `json:"parent,omitempty" example:"RJ1"`
	Sector    models.Sector   `json:"sector,omitempty" enums:"acute,mental_health,community,ambulance,primary_care,specialist,commissioning,other_public,private,voluntary" example:"acute"`
	SizeBand  models.SizeBand `json:"size_band,omitempty" enums:"micro,small,medium,large,very_large" example:"micro"`
	Headcount *int            `json:"headcount,omitempty" example:"8"`
	Address   string          `json:"address,omitempty" example:"GUY'S HOSPITAL, GREAT MAZE POND, LONDON"`
	Postcode  string          `json:"postcode,omitempty" example:"SE1 9RT"`
	OpenDate  *models.Date    `json:"open_date,omitempty" swaggertype:"string" format:"date" example:"2024-04-01"`
	CloseDate *models.Date    `json:"close_date,omitempty" swaggertype:"string" format:"date" example:"2030-03-31"`
	// Active defaults to true unless the close date has passed; false switches off an
	// organisation that has not closed.
	Active *bool `json:"active,omitempty" example:"true"`
	// XAPIHomePage is the xAPI account.homePage of the organisation's staff. Administrators
	// only set it; it is stored in normal form and unique in that form.
	XAPIHomePage string `json:"xapi_home_page,omitempty" example:"https://esr.example.nhs.uk/RJ1"`

	// What GET answers beside the fields above is accepted and ignored, so that an answer
	// can be sent back with a PUT.
	Region    json.RawMessage `json:"region,omitempty" swaggertype:"string" example:"Y56" extensions:"x-nullable"`
	SetByHand json.RawMessage `json:"set_by_hand,omitempty" swaggertype:"array,string" enums:"type,sector" example:"sector"`
	ICB       json.RawMessage `json:"icb,omitempty" swaggertype:"string" example:"QKK" extensions:"x-nullable"`
	CreatedAt json.RawMessage `json:"created_at,omitempty" swaggertype:"string" format:"date-time"`
	UpdatedAt json.RawMessage `json:"updated_at,omitempty" swaggertype:"string" format:"date-time"`
}

// input is the request as the service takes it; the service normalises and validates it.
func (r OrganisationRequest) input() service.OrganisationInput {
	return service.OrganisationInput{Organisation: models.Organisation{
		Code: r.Code, Name: r.Name, Type: r.Type, Parent: r.Parent, Sector: r.Sector, SizeBand: r.SizeBand,
		Headcount: r.Headcount, Address: r.Address, Postcode: r.Postcode, OpenDate: r.OpenDate,
		CloseDate: r.CloseDate, XAPIHomePage: r.XAPIHomePage,
	}, Active: r.Active}
}

// listOrganisations godoc
// @Summary      List organisations
// @Description  Organisations ordered by code. Organisation metadata is public NHS reference data: admin, trainer and analyst tokens see every organisation; an hr token sees its own organisation and the organisations below it.
// @ID           listOrganisations
// @Tags         organisations
// @Produce      json
// @Param        type    query     string  false  "Only this type"  Enums(region,icb,sub_icb,trust,department,practice,other)
// @Param        parent  query     string  false  "Only the direct children of this organisation code"
// @Param        region  query     string  false  "Only organisations in this NHS England region (a region code such as Y56), the region included"
// @Param        sector  query     string  false  "Only this sector"  Enums(acute,mental_health,community,ambulance,primary_care,specialist,commissioning,other_public,private,voluntary)
// @Param        q       query     string  false  "Part of the name or code, in any case"
// @Param        active  query     bool    false  "Only active (true) or inactive (false) organisations"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.Organisation]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations [get]
func (s *Server) listOrganisations(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.OrganisationFilter{
		Type:   models.OrgType(q.oneOf("type", "", models.Names(models.OrgTypes)...)),
		Parent: q.str("parent"),
		Region: q.str("region"),
		Sector: models.Sector(q.oneOf("sector", "", models.Names(models.Sectors)...)),
		Query:  q.str("q"),
		Active: q.optionalBool("active"),
	}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Organisations(c.Request.Context(), principal(c), f, page)
	return pageOf(items, next), err
}

// getOrganisation godoc
// @Summary      Read an organisation
// @Description  Its fields, its parent, and the region and ICB it belongs to (derived from the tree). hr tokens see only their own subtree.
// @ID           getOrganisation
// @Tags         organisations
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Success      200   {object}  models.Organisation
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code} [get]
func (s *Server) getOrganisation(c *gin.Context) (reply, error) {
	o, err := s.svc.OrganisationByCode(c.Request.Context(), principal(c), c.Param("code"))
	return ok(o), err
}

// createOrganisation godoc
// @Summary      Create an organisation
// @Description  Adds an organisation under its parent, where the tree's typing allows it (region at the top; ICB under a region or at the top; trust under an ICB, a region or at the top; practice under an ICB; other at the top or under a region or ICB; department under any organisation): otherwise a 400 naming parent. An hr token creates only departments, and only below its own organisation (parent inside its subtree), never with an xapi_home_page (administrators bind LMS identities). A parent that does not exist, or lies outside an hr token's subtree, is a 400 naming parent. The xAPI home page is stored in normal form and must be unique in that form.
// @ID           createOrganisation
// @Tags         organisations
// @Accept       json
// @Produce      json
// @Param        body  body      OrganisationRequest  true  "The organisation"
// @Success      201   {object}  models.Organisation
// @Header       201   {string}  Location  "The new organisation: /api/v1/organisations/{code}"
// @Failure      400   {object}  problem.Problem  "Invalid field (named), unknown parent, or a parent the type may not sit under (parent)"
// @Failure      403   {object}  problem.Problem  "Wrong role, or an hr token creating anything but a department or setting xapi_home_page (named)"
// @Failure      409   {object}  problem.Problem  "The code, or the xAPI home page (in any spelling of its URL), is taken"
// @Security     BearerAuth
// @Router       /api/v1/organisations [post]
func (s *Server) createOrganisation(c *gin.Context) (reply, error) {
	var req OrganisationRequest
	if err := bindJSON(c, &req); err != nil {
		return reply{}, err
	}
	o, err := s.svc.CreateOrganisation(c.Request.Context(), principal(c), req.input())
	if err != nil {
		return reply{}, err
	}
	c.Header("Location", apiPrefix+"/organisations/"+o.Code)
	return created(o), nil
}

// putOrganisation godoc
// @Summary      Create or replace an organisation
// @Description  An idempotent upsert: 201 when the organisation was created, 200 when it was replaced or already held exactly this (then nothing changes, not even updated_at). Fields left out are cleared. A write that places, moves or retypes the organisation obeys the tree's typing, as for POST (parent), and a new type must admit the children it has (type). An hr token may replace organisations below its own (creating or retyping only departments) and the descriptive fields of its own organisation (not its code, type, parent, dates or active flag); a code that exists outside its subtree is 404. Only administrators set, change or clear xapi_home_page: an hr token's PUT must carry the stored value (as a GET returns it) or 403 names the field.
// @ID           putOrganisation
// @Tags         organisations
// @Accept       json
// @Produce      json
// @Param        code  path      string               true  "Organisation code"
// @Param        body  body      OrganisationRequest  true  "The whole organisation"
// @Success      200   {object}  models.Organisation  "Replaced, or unchanged"
// @Success      201   {object}  models.Organisation  "Created"
// @Failure      400   {object}  problem.Problem  "Invalid field (named), unknown parent, a cycle or a place the tree's typing does not allow (parent), a type its children may not sit under (type)"
// @Failure      403   {object}  problem.Problem  "Wrong role, or an hr token changing what it may not (named; xapi_home_page among them)"
// @Failure      404   {object}  problem.Problem  "The code exists outside the token's scope"
// @Failure      409   {object}  problem.Problem  "The xAPI home page is taken (in any spelling of its URL)"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code} [put]
func (s *Server) putOrganisation(c *gin.Context) (reply, error) {
	var req OrganisationRequest
	if err := bindJSON(c, &req); err != nil {
		return reply{}, err
	}
	if req.Code != "" && req.Code != c.Param("code") {
		return reply{}, models.Invalid(models.FieldError{Field: "code", Message: "must match the code in the path (codes cannot be renamed)"})
	}
	req.Code = c.Param("code")
	o, isNew, err := s.svc.PutOrganisation(c.Request.Context(), principal(c), req.input())
	return okOrCreated(isNew, o), err
}

// patchOrganisation godoc
// @Summary      Change some fields of an organisation
// @Description  A JSON merge patch (RFC 7396): fields given change, fields left out stay, and null clears an optional field. Giving parent moves the organisation with its whole subtree. When close_date changes and active is not given, active follows the dates. hr tokens: as for PUT (xapi_home_page is an administrator's field: 403 naming it).
// @ID           patchOrganisation
// @Tags         organisations
// @Accept       json,application/merge-patch+json
// @Produce      json
// @Param        code  path      string                    true  "Organisation code"
// @Param        body  body      models.OrganisationPatch  true  "The fields to change"
// @Success      200   {object}  models.Organisation
// @Failure      400   {object}  problem.Problem  "Invalid field (named), unknown parent, a cycle or a place the tree's typing does not allow (parent), a type its children may not sit under (type)"
// @Failure      403   {object}  problem.Problem  "Wrong role, or an hr token changing what it may not (named; xapi_home_page among them)"
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "The xAPI home page is taken (in any spelling of its URL)"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code} [patch]
func (s *Server) patchOrganisation(c *gin.Context) (reply, error) {
	var patch models.OrganisationPatch
	if err := requireMediaType(c, "application/json", "application/merge-patch+json"); err != nil {
		return reply{}, err
	}
	if err := decodeJSON(c.Request.Body, &patch); err != nil {
		return reply{}, err
	}
	o, err := s.svc.PatchOrganisation(c.Request.Context(), principal(c), c.Param("code"), patch)
	return ok(o), err
}

// deleteOrganisation godoc
// @Summary      Delete an organisation
// @Description  Only an organisation without children that nothing refers to (tokens, staff, roles...): otherwise 409, saying what is in the way. An hr token deletes only organisations below its own.
// @ID           deleteOrganisation
// @Tags         organisations
// @Produce      json
// @Param        code  path  string  true  "Organisation code"
// @Success      204   "Deleted"
// @Failure      403   {object}  problem.Problem  "Wrong role, or an hr token deleting its own organisation"
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "It has children or is referred to"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code} [delete]
func (s *Server) deleteOrganisation(c *gin.Context) (reply, error) {
	return noContent(), s.svc.DeleteOrganisation(c.Request.Context(), principal(c), c.Param("code"))
}

// optionalBool reads true or false, or nil when the parameter is absent.
func (p *params) optionalBool(name string) *bool {
	if p.str(name) == "" {
		return nil
	}
	b := p.boolean(name, false)
	return &b
}
