package api

import (
	"net/http"

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

// CreatedToken is a new token with its secret, shown this once.
type CreatedToken struct {
	models.Token
	Secret string `json:"token" example:"csk_4XKQ7JH3L2M5N6P7Q8R9S2T3U4V5W6X7Y8Z2A3B4C5D6E7F8G9H"`
}

// createToken godoc
// @Summary      Mint an API token
// @Description  Creates a token and returns its secret once; only a hash is stored. hr tokens need an organisation, trainer tokens a provider.
// @ID           createToken
// @Tags         tokens
// @Accept       json
// @Produce      json
// @Param        body  body      CreateTokenRequest  true  "The token to mint"
// @Success      201   {object}  CreatedToken
// @Failure      400   {object}  problem.Problem  "Invalid role, organisation or lifetime"
// @Failure      403   {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/tokens [post]
func (s *Server) createToken(c *gin.Context) {
	var req CreateTokenRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	life, err := models.ParseLifetime(req.ExpiresIn)
	if err != nil {
		fail(c, err)
		return
	}
	tok, secret, err := s.db.CreateToken(c.Request.Context(), models.NewToken{
		Name: req.Name, Role: req.Role, OrgCode: req.Organisation, Provider: req.Provider,
		ExpiresIn: life, CreatedBy: principal(c).TokenID,
	}, now(c))
	respond(c, http.StatusCreated, CreatedToken{Token: tok, Secret: secret}, err)
}

// listTokens godoc
// @Summary      List API tokens
// @Description  Newest first; revoked tokens only with include_revoked=true. Secrets are never shown.
// @ID           listTokens
// @Tags         tokens
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
func (s *Server) listTokens(c *gin.Context) {
	q := queryParams(c)
	f := models.TokenFilter{
		Role:           models.Role(q.oneOf("role", "", "admin", "hr", "trainer", "analyst")),
		IncludeRevoked: q.boolean("include_revoked", false),
	}
	page := q.page()
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListTokens(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}

// revokeToken godoc
// @Summary      Revoke an API token
// @Description  The token stops working from the next request on. Revoking twice is harmless.
// @ID           revokeToken
// @Tags         tokens
// @Produce      json
// @Param        id   path      int  true  "Token id"
// @Success      200  {object}  models.Token
// @Failure      403  {object}  problem.Problem
// @Failure      404  {object}  problem.Problem
// @Security     BearerAuth
// @Router       /api/v1/tokens/{id} [delete]
func (s *Server) revokeToken(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	tok, err := s.db.RevokeToken(c.Request.Context(), id, now(c))
	s.forgetTokens()
	respond(c, http.StatusOK, tok, err)
}

// listAudit godoc
// @Summary      Read the audit trail
// @Description  Every write and every read of staff-level data: token, role, method, route, organisation, target identifiers, status and time. Newest first.
// @ID           listAudit
// @Tags         audit
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
func (s *Server) listAudit(c *gin.Context) {
	q := queryParams(c)
	f := models.AuditFilter{
		Organisation: q.str("organisation"), TokenID: q.int64("token"),
		From: q.time("from"), To: q.time("to"),
	}
	page := q.page()
	if err := q.err(); err != nil {
		fail(c, err)
		return
	}
	items, next, err := s.db.ListAudit(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	respondPage(c, items, next)
}
