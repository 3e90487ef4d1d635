ALTER TABLE idempotency_keys DROP COLUMN path_hash, DROP COLUMN query_hash;
