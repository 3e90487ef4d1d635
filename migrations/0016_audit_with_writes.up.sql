-- A write's audit entry now commits in the write's own transaction, before the response
-- and its status exist: the row is inserted with status NULL and the status is filled in
-- once the response has been sent. The trail stays append-only otherwise: a row cannot
-- be deleted, and the only change allowed is setting a NULL status (audit_log_append_only
-- and audit_record, in repeatable/audit.sql).
ALTER TABLE audit_log ALTER COLUMN status DROP NOT NULL;
