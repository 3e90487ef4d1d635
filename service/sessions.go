package service

import (
	"context"

	"cyberskills/models"
)

// StartSession opens a dashboard session for an authenticated principal, ending at the
// policy's lifetime or the token's expiry, whichever comes first. The secret goes into
// the browser's cookie; only its hash is stored.
func (s *Service) StartSession(ctx context.Context, p models.Principal, policy models.SessionPolicy) (models.Session, error) {
	now := s.now()
	secret, hash := models.NewSessionSecret()
	expires := policy.Expiry(now, p.ExpiresAt)
	if err := s.db.CreateSession(ctx, p.TokenID, hash, now, expires); err != nil {
		return models.Session{}, err
	}
	return models.Session{Secret: secret, ExpiresAt: expires}, nil
}

// SessionPrincipal is the principal a session cookie signs in as of now, with the scope
// of its token: the same principal the token itself would authenticate as.
func (s *Service) SessionPrincipal(ctx context.Context, secret string, policy models.SessionPolicy) (models.Principal, error) {
	return s.db.SessionPrincipal(ctx, models.HashSession(secret), s.now(), policy.Idle)
}

// EndSession signs a session out; ending one that is gone is harmless.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	return s.db.DeleteSession(ctx, models.HashSession(secret))
}
