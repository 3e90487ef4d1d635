package repository

import (
	"context"
	"encoding/json"
	"time"

	"cyberskills/models"
)

// ClaimIdempotencyKey records that req, with this key, has started. When the key was
// already used by the token it returns that earlier request instead (claimed false).
func (db *DB) ClaimIdempotencyKey(ctx context.Context, tokenID int64, key string, req models.IdempotentRequest) (claimed bool, earlier models.StoredResponse, err error) {
	res, err := db.ExecContext(ctx, `
		INSERT INTO idempotency_keys (token_id, key, method, route, path_hash, query_hash) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (token_id, key) DO NOTHING`, tokenID, key, req.Method, req.Route, req.PathHash, req.QueryHash)
	if err != nil {
		return false, earlier, translate(err)
	}
	if rowsAffected(res) == 1 {
		return true, earlier, nil
	}
	var row struct {
		Method      string  `db:"method"`
		Route       string  `db:"route"`
		PathHash    []byte  `db:"path_hash"`
		QueryHash   []byte  `db:"query_hash"`
		Hash        []byte  `db:"request_hash"`
		Status      *int    `db:"status"`
		ContentType *string `db:"content_type"`
		Headers     []byte  `db:"headers"`
		Body        []byte  `db:"body"`
		Completed   bool    `db:"completed"`
		Erased      bool    `db:"erased"`
		AgeSeconds  float64 `db:"age"`
	}
	err = db.GetContext(ctx, &row, `
		SELECT method, route, path_hash, query_hash, request_hash, status, content_type, headers, body, completed_at IS NOT NULL AS completed, erased_at IS NOT NULL AS erased,
		       extract(epoch FROM now() - created_at)::float8 AS age
		  FROM idempotency_keys WHERE token_id = $1 AND key = $2`, tokenID, key)
	if err != nil {
		return false, earlier, translate(err)
	}
	earlier = models.StoredResponse{
		IdempotentRequest: models.IdempotentRequest{Method: row.Method, Route: row.Route, PathHash: row.PathHash, QueryHash: row.QueryHash},
		RequestHash:       row.Hash, Body: row.Body, Completed: row.Completed, Erased: row.Erased,
		ContentType: deref(row.ContentType), Age: time.Duration(row.AgeSeconds * float64(time.Second)),
	}
	if row.Status != nil {
		earlier.Status = *row.Status
	}
	if row.Headers != nil {
		if err := json.Unmarshal(row.Headers, &earlier.Headers); err != nil {
			return false, earlier, err
		}
	}
	return false, earlier, nil
}

// TakeOverIdempotencyKey restarts an abandoned request's key (its first attempt never
// finished, e.g. the server stopped).
func (db *DB) TakeOverIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	_, err := db.ExecContext(ctx, `UPDATE idempotency_keys SET created_at = now() WHERE token_id = $1 AND key = $2 AND completed_at IS NULL`, tokenID, key)
	return translate(err)
}

// CompleteIdempotencyKey stores the response to replay.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, tokenID int64, key string, r models.StoredResponse) error {
	var headers any
	if len(r.Headers) > 0 {
		headers = jsonText(r.Headers)
	}
	_, err := db.ExecContext(ctx, `
		UPDATE idempotency_keys SET request_hash = $3, status = $4, content_type = $5, body = $6, headers = $7, completed_at = now()
		 WHERE token_id = $1 AND key = $2`, tokenID, key, r.RequestHash, r.Status, r.ContentType, r.Body, headers)
	return translate(err)
}

// ReleaseIdempotencyKey forgets a key whose request failed on the server's side, so that
// a retry runs again.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, tokenID int64, key string) error {
	_, err := db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2`, tokenID, key)
	return translate(err)
}
