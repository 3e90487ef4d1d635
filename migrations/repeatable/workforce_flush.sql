-- workforce_flush refreshes what is queued in workforce_dirty (at most max_rows entries,
-- oldest first), in one transaction: whole people first, then the person-and-skill pairs
-- of people not already refreshed whole. One flusher at a time: with wait false it
-- returns at once (-1) when another is flushing, so that a report can read what is there
-- instead of queueing. It returns how many queue entries it took, and when it took any,
-- announces on statistics_changed that the counts changed. The caller gives the
-- instant the levels are computed as of (its DEFAULT is kept only because PostgreSQL
-- cannot drop a default from an existing function). What it took goes on to the history's
-- queue (history_dirty, applied by history_flush in repeatable/workforce_history.sql).
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
         WHERE max_rows IS NULL OR id IN (SELECT id FROM workforce_dirty ORDER BY id LIMIT max_rows)
        RETURNING staff_id, skill_id)
    SELECT count(*), array_agg(DISTINCT staff_id) FILTER (WHERE skill_id IS NULL),
           array_agg(staff_id) FILTER (WHERE skill_id IS NOT NULL), array_agg(skill_id) FILTER (WHERE skill_id IS NOT NULL)
      INTO taken, whole, pair_staff, pair_skills FROM t;
    IF taken = 0 THEN
        RETURN 0;
    END IF;
    PERFORM workforce_refresh(whole, NULL, at);
    INSERT INTO history_dirty (staff_id) SELECT unnest(whole);
    SELECT array_agg(p.staff_id), array_agg(p.skill_id) INTO pair_staff, pair_skills
      FROM (SELECT DISTINCT x.staff_id, x.skill_id FROM unnest(pair_staff, pair_skills) AS x (staff_id, skill_id)
             WHERE NOT EXISTS (SELECT 1 FROM unnest(whole) AS w (id) WHERE w.id = x.staff_id)) p;
    PERFORM workforce_refresh(pair_staff, pair_skills, at);
    INSERT INTO history_dirty (staff_id, skill_id) SELECT * FROM unnest(pair_staff, pair_skills);
    -- The counts changed: every server's statistics lapse (migration 0026).
    PERFORM pg_notify('statistics_changed', '');
    RETURN taken;
END $$;
