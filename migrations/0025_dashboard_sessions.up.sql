-- Dashboard sign-in sessions. A browser exchanges a token for a session once; the cookie
-- holds the session's secret, of which only a SHA-256 hash is stored (as for tokens). A
-- session ends at its absolute expiry, after its idle time without a request, when it is
-- signed out (deleted), or when its token is revoked or expires (checked on every use,
-- and the row goes with the token).
CREATE TABLE dashboard_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash         bytea NOT NULL,
    token_id     bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CONSTRAINT dashboard_sessions_hash_key UNIQUE (hash)
);
CREATE INDEX dashboard_sessions_token_idx ON dashboard_sessions (token_id);
CREATE INDEX dashboard_sessions_expires_idx ON dashboard_sessions (expires_at);
