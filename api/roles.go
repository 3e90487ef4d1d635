package api

import (
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

// orgRole is the organisation whose own roles an organisation route is about.
func orgRole(c *gin.Context) *models.OrgRef {
	org := organisationOf(c)
	return &org
}

// listRoleTemplates godoc
// @Summary      List role templates
// @Description  The global job role templates, with their skill requirements, by code.
// @ID           listRoleTemplates
// @Tags         staff
// @Produce      json
// @Param        q       query     string  false  "Search in code and title"
// @Param        cursor  query     string  false  "Cursor from the previous page"
// @Param        limit   query     int     false  "Page size (1-1000, default 50)"
// @Success      200     {object}  Page[models.JobRole]
// @Failure      400     {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles [get]
func (s *Server) listRoleTemplates(c *gin.Context) (reply, error) { return s.listRoles(c, nil) }

// listOrgRoles godoc
// @Summary      List an organisation's own roles
// @Description  Roles defined by the organisation for itself and its units. Staff may hold these, an ancestor's roles, or a template.
// @ID           listOrgRoles
// @Tags         staff
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
func (s *Server) listOrgRoles(c *gin.Context) (reply, error) { return s.listRoles(c, orgRole(c)) }

// listRoles lists the templates (org nil) or an organisation's own roles.
func (s *Server) listRoles(c *gin.Context, org *models.OrgRef) (reply, error) {
	q := queryParams(c)
	search, page := q.str("q"), q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Roles(c.Request.Context(), principal(c), org, search, page)
	return pageOf(items, next), err
}

// getRoleTemplate godoc
// @Summary      Get a role template
// @Description  One global role template: its title, NICE work role and requirements (skill, level 1-4, essential or desirable).
// @ID           getRoleTemplate
// @Tags         staff
// @Produce      json
// @Param        code  path      string  true  "Role code"
// @Success      200   {object}  models.JobRole
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [get]
func (s *Server) getRoleTemplate(c *gin.Context) (reply, error) {
	role, err := s.svc.Role(c.Request.Context(), principal(c), nil, c.Param("code"))
	return ok(role), err
}

// getOrgRole godoc
// @Summary      Get one of an organisation's roles
// @Description  One of the organisation's own roles, which override a template or an ancestor's role of the same code for its staff.
// @ID           getOrgRole
// @Tags         staff
// @Produce      json
// @Param        code  path      string  true  "Organisation code"
// @Param        role  path      string  true  "Role code"
// @Success      200   {object}  models.JobRole
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [get]
func (s *Server) getOrgRole(c *gin.Context) (reply, error) {
	role, err := s.svc.Role(c.Request.Context(), principal(c), orgRole(c), c.Param("role"))
	return ok(role), err
}

// createRoleTemplate godoc
// @Summary      Create a role template
// @Description  A global job role template with its skill requirements over a framework (the default framework when none is named).
// @ID           createRoleTemplate
// @Tags         staff
// @Accept       json
// @Produce      json
// @Param        body  body      RoleBody  true  "The role"
// @Success      201   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem  "Invalid role or unknown skill"
// @Failure      403   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "The code exists"
// @Security     BearerAuth
// @Router       /api/v1/roles [post]
func (s *Server) createRoleTemplate(c *gin.Context) (reply, error) { return s.createRole(c, nil) }

// createOrgRole godoc
// @Summary      Create an organisation's role
// @Description  A role of the organisation's own: its staff holding this code resolve to it rather than to an ancestor's role or the template. 409 when the organisation has a role of this code.
// @ID           createOrgRole
// @Tags         staff
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
func (s *Server) createOrgRole(c *gin.Context) (reply, error) { return s.createRole(c, orgRole(c)) }

// createRole adds a template (org nil) or an organisation's own role.
func (s *Server) createRole(c *gin.Context, org *models.OrgRef) (reply, error) {
	body, err := bindRole(c, "")
	if err != nil {
		return reply{}, err
	}
	role, err := s.svc.CreateRole(c.Request.Context(), principal(c), org, body.role(""))
	return created(role), err
}

// putRoleTemplate godoc
// @Summary      Create or replace a role template
// @Description  Idempotent: 201 when created, 200 when replaced or unchanged. The body replaces the whole role: a field or requirement left out is removed (a shipped template keeps nothing of itself that the body does not repeat); PATCH changes some fields and keeps the rest. Changing requirements updates every holder's gaps.
// @ID           putRoleTemplate
// @Tags         staff
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
func (s *Server) putRoleTemplate(c *gin.Context) (reply, error) {
	return s.putRole(c, nil, c.Param("code"))
}

// putOrgRole godoc
// @Summary      Create or replace an organisation's role
// @Description  Idempotent: 201 when created, 200 when replaced or unchanged. The body replaces the whole role: a field or requirement left out is removed; PATCH changes some fields and keeps the rest.
// @ID           putOrgRole
// @Tags         staff
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
func (s *Server) putOrgRole(c *gin.Context) (reply, error) {
	return s.putRole(c, orgRole(c), c.Param("role"))
}

// putRole creates or replaces a template (org nil) or an organisation's own role.
func (s *Server) putRole(c *gin.Context, org *models.OrgRef, code string) (reply, error) {
	body, err := bindRole(c, code)
	if err != nil {
		return reply{}, err
	}
	role, isNew, err := s.svc.PutRole(c.Request.Context(), principal(c), org, body.role(code))
	return okOrCreated(isNew, role), err
}

// bindRole reads a role body; on a PUT its code, when given, must be the path's.
func bindRole(c *gin.Context, pathCode string) (RoleBody, error) {
	var body RoleBody
	if err := bindJSON(c, &body); err != nil {
		return body, err
	}
	if pathCode != "" && body.Code != "" && body.Code != pathCode {
		return body, models.Invalid(models.FieldError{Field: "code", Message: "differs from the code in the path"})
	}
	return body, nil
}

// patchRoleTemplate godoc
// @Summary      Change some fields of a role template
// @Description  A JSON merge patch (RFC 7396): fields given change, fields left out stay, so {"title": "..."} renames a shipped template and keeps its description and requirements. requirements, when given, replace the whole list (RFC 7396 replaces arrays): read the role, edit its list and send it back. Changing requirements updates every holder's gaps.
// @ID           patchRoleTemplate
// @Tags         staff
// @Accept       json,application/merge-patch+json
// @Produce      json
// @Param        code  path      string    true  "Role code"
// @Param        body  body      RoleBody  true  "The fields to change"
// @Success      200   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem  "Invalid field (named), an unknown skill, or a code that differs from the path's"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [patch]
func (s *Server) patchRoleTemplate(c *gin.Context) (reply, error) {
	return s.patchRole(c, nil, c.Param("code"))
}

// patchOrgRole godoc
// @Summary      Change some fields of an organisation's role
// @Description  A JSON merge patch (RFC 7396), as for a template: fields left out stay; requirements, when given, replace the whole list.
// @ID           patchOrgRole
// @Tags         staff
// @Accept       json,application/merge-patch+json
// @Produce      json
// @Param        code  path      string    true  "Organisation code"
// @Param        role  path      string    true  "Role code"
// @Param        body  body      RoleBody  true  "The fields to change"
// @Success      200   {object}  models.JobRole
// @Failure      400   {object}  problem.Problem  "Invalid field (named), an unknown skill, or a code that differs from the path's"
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem  "No such role, or no such organisation in your scope"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [patch]
func (s *Server) patchOrgRole(c *gin.Context) (reply, error) {
	return s.patchRole(c, orgRole(c), c.Param("role"))
}

// patchRole merges a patch into a template (org nil) or an organisation's own role.
func (s *Server) patchRole(c *gin.Context, org *models.OrgRef, code string) (reply, error) {
	ctx := c.Request.Context()
	current, err := s.svc.Role(ctx, principal(c), org, code)
	if err != nil {
		return reply{}, err
	}
	var body RoleBody
	if err := bindMergePatch(c, roleBodyOf(current), &body); err != nil {
		return reply{}, err
	}
	if body.Code != "" && body.Code != code {
		return reply{}, models.Invalid(models.FieldError{Field: "code", Message: "cannot be changed"})
	}
	role, err := s.svc.ReplaceRole(ctx, principal(c), org, body.role(code))
	return ok(role), err
}

// roleBodyOf is a stored role as a body to write back.
func roleBodyOf(r models.JobRole) RoleBody {
	return RoleBody{Code: r.Code, Title: r.Title, Description: r.Description, NiceRoleID: r.NiceRoleID,
		Framework: r.Framework, Requirements: r.Requirements}
}

// deleteRoleTemplate godoc
// @Summary      Delete a role template
// @Description  Only a role that nobody holds can be deleted.
// @ID           deleteRoleTemplate
// @Tags         staff
// @Param        code  path  string  true  "Role code"
// @Success      204
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Staff hold the role"
// @Security     BearerAuth
// @Router       /api/v1/roles/{code} [delete]
func (s *Server) deleteRoleTemplate(c *gin.Context) (reply, error) {
	return noContent(), s.svc.DeleteRole(c.Request.Context(), principal(c), nil, c.Param("code"))
}

// deleteOrgRole godoc
// @Summary      Delete an organisation's role
// @Description  Only a role that nobody holds can be deleted.
// @ID           deleteOrgRole
// @Tags         staff
// @Param        code  path  string  true  "Organisation code"
// @Param        role  path  string  true  "Role code"
// @Success      204
// @Failure      403   {object}  problem.Problem
// @Failure      404   {object}  problem.Problem
// @Failure      409   {object}  problem.Problem  "Staff hold the role"
// @Security     BearerAuth
// @Router       /api/v1/organisations/{code}/roles/{role} [delete]
func (s *Server) deleteOrgRole(c *gin.Context) (reply, error) {
	return noContent(), s.svc.DeleteRole(c.Request.Context(), principal(c), orgRole(c), c.Param("role"))
}
