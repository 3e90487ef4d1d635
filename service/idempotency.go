package service

import (
	"context"

	"cyberskills/models"
)

// The idempotency keys of POSTs: the server's middleware keeps the first response to each
// key of a token and answers retries with it.

// ClaimIdempotencyKey records that req, with this key, has started, or returns the
// earlier request that used it (claimed false).
func (s *Service) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key string, req models.IdempotentRequest) (bool, models.StoredResponse, error) {
	return s.db.ClaimIdempotencyKey(ctx, tokenID, key, req)
}

// TakeOverIdempotencyKey restarts a key whose first attempt never finished.
func (s *Service) TakeOverIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	return s.db.TakeOverIdempotencyKey(ctx, tokenID, key)
}

// CompleteIdempotencyKey stores the response to replay.
func (s *Service) CompleteIdempotencyKey(ctx context.Context, tokenID int64, key string, r models.StoredResponse) error {
	return s.db.CompleteIdempotencyKey(ctx, tokenID, key, r)
}

// ReleaseIdempotencyKey forgets a key whose request failed on the server's side.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	return s.db.ReleaseIdempotencyKey(ctx, tokenID, key)
}
