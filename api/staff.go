package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// StaffBody is a person as written by an HR system. The organisation and external id come
// from the path; a different organisation (in scope) moves the person there.
type StaffBody struct {
	Organisation string             `json:"organisation,omitempty" example:"RJ1"`
	ExternalID   string             `json:"external_id,omitempty" example:"E10234"`
	Role         string             `json:"role,omitempty" example:"network-engineer"`
	DisplayName  string             `json:"display_name,omitempty" example:"A. Patel"`
	Email        string             `json:"email,omitempty" example:"a.patel@nhs.net"`
	FTE          *float64           `json:"fte,omitempty" example:"1"`
	Status       models.StaffStatus `json:"status,omitempty" enums:"active,leaver" example:"active"`
	StartDate    *models.Date       `json:"start_date,omitempty" swaggertype:"string" format:"date" example:"2021-04-01"`
	EndDate      *models.Date       `json:"end_date,omitempty" swaggertype:"string" format:"date" example:"2027-03-31"`
	Erased       bool               `json:"erased,omitempty" swaggerignore:"true"`
}

// staff turns the body into a record, with defaults: full time, active.
func (b StaffBody) staff(org, externalID string) models.Staff {
	st := models.Staff{
		Organisation: b.Organisation, ExternalID: b.ExternalID, Role: b.Role, DisplayName: b.DisplayName,
		Email: b.Email, FTE: 1, Status: b.Status, StartDate: b.StartDate, EndDate: b.EndDate,
	}
	if st.ExternalID == "" {
		st.ExternalID = externalID
	}
	if b.FTE != nil {
		st.FTE = *b.FTE
	}
	if st.Status == "" {
		st.Status = models.StaffActive
	}
	if st.Organisation == org {
		st.Organisation = ""
	}
	return st
}

// listStaff godoc
// @Summary      List an organisation's staff
// @Description  By external id, a page at a time. Staff-level data: recorded in the audit trail.
// @ID           listStaff
// @Tags         staff
// @Produce      json
// @Param        code    path      string  true   "Organisation code"
// @Param        role    query     string  false  "Only holders of this role code"
// @Param        status  query     string  false  "Only this status"  Enums(active,leaver)
// @Param        q       query     string  false  "Search in external id and display name"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.Staff]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem  "No such organisation in your scope"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff [get]
func (s *Server) listStaff(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.StaffFilter{Role: q.str("role"), Status: models.StaffStatus(q.oneOf("status", "", "active", "leaver")), Q: q.str("q")}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.StaffList(c.Request.Context(), principal(c), organisationOf(c), f, page)
	return pageOf(items, next), err
}

// getStaff godoc
// @Summary      Get one person
// @Description  One person, by the HR system's id. Staff-level data: recorded in the audit trail.
// @ID           getStaff
// @Tags         staff
// @Produce      json
// @Param        code         path      string  true  "Organisation code"
// @Param        external_id  path      string  true  "The HR system's id of the person"
// @Success      200          {object}  models.Staff
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [get]
func (s *Server) getStaff(c *gin.Context) (reply, error) {
	st, err := s.svc.Staff(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"))
	return ok(st), err
}

// createStaff godoc
// @Summary      Add a person
// @Description  The role code resolves to the organisation's own role, an ancestor's, or a template.
// @ID           createStaff
// @Tags         staff
// @Accept       json
// @Produce      json
// @Param        code  path      string     true  "Organisation code"
// @Param        body  body      StaffBody  true  "The person; external_id is required: 1-100 characters without spaces, /, ?, #, % or backslash, and not . or .."
// @Success      201   {object}  models.Staff
// @Failure      400   {object}  problem.Problem  "Invalid field or unknown role"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such organisation in your scope"
// @Failure      409   {object}  problem.Problem  "The external id exists"
// @Failure      410   {object}  problem.Problem  "The external id is an erased person's: their record is never written again"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff [post]
func (s *Server) createStaff(c *gin.Context) (reply, error) {
	var body StaffBody
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	st, err := s.svc.CreateStaff(c.Request.Context(), principal(c), organisationOf(c), body.staff(c.Param("code"), ""))
	return created(st), err
}

// putStaff godoc
// @Summary      Create or replace a person
// @Description  Idempotent upsert by external id: 201 when created, 200 when replaced or unchanged.
// @ID           putStaff
// @Tags         staff
// @Accept       json
// @Produce      json
// @Param        code         path      string     true  "Organisation code"
// @Param        external_id  path      string     true  "The HR system's id of the person"
// @Param        body         body      StaffBody  true  "The person"
// @Success      200          {object}  models.Staff
// @Success      201          {object}  models.Staff
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem  "No such organisation in your scope"
// @Failure      409          {object}  problem.Problem  "Moving onto an external id that exists"
// @Failure      410          {object}  problem.Problem  "The person was erased: their record is never written again"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [put]
func (s *Server) putStaff(c *gin.Context) (reply, error) {
	var body StaffBody
	if err := bindJSON(c, &body); err != nil {
		return reply{}, err
	}
	if body.ExternalID != "" && body.ExternalID != c.Param("external_id") {
		return reply{}, models.Invalid(models.FieldError{Field: "external_id", Message: "differs from the external id in the path"})
	}
	st, isNew, err := s.svc.PutStaff(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"),
		body.staff(c.Param("code"), c.Param("external_id")))
	return okOrCreated(isNew, st), err
}

// patchStaff godoc
// @Summary      Change some of a person's fields
// @Description  A JSON merge patch (RFC 7396): given fields replace, null clears an optional field. Setting organisation moves the person within your scope.
// @ID           patchStaff
// @Tags         staff
// @Accept       json
// @Produce      json
// @Param        code         path      string     true  "Organisation code"
// @Param        external_id  path      string     true  "The HR system's id of the person"
// @Param        body         body      StaffBody  true  "The fields to change"
// @Success      200          {object}  models.Staff
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Failure      409          {object}  problem.Problem
// @Failure      410          {object}  problem.Problem  "The person was erased: their record is never written again"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [patch]
func (s *Server) patchStaff(c *gin.Context) (reply, error) {
	ctx, org, ext := c.Request.Context(), organisationOf(c), c.Param("external_id")
	current, err := s.svc.Staff(ctx, principal(c), org, ext)
	if err != nil {
		return reply{}, err
	}
	var body StaffBody
	if err := bindMergePatch(c, current, &body); err != nil {
		return reply{}, err
	}
	if body.ExternalID != ext {
		return reply{}, models.Invalid(models.FieldError{Field: "external_id", Message: "cannot be changed"})
	}
	st, err := s.svc.ReplaceStaff(ctx, principal(c), org, ext, body.staff(c.Param("code"), ext))
	return ok(st), err
}

// deleteStaff godoc
// @Summary      Record a leaver, or erase a person
// @Description  Marks the person a leaver (end date today unless earlier): history stays for statistics. With erase=true their name, e-mail and external id are removed for good, from every copy (the record, which keeps the pseudonym erased-N; their evidence's free text; their xAPI statements, reduced to verb, course, result and time; mentions in other statements; idempotency replays naming them; audit targets; saved scenarios); anonymised evidence still counts in historical figures. Any later write to the record is 410; erasing it again changes nothing.
// @ID           deleteStaff
// @Tags         staff
// @Produce      json
// @Param        code         path      string  true   "Organisation code"
// @Param        external_id  path      string  true   "The HR system's id of the person"
// @Param        erase        query     bool    false  "Erase personal data (right to erasure)"
// @Success      200          {object}  models.Staff
// @Failure      400          {object}  problem.Problem
// @Failure      403          {object}  problem.Problem
// @Failure      404          {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [delete]
func (s *Server) deleteStaff(c *gin.Context) (reply, error) {
	q := queryParams(c)
	erase := q.boolean("erase", false)
	if err := q.err(); err != nil {
		return reply{}, err
	}
	st, err := s.svc.MarkLeaver(c.Request.Context(), principal(c), organisationOf(c), c.Param("external_id"), erase)
	return ok(st), err
}
