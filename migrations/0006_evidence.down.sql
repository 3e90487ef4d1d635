DROP FUNCTION evidence_levels(bigint[], timestamptz);
DROP TABLE evidence;
DROP FUNCTION evidence_append_only();
