-- An Idempotency-Key stands for its whole request (issue 16): the same key and body sent
-- to another organisation's path, or with another query string (?provider=), replayed the
-- first answer. The path and query are kept as SHA-256 hashes, not as text: a path names
-- staff by external id. Keys stored before this migration have neither, cannot be matched
-- to a request, and answer 422 until they expire (a day).
ALTER TABLE idempotency_keys ADD COLUMN path_hash bytea, ADD COLUMN query_hash bytea;
