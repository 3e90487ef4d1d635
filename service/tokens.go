package service

import (
	"context"
	"time"

	"cyberskills/models"
)

// Authenticate finds the principal behind a bearer secret as of now; the server's token
// cache stands in front of it in production.
func (s *Service) Authenticate(ctx context.Context, secret string, now time.Time) (models.Principal, error) {
	return s.db.Authenticate(ctx, secret, now)
}

// RecordAudit stores one audit entry: a read's, a refused write's, or a committed write's
// status. The server's batching buffer stands in front of it in production.
func (s *Service) RecordAudit(ctx context.Context, e models.AuditEntry) error {
	return s.db.RecordAudit(ctx, e)
}
