ALTER TABLE evidence DROP COLUMN import_job_id;
