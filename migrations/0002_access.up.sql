-- API tokens: only a SHA-256 hash of each secret is stored.
CREATE TABLE api_tokens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    role            text NOT NULL,
    organisation_id bigint REFERENCES organisations (id) ON DELETE RESTRICT,
    provider        text,
    hash            bytea NOT NULL,
    prefix          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    last_used_at    timestamptz,
    created_by      bigint REFERENCES api_tokens (id),
    CONSTRAINT api_tokens_hash_key UNIQUE (hash),
    CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'hr', 'trainer', 'analyst')),
    CONSTRAINT api_tokens_organisation_check CHECK ((role = 'hr') = (organisation_id IS NOT NULL)),
    CONSTRAINT api_tokens_provider_check CHECK ((role = 'trainer') = (provider IS NOT NULL))
);
CREATE INDEX api_tokens_organisation_idx ON api_tokens (organisation_id);

-- The audit trail: every write and every read of staff-level data. Append-only: rows can
-- be added, never changed or removed through the application.
CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    token_id        bigint,
    role            text,
    method          text NOT NULL,
    route           text NOT NULL,
    organisation_id bigint,
    organisation    text,
    target          jsonb NOT NULL DEFAULT '{}',
    status          integer NOT NULL,
    request_id      text
);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
CREATE INDEX audit_log_organisation_idx ON audit_log (organisation_id, id);
CREATE INDEX audit_log_token_idx ON audit_log (token_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
