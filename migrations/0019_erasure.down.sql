DROP TABLE erasure_scans;
DROP INDEX audit_log_external_id_idx;
ALTER TABLE idempotency_keys DROP COLUMN erased_at;
DROP FUNCTION jsonb_redact(jsonb, text[]);
DROP FUNCTION erased_statement(jsonb, text);
DROP TRIGGER staff_erased_guard ON staff;
DROP FUNCTION staff_erased_guard();
