package middleware

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// Context keys set by authentication.
const (
	TokenIDKey   = "token_id"
	principalKey = "principal"
)

// Authenticator resolves a bearer secret to its principal.
type Authenticator interface {
	Authenticate(ctx context.Context, secret string, now time.Time) (models.Principal, error)
}

// unauthorizedDetail is the one answer to every failed authentication. Whether a token
// is missing, malformed, unknown, expired or revoked stays in the server's log: telling
// the caller would confirm that a guessed or stolen secret was once a real token.
const unauthorizedDetail = "a valid bearer token is required: send Authorization: Bearer <token>"

// Authenticate requires a valid bearer token. Missing, malformed, unknown, expired and
// revoked tokens all answer the same 401 with WWW-Authenticate; the failure is logged at
// warn level with its reason but never with the token itself.
func Authenticate(auth Authenticator, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		secret, ok := bearer(c.GetHeader("Authorization"))
		if !ok {
			unauthorized(c, log, "missing bearer token")
			return
		}
		p, err := auth.Authenticate(c.Request.Context(), secret, Now(c))
		if err != nil {
			if models.ErrorCode(err) != models.EUNAUTHORIZED {
				problem.Error(c, err)
				return
			}
			unauthorized(c, log, models.ErrorMessage(err))
			return
		}
		c.Set(principalKey, p)
		c.Set(TokenIDKey, p.TokenID)
		c.Next()
	}
}

func bearer(header string) (string, bool) {
	scheme, secret, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	secret = strings.TrimSpace(secret)
	return secret, secret != ""
}

func unauthorized(c *gin.Context, log *slog.Logger, reason string) {
	log.WarnContext(c.Request.Context(), "authentication failed",
		"request_id", c.GetString(problem.RequestIDKey), "reason", reason,
		"route", c.FullPath(), "client_ip", c.ClientIP())
	c.Header("WWW-Authenticate", `Bearer realm="cyberskills"`)
	problem.Error(c, models.Errorf(models.EUNAUTHORIZED, unauthorizedDetail))
}

// Allow admits only the given roles; others get 403.
func Allow(roles ...models.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := PrincipalOf(c)
		if !slices.Contains(roles, p.Role) {
			problem.Error(c, models.Errorf(models.EFORBIDDEN, "%s token may not use this route", p.Role.WithArticle()))
			return
		}
		c.Next()
	}
}

// PrincipalOf returns the authenticated caller. On a route without authentication it
// returns the zero principal, whose scope matches nothing.
func PrincipalOf(c *gin.Context) models.Principal {
	if v, ok := c.Get(principalKey); ok {
		return v.(models.Principal)
	}
	return models.Principal{}
}

// SignIn makes p the caller of a request authenticated otherwise than by a bearer token
// (a dashboard session or sign-in), so that the rate limit, the audit trail, role checks
// and scoped handlers see it as they see a token's. A write's pending audit entry, made
// before anyone was signed in, is given the principal too.
func SignIn(c *gin.Context, p models.Principal) {
	c.Set(principalKey, p)
	c.Set(TokenIDKey, p.TokenID)
	if e := models.AuditOf(c.Request.Context()); e != nil {
		e.TokenID, e.Role = p.TokenID, p.Role
		if p.Role == models.RoleHR {
			e.Organisation = p.OrgCode
		}
	}
}
