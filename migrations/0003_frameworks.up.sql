-- Skills frameworks. A framework is published in numbered versions: framework_versions
-- keeps every published document unchanged, while proficiency_levels, skill_areas and
-- skills hold the current version in relational form for queries and for the foreign
-- keys of evidence and role requirements. A skill row is the stable identity of
-- (framework, code) across versions: it is updated in place and never deleted.
CREATE TABLE frameworks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL,
    publisher   text NOT NULL DEFAULT '',
    licence     text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    -- The current (latest published) version.
    version     integer NOT NULL,
    -- The framework loaded on first start; at most one.
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT frameworks_code_key UNIQUE (code),
    CONSTRAINT frameworks_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT frameworks_name_check CHECK (length(name) BETWEEN 1 AND 300),
    CONSTRAINT frameworks_version_check CHECK (version >= 1)
);
CREATE UNIQUE INDEX frameworks_is_default_key ON frameworks (is_default) WHERE is_default;

-- Every published version, as the complete framework document. Rows are written once.
CREATE TABLE framework_versions (
    framework_id bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    version      integer NOT NULL,
    document     jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (framework_id, version),
    CONSTRAINT framework_versions_version_check CHECK (version >= 1)
);

CREATE FUNCTION framework_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published framework version cannot be changed; publish a new version';
END $$;
CREATE TRIGGER framework_versions_immutable BEFORE UPDATE ON framework_versions
    FOR EACH ROW EXECUTE FUNCTION framework_versions_immutable();

-- The proficiency scale of the current version, ordered by level.
CREATE TABLE proficiency_levels (
    framework_id bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    level        smallint NOT NULL,
    code         text NOT NULL,
    name         text NOT NULL,
    descriptor   text NOT NULL DEFAULT '',
    PRIMARY KEY (framework_id, level),
    -- Deferred, so that a new version may swap the codes of two levels.
    CONSTRAINT proficiency_levels_code_key UNIQUE (framework_id, code) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT proficiency_levels_level_check CHECK (level BETWEEN 0 AND 10)
);

-- Skill areas of the current version: a tree per framework.
CREATE TABLE skill_areas (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    framework_id bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    code         text NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    parent_id    bigint REFERENCES skill_areas (id),
    position     integer NOT NULL DEFAULT 0,
    CONSTRAINT skill_areas_code_key UNIQUE (framework_id, code),
    CONSTRAINT skill_areas_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT skill_areas_parent_check CHECK (parent_id <> id)
);
CREATE INDEX skill_areas_parent_idx ON skill_areas (parent_id);

-- Skills: the stable identity of (framework, code) with the current version's content.
-- effective_id is the skill that evidence and requirements on this skill count towards:
-- itself, or the end of its supersession chain. Gap reports aggregate by effective_id.
CREATE TABLE skills (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    framework_id       bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    code               text NOT NULL,
    name               text NOT NULL,
    description        text NOT NULL DEFAULT '',
    area_id            bigint REFERENCES skill_areas (id),
    tier               text NOT NULL,
    level_descriptors  jsonb NOT NULL DEFAULT '{}',
    refs               jsonb NOT NULL DEFAULT '[]',
    status             text NOT NULL DEFAULT 'active',
    superseded_by      bigint,
    effective_id       bigint NOT NULL REFERENCES skills (id),
    introduced_version integer NOT NULL,
    position           integer NOT NULL DEFAULT 0,
    CONSTRAINT skills_code_key UNIQUE (framework_id, code),
    -- superseded_by references a skill of the same framework.
    CONSTRAINT skills_framework_id_key UNIQUE (framework_id, id),
    CONSTRAINT skills_superseded_by_fkey FOREIGN KEY (framework_id, superseded_by) REFERENCES skills (framework_id, id),
    CONSTRAINT skills_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT skills_tier_check CHECK (tier IN ('basic', 'incident_response', 'advanced')),
    CONSTRAINT skills_status_check CHECK (status IN ('active', 'deprecated')),
    CONSTRAINT skills_superseded_by_check CHECK (superseded_by <> id AND (superseded_by IS NULL OR status = 'deprecated')),
    CONSTRAINT skills_level_descriptors_check CHECK (jsonb_typeof(level_descriptors) = 'object'),
    CONSTRAINT skills_refs_check CHECK (jsonb_typeof(refs) = 'array')
);
CREATE INDEX skills_list_idx ON skills (framework_id, position, id);
CREATE INDEX skills_area_idx ON skills (area_id);
CREATE INDEX skills_effective_idx ON skills (effective_id);
CREATE INDEX skills_superseded_by_idx ON skills (superseded_by);

-- A new skill counts towards itself until supersession says otherwise; the identity
-- value is known in a BEFORE trigger, so inserts need not name it.
CREATE FUNCTION skills_effective_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.effective_id := COALESCE(NEW.effective_id, NEW.id);
    RETURN NEW;
END $$;
CREATE TRIGGER skills_effective_default BEFORE INSERT ON skills
    FOR EACH ROW EXECUTE FUNCTION skills_effective_default();
