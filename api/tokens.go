package api

import (
	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// CreateTokenRequest mints a token.
type CreateTokenRequest struct {
	Name string      `json:"name" example:"ESR integration for RJ1"`
	Role models.Role `json:"role" enums:"admin,hr,trainer,analyst" example:"hr"`
	// Organisation code; required for hr tokens, which see this organisation's subtree.
	Organisation string `json:"organisation,omitempty" example:"RJ1"`
	// Training provider; required for trainer tokens, which own this provider's courses.
	Provider string `json:"provider,omitempty" example:"nhs-digital-academy"`
	// Lifetime such as 90d, 12h or never (the default).
	ExpiresIn string `json:"expires_in,omitempty" example:"90d"`
}

// createToken godoc
// @Summary      Mint an API token
// @Description  Creates a token and returns its secret once; only a hash is stored. hr tokens need an organisation, trainer tokens a provider.
// @ID           createToken
// @Tags         admin
// @Accept       json
// @Produce      json
// @Param        body  body      CreateTokenRequest  true  "The token to mint"
// @Success      201   {object}  models.CreatedToken
// @Failure      400   {object}  problem.Problem  "Invalid role, organisation or lifetime"
// @Failure      403   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/tokens [post]
func (s *Server) createToken(c *gin.Context) (reply, error) {
	var req CreateTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return reply{}, err
	}
	life, err := models.ParseLifetime(req.ExpiresIn)
	if err != nil {
		return reply{}, err
	}
	tok, err := s.svc.CreateToken(c.Request.Context(), principal(c), models.NewToken{
		Name: req.Name, Role: req.Role, OrgCode: req.Organisation, Provider: req.Provider, ExpiresIn: life,
	})
	return created(tok), err
}

// listTokens godoc
// @Summary      List API tokens
// @Description  Newest first; revoked tokens only with include_revoked=true. Secrets are never shown.
// @ID           listTokens
// @Tags         admin
// @Produce      json
// @Param        role             query     string  false  "Only this role"  Enums(admin,hr,trainer,analyst)
// @Param        include_revoked  query     bool    false  "Include revoked tokens"
// @Param        cursor           query     string  false  "Cursor from the previous page"
// @Param        limit            query     int     false  "Page size (1-1000, default 50)"
// @Success      200              {object}  Page[models.Token]
// @Failure      400              {object}  problem.Problem
// @Failure      403              {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/tokens [get]
func (s *Server) listTokens(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.TokenFilter{
		Role:           models.Role(q.oneOf("role", "", "admin", "hr", "trainer", "analyst")),
		IncludeRevoked: q.boolean("include_revoked", false),
	}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Tokens(c.Request.Context(), f, page)
	return pageOf(items, next), err
}

// revokeToken godoc
// @Summary      Revoke an API token
// @Description  The token stops working from the next request on. Revoking twice is harmless.
// @ID           revokeToken
// @Tags         admin
// @Produce      json
// @Param        id   path      int  true  "Token id"
// @Success      200  {object}  models.Token
// @Failure      403  {object}  problem.Problem
// @Failure      404  {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/tokens/{id} [delete]
func (s *Server) revokeToken(c *gin.Context) (reply, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return reply{}, err
	}
	tok, err := s.svc.RevokeToken(c.Request.Context(), id)
	s.forgetTokens()
	return ok(tok), err
}

// listAudit godoc
// @Summary      Read the audit trail
// @Description  Every write and every read of staff-level data: token, role, method, route, organisation, target identifiers, status and time. Newest first.
// @ID           listAudit
// @Tags         admin
// @Produce      json
// @Param        organisation  query     string  false  "Organisation code: entries for it and its subtree"
// @Param        token         query     int     false  "Token id"
// @Param        from          query     string  false  "From this time (RFC 3339 or YYYY-MM-DD), inclusive"
// @Param        to            query     string  false  "Up to this time, exclusive"
// @Param        cursor        query     string  false  "Cursor from the previous page"
// @Param        limit         query     int     false  "Page size (1-1000, default 50)"
// @Success      200           {object}  Page[models.AuditEntry]
// @Failure      400           {object}  problem.Problem
// @Failure      403           {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/audit [get]
func (s *Server) listAudit(c *gin.Context) (reply, error) {
	q := queryParams(c)
	f := models.AuditFilter{
		Organisation: q.str("organisation"), TokenID: q.int64("token"),
		From: q.time("from"), To: q.time("to"),
	}
	page := q.page()
	if err := q.err(); err != nil {
		return reply{}, err
	}
	items, next, err := s.svc.Audit(c.Request.Context(), f, page)
	return pageOf(items, next), err
}
