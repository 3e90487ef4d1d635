-- Servers remember authenticated tokens for a short while; a change to what a token may
-- do (revocation, expiry, role, scope) or to an organisation's code is announced on the
-- api_tokens_changed channel so that every server forgets at once.
CREATE FUNCTION api_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_tokens_changed', '');
    RETURN NULL;
END $$;
CREATE TRIGGER api_tokens_changed
    AFTER UPDATE OF name, role, organisation_id, provider, expires_at, revoked_at OR DELETE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_changed();
CREATE TRIGGER organisation_code_changed
    AFTER UPDATE OF code OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_changed();
