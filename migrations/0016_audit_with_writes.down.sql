DROP FUNCTION IF EXISTS audit_record(timestamptz, bigint, text, text, text, text, jsonb, integer, text);
UPDATE audit_log SET status = 0 WHERE status IS NULL;
ALTER TABLE audit_log ALTER COLUMN status SET NOT NULL;
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
