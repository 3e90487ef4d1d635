ALTER TABLE workforce_dirty RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                                   autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold);

CREATE OR REPLACE FUNCTION workforce_flush(wait boolean, at timestamptz DEFAULT now(), max_rows integer DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    whole bigint[];
    pair_staff bigint[];
    pair_skills bigint[];
    taken integer;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(7301204);
    ELSIF NOT pg_try_advisory_xact_lock(7301204) THEN
        RETURN -1;
    END IF;
    WITH t AS (
        DELETE FROM workforce_dirty
         WHERE max_rows IS NULL OR ctid = ANY (ARRAY(SELECT ctid FROM workforce_dirty LIMIT max_rows))
        RETURNING staff_id, skill_id)
    SELECT count(*), array_agg(DISTINCT staff_id) FILTER (WHERE skill_id IS NULL),
           array_agg(staff_id) FILTER (WHERE skill_id IS NOT NULL), array_agg(skill_id) FILTER (WHERE skill_id IS NOT NULL)
      INTO taken, whole, pair_staff, pair_skills FROM t;
    IF taken = 0 THEN
        RETURN 0;
    END IF;
    PERFORM workforce_refresh(whole, NULL, at);
    SELECT array_agg(p.staff_id), array_agg(p.skill_id) INTO pair_staff, pair_skills
      FROM (SELECT DISTINCT x.staff_id, x.skill_id FROM unnest(pair_staff, pair_skills) AS x (staff_id, skill_id)
             WHERE NOT EXISTS (SELECT 1 FROM unnest(whole) AS w (id) WHERE w.id = x.staff_id)) p;
    PERFORM workforce_refresh(pair_staff, pair_skills, at);
    RETURN taken;
END $$;

ALTER TABLE workforce_dirty DROP COLUMN id;
