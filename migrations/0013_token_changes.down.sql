DROP TRIGGER organisation_code_changed ON organisations;
DROP TRIGGER api_tokens_changed ON api_tokens;
DROP FUNCTION api_tokens_changed();
