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

// Audit records every write, and every read marked with AuditRead. Targets are the
// route's path parameters: identifiers, never personal fields or query strings.
//
// A write's entry travels with the request's context to the storage, which appends it in
// the write's own transaction: a change never commits without its record, even if the
// server stops at once. Once the response is sent, its status is added to that entry
// through rec (batched). Reads, refused writes and writes that changed nothing are
// recorded through rec after the response. A failure to record is logged; the response
// has already been sent.
func Audit(rec AuditRecorder, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		write := c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead
		var e *models.AuditEntry
		if write {
			e = auditEntry(c)
			c.Request = c.Request.WithContext(models.WithAudit(c.Request.Context(), e))
		}
		c.Next()
		if !write && !c.GetBool(auditReadKey) {
			return
		}
		if PrincipalOf(c).TokenID == 0 {
			return // not authenticated: nothing was read or changed
		}
		if e == nil {
			e = auditEntry(c)
		}
		status := c.Writer.Status()
		e.Status = &status
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 2*time.Second)
		defer cancel()
		if err := rec.RecordAudit(ctx, *e); err != nil {
			log.ErrorContext(ctx, "recording audit entry failed", "request_id", e.RequestID, "error", err.Error())
		}
	}
}

// auditEntry describes the request for the trail, without its outcome.
func auditEntry(c *gin.Context) *models.AuditEntry {
	p := PrincipalOf(c)
	e := &models.AuditEntry{
		At: Now(c), TokenID: p.TokenID, Role: p.Role, Method: c.Request.Method, Route: c.FullPath(),
		RequestID: c.GetString(problem.RequestIDKey), Target: map[string]string{},
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
	return e
}

func isOrganisationRoute(route string) bool {
	const prefix = "/api/v1/organisations/:code"
	return len(route) >= len(prefix) && route[:len(prefix)] == prefix
}
