ALTER TABLE idempotency_keys DROP COLUMN headers;
DROP TABLE jobs;
