package middleware

import (
	"encoding/base64"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// lrsUnauthorizedDetail is the one answer to every failed authentication on the xAPI
// routes, as unauthorizedDetail is on the others.
const lrsUnauthorizedDetail = "valid LRS credentials are required: HTTP Basic with the key and secret of a trainer token, or Authorization: Bearer <token>"

// AuthenticateLRS admits a token on the xAPI routes as an LRS admits credentials: HTTP
// Basic with the LRS key (the token's id) and secret (the token itself), as LMSs send
// them, or a bearer token. A key that is not the secret's token's is refused like a
// wrong secret. Every failure is the same 401, with both challenges.
func AuthenticateLRS(auth Authenticator, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		key, secret, basic := basicCredentials(header)
		if !basic {
			var ok bool
			if secret, ok = bearer(header); !ok {
				lrsUnauthorized(c, log, "missing credentials")
				return
			}
		}
		p, err := auth.Authenticate(c.Request.Context(), secret, Now(c))
		switch {
		case err != nil && models.ErrorCode(err) != models.EUNAUTHORIZED:
			problem.Error(c, err)
			return
		case err != nil:
			lrsUnauthorized(c, log, models.ErrorMessage(err))
			return
		case basic && key != models.LRSKey(p.TokenID):
			lrsUnauthorized(c, log, "the LRS key is not the secret's token")
			return
		}
		c.Set(principalKey, p)
		c.Set(TokenIDKey, p.TokenID)
		c.Next()
	}
}

// basicCredentials reads HTTP Basic credentials (RFC 7617): the user name is the LRS key.
func basicCredentials(header string) (key, secret string, ok bool) {
	scheme, encoded, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return "", "", false
	}
	key, secret, found = strings.Cut(string(raw), ":")
	return key, secret, found && secret != ""
}

func lrsUnauthorized(c *gin.Context, log *slog.Logger, reason string) {
	log.WarnContext(c.Request.Context(), "authentication failed",
		"request_id", c.GetString(problem.RequestIDKey), "reason", reason,
		"route", c.FullPath(), "client_ip", c.ClientIP())
	c.Writer.Header().Add("WWW-Authenticate", `Basic realm="cyberskills xAPI", charset="UTF-8"`)
	c.Writer.Header().Add("WWW-Authenticate", `Bearer realm="cyberskills"`)
	problem.Error(c, models.Errorf(models.EUNAUTHORIZED, lrsUnauthorizedDetail))
}
