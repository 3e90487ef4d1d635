DROP FUNCTION training_counts(bigint[], timestamptz[]);
