-- evidence_levels is the current-level rule in SQL (models.CurrentLevels in Go): for each
-- person and skill, the verified level at a moment, when it may next fall, the latest
-- self-assessment, and the higher of the two. Linear in the evidence it reads: each
-- figure comes from one ordered pass (DISTINCT ON), and the only join is a FULL JOIN on
-- plain columns, which PostgreSQL can only run as a hash or merge join (migration 0012
-- explains why).
CREATE OR REPLACE FUNCTION evidence_levels(staff_ids bigint[], at timestamptz)
RETURNS TABLE (staff_id bigint, skill_id bigint, verified smallint, verified_until timestamptz,
               self_level smallint, any_level smallint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH in_force AS (
            SELECT e.id, e.staff_id, k.effective_id AS skill_id, e.level, e.source, e.assessed_at, e.expires_at
              FROM unnest(staff_ids) AS p (id)
              JOIN evidence e ON e.staff_id = p.id
              JOIN skills k ON k.id = e.skill_id
             WHERE e.retracts_id IS NULL
               AND e.assessed_at <= at
               AND (e.expires_at IS NULL OR e.expires_at > at)
               AND NOT EXISTS (SELECT 1 FROM evidence r WHERE r.retracts_id = e.id AND r.assessed_at <= at)
        ), verified AS (
            -- The highest level, and among the records at that level the one lasting
            -- longest: a record that never expires sorts first.
            SELECT DISTINCT ON (f.staff_id, f.skill_id) f.staff_id, f.skill_id, f.level, f.expires_at
              FROM in_force f WHERE f.source <> 'self'
             ORDER BY f.staff_id, f.skill_id, f.level DESC, f.expires_at DESC NULLS FIRST
        ), self AS (
            SELECT DISTINCT ON (f.staff_id, f.skill_id) f.staff_id, f.skill_id, f.level
              FROM in_force f WHERE f.source = 'self'
             ORDER BY f.staff_id, f.skill_id, f.assessed_at DESC, f.id DESC
        )
        SELECT COALESCE(v.staff_id, s.staff_id), COALESCE(v.skill_id, s.skill_id),
               COALESCE(v.level, 0)::smallint, CASE WHEN v.level > 0 THEN v.expires_at END, s.level,
               GREATEST(COALESCE(v.level, 0), COALESCE(s.level, 0))::smallint
          FROM verified v
          FULL JOIN self s ON s.staff_id = v.staff_id AND s.skill_id = v.skill_id;
END $$;
