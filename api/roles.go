package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// RoleBody is a job role as written: its code comes from the path on PUT.
type RoleBody struct {
	Code         string               `json:"code,omitempty" example:"network-engineer"`
	Title        string               `json:"title" example:"Infrastructure and network engineer"`
	Description  string               `json:"description,omitempty" example:"Builds and runs the trust's networks, firewalls and servers."`
	NiceRoleID   string               `json:"nice_role_id,omitempty" example:"IO-WRL-004"`
	Framework    string               `json:"framework,omitempty" example:"cyber"`
	Requirements []models.Requirement `json:"requirements"`
}

func (b RoleBody) role(code string) models.JobRole {
	if code == "" {
		code = b.Code
	}
	return models.JobRole{Code: code, Title: b.Title, Description: b.Description, NiceRoleID: b.NiceRoleID,
		Framework: b.Framework, Requirements: b.Requirements}
}

// templateOwner is the owner of the global role templates.
func templateOwner(c *gin.Context) models.RoleOwner {
	return models.RoleOwner{Scope: principal(c).Scope()}
}

// orgRoleOwner resolves the organisation in the path within the caller's scope.
func (s *Server) orgRoleOwner(c *gin.Context) (models.RoleOwner, error) {
	id, err := s.db.OrganisationID(c.Request.Context(), principal(c).Scope(), c.Param("code"))
	return models.RoleOwner{OrgID: id, Scope: principal(c).Scope()}, err
}

// listRoleTemplates godoc
// @Summary      List role templates
// @Description  The global job role templates, with their skill requirements, by code.
// @ID           listRoleTemplates
// @Tags         roles
// @Produce      json
// @Param        q       query     string  false  "Search in code and title"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.JobRole]
// @Failure      400     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles [get]
func (s *Server) listRoleTemplates(c *gin.Context) {
	s.listRoles(c, templateOwner(c), nil)
}

// listOrgRoles godoc
// @Summary      List an organisation's own roles
// @Description  Roles defined by the organisation for itself and its units. Staff may hold these, an ancestor's roles, or a template.
// @ID           listOrgRoles
// @Tags         roles
// @Produce      json
// @Param        code    path      string  true   "Organisation code"
// @Param        q       query     string  false  "Search in code and title"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.JobRole]
// @Failure      400     {object}  problem.Problem
// @Failure      403     {object}  problem.Problem
// @Failure      404     {object}  problem.Problem  "No such organisation in your scope"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles [get]
func (s *Server) listOrgRoles(c *gin.Context) {
	owner, err := s.orgRoleOwner(c)
	s.listRoles(c, owner, err)
}

func (s *Server) listRoles(c *gin.Context, owner models.RoleOwner, err error) {
	q := queryParams(c)
	search, page := q.str("q"), q.page()
	if err == nil {
		err = q.err()
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListRoles(c.Request.Context(), owner, search, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}

// getRoleTemplate godoc
// @Summary      Get a role template
// @ID           getRoleTemplate
// @Tags         roles
// @Produce      json
// @Param        code  path      string  true  "Role code"
// @Success      200   {object}  models.JobRole
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [get]
func (s *Server) getRoleTemplate(c *gin.Context) {
	role, err := s.db.GetRole(c.Request.Context(), templateOwner(c), c.Param("code"))
	respond(c, http.StatusOK, role, err)
}

// getOrgRole godoc
// @Summary      Get one of an organisation's roles
// @ID           getOrgRole
// @Tags         roles
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Param        role  path      string  true  "Role code"
// @Success      200   {object}  models.JobRole
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [get]
func (s *Server) getOrgRole(c *gin.Context) {
	owner, err := s.orgRoleOwner(c)
	if err != nil {
		fail(c, err)
		return
	}
	role, err := s.db.GetRole(c.Request.Context(), owner, c.Param("role"))
	respond(c, http.StatusOK, role, err)
}

// createRoleTemplate godoc
// @Summary      Create a role template
// @Description  A global job role template with its skill requirements over a framework (the default framework when none is named).
// @ID           createRoleTemplate
// @Tags         roles
// @Accept       json
// @Produce      json
// @Param        body  body      RoleBody  true  "The role"
// @Success      201   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem  "Invalid role or unknown skill"
// @Failure      403   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "The code exists"
// @Security     BearerAuth
// @Router       /api/v1/roles [post]
func (s *Server) createRoleTemplate(c *gin.Context) {
	s.saveRole(c, templateOwner(c), nil, "", true)
}

// createOrgRole godoc
// @Summary      Create an organisation's role
// @ID           createOrgRole
// @Tags         roles
// @Accept       json
// @Produce      json
// @Param        code  path      string    true  "Organisation code"
// @Param        body  body      RoleBody  true  "The role"
// @Success      201   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem  "Invalid role or unknown skill"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such organisation in your scope"
// @Failure      409   {object}  problem.Problem  "The code exists"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles [post]
func (s *Server) createOrgRole(c *gin.Context) {
	owner, err := s.orgRoleOwner(c)
	s.saveRole(c, owner, err, "", true)
}

// putRoleTemplate godoc
// @Summary      Create or replace a role template
// @Description  Idempotent: 201 when created, 200 when replaced or unchanged. Changing requirements updates every holder's gaps.
// @ID           putRoleTemplate
// @Tags         roles
// @Accept       json
// @Produce      json
// @Param        code  path      string    true  "Role code"
// @Param        body  body      RoleBody  true  "The role"
// @Success      200   {object}  models.JobRole
// @Success      201   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [put]
func (s *Server) putRoleTemplate(c *gin.Context) {
	s.saveRole(c, templateOwner(c), nil, c.Param("code"), false)
}

// putOrgRole godoc
// @Summary      Create or replace an organisation's role
// @Description  Idempotent: 201 when created, 200 when replaced or unchanged.
// @ID           putOrgRole
// @Tags         roles
// @Accept       json
// @Produce      json
// @Param        code  path      string    true  "Organisation code"
// @Param        role  path      string    true  "Role code"
// @Param        body  body      RoleBody  true  "The role"
// @Success      200   {object}  models.JobRole
// @Success      201   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such organisation in your scope"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [put]
func (s *Server) putOrgRole(c *gin.Context) {
	owner, err := s.orgRoleOwner(c)
	s.saveRole(c, owner, err, c.Param("role"), false)
}

func (s *Server) saveRole(c *gin.Context, owner models.RoleOwner, err error, code string, createOnly bool) {
	var body RoleBody
	if err == nil {
		err = bindJSON(c, &body)
	}
	if err == nil && code != "" && body.Code != "" && body.Code != code {
		err = models.Invalid(models.FieldError{Field: "code", Message: "differs from the code in the path"})
	}
	if err != nil {
		fail(c, err)
		return
	}
	role, created, _, err := s.db.SaveRole(c.Request.Context(), owner, body.role(code), createOnly)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	respond(c, status, role, err)
}

// deleteRoleTemplate godoc
// @Summary      Delete a role template
// @Description  Only a role that nobody holds can be deleted.
// @ID           deleteRoleTemplate
// @Tags         roles
// @Param        code  path  string  true  "Role code"
// @Success      204
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Staff hold the role"
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [delete]
func (s *Server) deleteRoleTemplate(c *gin.Context) {
	s.deleteRole(c, templateOwner(c), nil, c.Param("code"))
}

// deleteOrgRole godoc
// @Summary      Delete an organisation's role
// @Description  Only a role that nobody holds can be deleted.
// @ID           deleteOrgRole
// @Tags         roles
// @Param        code  path  string  true  "Organisation code"
// @Param        role  path  string  true  "Role code"
// @Success      204
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Staff hold the role"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [delete]
func (s *Server) deleteOrgRole(c *gin.Context) {
	owner, err := s.orgRoleOwner(c)
	s.deleteRole(c, owner, err, c.Param("role"))
}

func (s *Server) deleteRole(c *gin.Context, owner models.RoleOwner, err error, code string) {
	if err == nil {
		err = s.db.DeleteRole(c.Request.Context(), owner, code)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
