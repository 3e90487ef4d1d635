-- Back to the first version of evidence_levels.
CREATE OR REPLACE FUNCTION evidence_levels(staff_ids bigint[], at timestamptz)
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
