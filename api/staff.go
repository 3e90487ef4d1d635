package api

import (
	"net/http"

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

func (s *Server) scopedOrg(c *gin.Context) (int64, error) {
	return s.db.OrganisationID(c.Request.Context(), principal(c).Scope(), c.Param("code"))
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
func (s *Server) listStaff(c *gin.Context) {
	q := queryParams(c)
	f := models.StaffFilter{Role: q.str("role"), Status: models.StaffStatus(q.oneOf("status", "", "active", "leaver")), Q: q.str("q")}
	page := q.page()
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListStaff(c.Request.Context(), principal(c).Scope(), orgID, f, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}

// getStaff godoc
// @Summary      Get one person
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
func (s *Server) getStaff(c *gin.Context) {
	orgID, err := s.scopedOrg(c)
	if err != nil {
		fail(c, err)
		return
	}
	st, err := s.db.GetStaff(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"))
	respond(c, http.StatusOK, st, err)
}

// createStaff godoc
// @Summary      Add a person
// @Description  The role code resolves to the organisation's own role, an ancestor's, or a template.
// @ID           createStaff
// @Tags         staff
// @Accept       json
// @Produce      json
// @Param        code  path      string     true  "Organisation code"
// @Param        body  body      StaffBody  true  "The person; external_id is required"
// @Success      201   {object}  models.Staff
// @Failure      400   {object}  problem.Problem  "Invalid field or unknown role"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such organisation in your scope"
// @Failure      409   {object}  problem.Problem  "The external id exists"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff [post]
func (s *Server) createStaff(c *gin.Context) {
	var body StaffBody
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = bindJSON(c, &body)
	}
	if err != nil {
		fail(c, err)
		return
	}
	st, _, _, err := s.db.SaveStaff(c.Request.Context(), principal(c).Scope(), orgID, body.ExternalID, body.staff(c.Param("code"), ""), true)
	respond(c, http.StatusCreated, st, err)
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
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [put]
func (s *Server) putStaff(c *gin.Context) {
	var body StaffBody
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = bindJSON(c, &body)
	}
	if err == nil && body.ExternalID != "" && body.ExternalID != c.Param("external_id") {
		err = models.Invalid(models.FieldError{Field: "external_id", Message: "differs from the external id in the path"})
	}
	if err != nil {
		fail(c, err)
		return
	}
	s.saveStaff(c, orgID, body.staff(c.Param("code"), c.Param("external_id")))
}

func (s *Server) saveStaff(c *gin.Context, orgID int64, st models.Staff) {
	saved, created, _, err := s.db.SaveStaff(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"), st, false)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	respond(c, status, saved, err)
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
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/staff/{external_id} [patch]
func (s *Server) patchStaff(c *gin.Context) {
	orgID, err := s.scopedOrg(c)
	var current models.Staff
	if err == nil {
		current, err = s.db.GetStaff(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"))
	}
	var body StaffBody
	if err == nil {
		err = bindMergePatch(c, current, &body)
	}
	if err == nil && body.ExternalID != c.Param("external_id") {
		err = models.Invalid(models.FieldError{Field: "external_id", Message: "cannot be changed"})
	}
	if err != nil {
		fail(c, err)
		return
	}
	s.saveStaff(c, orgID, body.staff(c.Param("code"), c.Param("external_id")))
}

// deleteStaff godoc
// @Summary      Record a leaver, or erase a person
// @Description  Marks the person a leaver (end date today unless earlier): history stays for statistics. With erase=true their name, e-mail and external id are removed for good and their evidence's free text cleared; anonymised evidence still counts in historical figures.
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
func (s *Server) deleteStaff(c *gin.Context) {
	q := queryParams(c)
	erase := q.boolean("erase", false)
	orgID, err := s.scopedOrg(c)
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	st, err := s.db.MarkLeaver(c.Request.Context(), principal(c).Scope(), orgID, c.Param("external_id"), erase, now(c))
	respond(c, http.StatusOK, st, err)
}
