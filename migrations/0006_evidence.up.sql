-- Competency evidence is append-only: a correction is a new record, or a retraction that
-- references the record it withdraws. A person's level is derived from it.
CREATE TABLE evidence (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id          bigint NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    skill_id          bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    -- The framework version the evidence was assessed against.
    framework_version integer NOT NULL,
    level             smallint NOT NULL,
    source            text NOT NULL,
    assessed_at       timestamptz NOT NULL,
    expires_at        timestamptz,
    assessor          text,
    note              text,
    evidence_url      text,
    retracts_id       bigint REFERENCES evidence (id) ON DELETE RESTRICT,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       bigint,
    CONSTRAINT evidence_level_check CHECK (level BETWEEN 0 AND 4),
    CONSTRAINT evidence_source_check CHECK (source IN ('self', 'manager', 'assessment', 'certification', 'training', 'import')),
    CONSTRAINT evidence_expires_at_check CHECK (expires_at IS NULL OR expires_at > assessed_at),
    CONSTRAINT evidence_retraction_check CHECK (retracts_id IS NULL OR level = 0)
);
CREATE INDEX evidence_staff_skill_idx ON evidence (staff_id, skill_id, assessed_at);
CREATE INDEX evidence_retracts_idx ON evidence (retracts_id) WHERE retracts_id IS NOT NULL;
CREATE INDEX evidence_expires_idx ON evidence (expires_at) WHERE expires_at IS NOT NULL AND retracts_id IS NULL;

-- Rows may be added, never changed or removed, except that erasure of a person (right to
-- erasure) blanks the free-text fields that may identify them; the erasure code sets
-- cyberskills.erasure for its transaction.
CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('cyberskills.erasure', true) = 'on'
       AND (NEW.staff_id, NEW.skill_id, NEW.level, NEW.source, NEW.assessed_at, NEW.expires_at, NEW.retracts_id)
           IS NOT DISTINCT FROM (OLD.staff_id, OLD.skill_id, OLD.level, OLD.source, OLD.assessed_at, OLD.expires_at, OLD.retracts_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'evidence is append-only: record a new piece of evidence or a retraction instead';
END $$;
CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_append_only();

-- evidence_levels applies the current-level rule (models.CurrentLevels) to the given
-- staff at a moment: for each person and skill (after supersession), the verified level
-- (highest level in force from any source but self), when it may next fall, the latest
-- self-assessed level in force, and the level on the "any" basis.
CREATE FUNCTION evidence_levels(staff_ids bigint[], at timestamptz)
RETURNS TABLE (staff_id bigint, skill_id bigint, verified smallint, verified_until timestamptz,
               self_level smallint, any_level smallint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH in_force AS (
            -- Joining the unnested array (not "= ANY") lets the planner pick an index or a hash
            -- join, so that one person and a million people both cost what they should.
            SELECT e.id, e.staff_id, k.effective_id AS skill_id, e.level, e.source, e.assessed_at, e.expires_at
              FROM unnest(staff_ids) AS p (id)
              JOIN evidence e ON e.staff_id = p.id
              JOIN skills k ON k.id = e.skill_id
             WHERE e.retracts_id IS NULL
               AND e.assessed_at <= at
               AND (e.expires_at IS NULL OR e.expires_at > at)
               AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id AND r.assessed_at <= at)
        ), verified AS (
            SELECT v.staff_id, v.skill_id, max(v.level) AS level
              FROM in_force v WHERE v.source <> 'self' GROUP BY 1, 2
        ), until AS (
            SELECT v.staff_id, v.skill_id,
                   CASE WHEN bool_or(f.expires_at IS NULL) THEN NULL ELSE max(f.expires_at) END AS until
              FROM verified v
              JOIN in_force f ON f.staff_id = v.staff_id AND f.skill_id = v.skill_id
                             AND f.source <> 'self' AND f.level = v.level
             WHERE v.level > 0
             GROUP BY 1, 2
        ), self AS (
            SELECT DISTINCT ON (f.staff_id, f.skill_id) f.staff_id, f.skill_id, f.level
              FROM in_force f WHERE f.source = 'self'
             ORDER BY f.staff_id, f.skill_id, f.assessed_at DESC, f.id DESC
        )
        SELECT COALESCE(v.staff_id, s.staff_id), COALESCE(v.skill_id, s.skill_id),
               COALESCE(v.level, 0)::smallint, u.until, s.level,
               GREATEST(COALESCE(v.level, 0), COALESCE(s.level, 0))::smallint
          FROM verified v
          FULL JOIN self s ON s.staff_id = v.staff_id AND s.skill_id = v.skill_id
          LEFT JOIN until u ON u.staff_id = COALESCE(v.staff_id, s.staff_id) AND u.skill_id = COALESCE(v.skill_id, s.skill_id);
END $$;
