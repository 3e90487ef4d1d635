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

// CreateToken mints a token on behalf of the caller, who is recorded as its creator, and
// returns it with its secret; only a hash of the secret is stored.
func (s *Service) CreateToken(ctx context.Context, p models.Principal, n models.NewToken) (models.CreatedToken, error) {
	n.CreatedBy = p.TokenID
	tok, secret, err := s.db.CreateToken(ctx, n, s.now())
	return models.NewCreatedToken(tok, secret), err
}

// Tokens lists tokens newest first.
func (s *Service) Tokens(ctx context.Context, f models.TokenFilter, page models.Page) ([]models.Token, string, error) {
	return s.db.ListTokens(ctx, f, page)
}

// RevokeToken stops a token working from now on; revoking twice is harmless.
func (s *Service) RevokeToken(ctx context.Context, id int64) (models.Token, error) {
	return s.db.RevokeToken(ctx, id, s.now())
}

// Audit lists the audit trail newest first.
func (s *Service) Audit(ctx context.Context, f models.AuditFilter, page models.Page) ([]models.AuditEntry, string, error) {
	return s.db.ListAudit(ctx, f, page)
}
