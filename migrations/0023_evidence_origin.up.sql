-- Evidence says what created it (issue 20): a provider's completion (completion_id) or
-- xAPI statement (statement_id), an import (import_job_id, new here), or otherwise the
-- token that posted it (recorded_by). Like the other references of evidence it is not a
-- foreign key, whose per-row trigger a million-row import would pay for (0015): jobs are
-- never deleted (jobs_never_deleted), and an import writes the id of its own job. Nor is
-- it indexed: nothing looks evidence up by its job, and an index would cost every import.
ALTER TABLE evidence ADD COLUMN import_job_id bigint;
