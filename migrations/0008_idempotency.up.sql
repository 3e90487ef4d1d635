-- Idempotency keys: a POST sent again with the same Idempotency-Key by the same token gets
-- the first response back instead of acting twice. Keys are kept for a day.
CREATE TABLE idempotency_keys (
    token_id     bigint NOT NULL,
    key          text NOT NULL,
    method       text NOT NULL,
    route        text NOT NULL,
    request_hash bytea,
    status       integer,
    content_type text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
