-- Training providers' courses, the skills (and levels) they confer, and completions
-- posted over REST or xAPI. A passed completion becomes training evidence.
CREATE TABLE courses (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider        text NOT NULL,
    code            text NOT NULL,
    title           text NOT NULL,
    description     text NOT NULL DEFAULT '',
    activity_iri    text,
    -- The framework whose skill codes the course names; NULL means the default framework.
    framework_id    bigint REFERENCES frameworks (id) ON DELETE RESTRICT,
    validity_months integer,
    duration_hours  numeric(8, 2),
    cost            numeric(12, 2),
    retired_at      timestamptz, -- a course with history is retired, never removed
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT courses_code_key UNIQUE (code),
    CONSTRAINT courses_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT courses_title_check CHECK (length(title) BETWEEN 1 AND 300),
    CONSTRAINT courses_validity_months_check CHECK (validity_months > 0),
    CONSTRAINT courses_duration_hours_check CHECK (duration_hours >= 0),
    CONSTRAINT courses_cost_check CHECK (cost >= 0)
);
CREATE UNIQUE INDEX courses_activity_iri_key ON courses (activity_iri) WHERE activity_iri IS NOT NULL;
CREATE INDEX courses_provider_idx ON courses (provider, code);

CREATE TABLE course_skills (
    course_id bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    skill_id  bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    level     smallint NOT NULL,
    PRIMARY KEY (course_id, skill_id),
    CONSTRAINT course_skills_level_check CHECK (level BETWEEN 1 AND 4)
);
CREATE INDEX course_skills_skill_idx ON course_skills (skill_id, level);

-- Completions are idempotent per provider and completion id: payload_hash tells a retry
-- (same payload) from a conflicting reuse of the id.
CREATE TABLE completions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider      text NOT NULL,
    completion_id text NOT NULL,
    staff_id      bigint NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    completed_at  timestamptz NOT NULL,
    passed        boolean NOT NULL,
    score         numeric(7, 3),
    payload_hash  bytea NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT completions_completion_id_key UNIQUE (provider, completion_id)
);
CREATE INDEX completions_staff_idx ON completions (staff_id, course_id);
CREATE INDEX completions_course_idx ON completions (course_id);

-- xAPI statements are kept as received. content_hash is over the statement's canonical
-- form without the properties the LRS sets (stored, authority, version), so that the same
-- statement sent again is recognised.
CREATE TABLE xapi_statements (
    id           uuid PRIMARY KEY,
    provider     text NOT NULL,
    statement    jsonb NOT NULL,
    content_hash bytea NOT NULL,
    verb         text NOT NULL,
    staff_id     bigint REFERENCES staff (id) ON DELETE RESTRICT,
    course_id    bigint REFERENCES courses (id) ON DELETE RESTRICT,
    stored_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX xapi_statements_staff_idx ON xapi_statements (staff_id, course_id);

ALTER TABLE evidence ADD COLUMN completion_id bigint REFERENCES completions (id) ON DELETE RESTRICT;
ALTER TABLE evidence ADD COLUMN statement_id uuid REFERENCES xapi_statements (id) ON DELETE RESTRICT;
-- A repeated completion or statement answers with the evidence it created.
CREATE INDEX evidence_completion_idx ON evidence (completion_id) WHERE completion_id IS NOT NULL;
CREATE INDEX evidence_statement_idx ON evidence (statement_id) WHERE statement_id IS NOT NULL;
