package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cyberskills/api/problem"
	"cyberskills/models"
)

// AuditRecorder stores audit entries.
type AuditRecorder interface {
	RecordAudit(ctx context.Context, e models.AuditEntry) error
}

const auditReadKey = "audit_read"

// AuditRead marks a GET route as a read of staff-level data, which the trail records.
func AuditRead() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(auditReadKey, true)
		c.Next()
	}
}

// Audit records every write, and every read marked with AuditRead, after the handler has
// answered. Targets are the route's path parameters: identifiers, never personal fields
// or query strings. A failure to record is logged; the response has already been sent.
func Audit(rec AuditRecorder, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		write := c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead
		if !write && !c.GetBool(auditReadKey) {
			return
		}
		p := PrincipalOf(c)
		if p.TokenID == 0 {
			return // not authenticated: nothing was read or changed
		}
		e := models.AuditEntry{
			At: Now(c), TokenID: p.TokenID, Role: p.Role, Method: c.Request.Method, Route: c.FullPath(),
			Status: c.Writer.Status(), RequestID: c.GetString(problem.RequestIDKey),
			Target: map[string]string{},
		}
		for _, prm := range c.Params {
			if prm.Key == "code" && isOrganisationRoute(c.FullPath()) {
				e.Organisation = prm.Value
				continue
			}
			e.Target[prm.Key] = prm.Value
		}
		if e.Organisation == "" && p.Role == models.RoleHR {
			e.Organisation = p.OrgCode
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 2*time.Second)
		defer cancel()
		if err := rec.RecordAudit(ctx, e); err != nil {
			log.ErrorContext(ctx, "recording audit entry failed", "request_id", e.RequestID, "error", err.Error())
		}
	}
}

func isOrganisationRoute(route string) bool {
	const prefix = "/api/v1/organisations/:code"
	return len(route) >= len(prefix) && route[:len(prefix)] == prefix
}
