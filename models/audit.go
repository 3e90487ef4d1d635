package models

import (
	"context"
	"time"
)

// AuditEntry is one line of the audit trail: who did what to which objects, and the
// outcome. It holds identifiers only, never a token or a personal field. ID is set once
// the entry is stored.
type AuditEntry struct {
	ID           int64             `json:"id" example:"981"`
	At           time.Time         `json:"at"`
	TokenID      int64             `json:"token_id,omitempty" example:"12"`
	Role         Role              `json:"role,omitempty" example:"hr"`
	Method       string            `json:"method" example:"PUT"`
	Route        string            `json:"route" example:"/api/v1/organisations/:code/staff/:external_id"`
	Organisation string            `json:"organisation,omitempty" example:"RJ1"`
	Target       map[string]string `json:"target,omitempty"`
	// The response's status; null while a committed write's response is not yet recorded (or never was: the server stopped)
	Status    *int   `json:"status" example:"200" extensions:"x-nullable"`
	RequestID string `json:"request_id,omitempty" example:"4d3de0927b3dbb38bab614ecb9f3cb5f"`
}

type auditContextKey struct{}

// WithAudit carries the audit entry of a write to the storage that performs it, so that
// the entry commits in the write's own transaction: no change without its record.
func WithAudit(ctx context.Context, e *AuditEntry) context.Context {
	return context.WithValue(ctx, auditContextKey{}, e)
}

// AuditOf is the audit entry a write carries, or nil.
func AuditOf(ctx context.Context) *AuditEntry {
	e, _ := ctx.Value(auditContextKey{}).(*AuditEntry)
	return e
}
