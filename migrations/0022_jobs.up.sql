-- Bulk imports run as jobs (issue 20): at once, answering the caller with the report as
-- before, or in the background when the caller prefers (Prefer: respond-async), answering
-- 202 with the job's address. Every import has its job, so that the evidence an import
-- wrote can name it, and the job keeps the import's report.
--
-- A job is scoped like the tenant data it writes: organisation_id is the organisation a
-- staff or evidence import wrote into, and NULL for an administrator's import of
-- reference data (organisations), which only administrators see.
--
-- Jobs run on one server each. owner names it (its host and listen address, stable across
-- the server's restarts), and the server writes heartbeat_at, with the progress, every
-- second while the job is queued or running. A job whose heartbeat is older than a minute
-- ran on a server that has gone, and a server that starts fails the jobs its previous
-- run left: either way nothing was applied, since an import is one transaction, which
-- marks its job applied (state succeeded) as it commits, and not a moment earlier.
CREATE TABLE jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL,
    organisation_id bigint REFERENCES organisations (id) ON DELETE RESTRICT,
    token_id        bigint,
    request_id      text,
    async           boolean NOT NULL,
    state           text NOT NULL,
    phase           text NOT NULL,
    failure         text,
    owner           text NOT NULL,
    bytes_total     bigint,
    bytes_read      bigint NOT NULL DEFAULT 0,
    rows_read       integer NOT NULL DEFAULT 0,
    rows_checked    integer NOT NULL DEFAULT 0,
    rows_applied    integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    heartbeat_at    timestamptz NOT NULL DEFAULT now(),
    -- The answer the import gave, or would have given: its status, media type and body
    -- as sent. It is emptied after a week, and when a person it names is erased.
    result_status   integer,
    result_type     text,
    result          bytea,
    result_erased_at timestamptz,
    CONSTRAINT jobs_kind_check CHECK (kind IN ('staff_import', 'evidence_import', 'organisation_import')),
    CONSTRAINT jobs_state_check CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    CONSTRAINT jobs_phase_check CHECK (phase IN ('queued', 'reading', 'checking', 'applying', 'done'))
);
CREATE INDEX jobs_organisation_idx ON jobs (organisation_id, id);
CREATE INDEX jobs_unfinished_idx ON jobs (heartbeat_at) WHERE state IN ('queued', 'running');

-- Evidence names the job that imported it: a job is never deleted.
CREATE TRIGGER jobs_never_deleted BEFORE DELETE OR TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();

-- A retried POST returns its first answer; an asynchronous import's first answer is a
-- 202 whose Location (the job) and Preference-Applied headers are part of it.
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb;
