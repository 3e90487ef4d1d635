-- The definitions of migration 0007 again, without the history.
CREATE OR REPLACE FUNCTION evidence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workforce_dirty (staff_id, skill_id)
    SELECT DISTINCT i.staff_id, k.effective_id FROM inserted i JOIN skills k ON k.id = i.skill_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION staff_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM headcount_apply(array_agg(organisation_id), 1) FROM inserted WHERE status = 'active';
    INSERT INTO workforce_dirty (staff_id) SELECT id FROM inserted WHERE status = 'active';
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION staff_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM headcount_apply(array_agg(o.organisation_id), -1)
       FROM removed o JOIN inserted n ON n.id = o.id
      WHERE o.status = 'active' AND (n.status <> 'active' OR n.organisation_id <> o.organisation_id);
    PERFORM headcount_apply(array_agg(n.organisation_id), 1)
       FROM removed o JOIN inserted n ON n.id = o.id
      WHERE n.status = 'active' AND (o.status <> 'active' OR n.organisation_id <> o.organisation_id);
    INSERT INTO workforce_dirty (staff_id)
    SELECT n.id FROM removed o JOIN inserted n ON n.id = o.id
     WHERE (o.organisation_id, o.role_id, o.status) IS DISTINCT FROM (n.organisation_id, n.role_id, n.status);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION workforce_rebuild(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo bigint;
    hi bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7301204); -- no flush meanwhile
    LOCK TABLE workforce_skills, org_skill_stats, org_headcount IN EXCLUSIVE MODE;
    TRUNCATE workforce_skills, org_skill_stats, org_headcount, workforce_dirty;
    INSERT INTO workforce_skills
    SELECT * FROM workforce_facts(ARRAY(SELECT id FROM staff WHERE status = 'active'), at);
    -- Add the ledger to the counts in slices of staff, to bound the arrays in memory.
    FOR lo, hi IN SELECT min(id), max(id) FROM (
            SELECT id, ntile(GREATEST(1, (SELECT count(*) FROM staff) / 200000)::integer) OVER (ORDER BY id) AS slice
              FROM staff) x GROUP BY slice LOOP
        PERFORM stats_apply(array_agg(organisation_id), array_agg(skill_id), array_agg(required_level),
                            array_agg(essential), array_agg(level), 1)
           FROM workforce_skills WHERE staff_id BETWEEN lo AND hi;
    END LOOP;
    INSERT INTO org_headcount
    SELECT organisation_id, count(*) FROM staff WHERE status = 'active' GROUP BY 1;
END $$;
CREATE OR REPLACE FUNCTION role_requirements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s WHERE s.status = 'active' AND s.role_id IN (SELECT role_id FROM inserted);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s WHERE s.status = 'active' AND s.role_id IN (SELECT role_id FROM removed);
    ELSE
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s WHERE s.status = 'active'
           AND s.role_id IN (SELECT role_id FROM inserted UNION SELECT role_id FROM removed);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION skills_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workforce_dirty (staff_id)
    SELECT e.staff_id FROM evidence e
     WHERE e.skill_id IN (SELECT n.id FROM inserted n JOIN removed o ON o.id = n.id WHERE n.effective_id <> o.effective_id)
    UNION
    SELECT s.id FROM staff s JOIN role_requirements r ON r.role_id = s.role_id
     WHERE s.status = 'active'
       AND r.skill_id IN (SELECT n.id FROM inserted n JOIN removed o ON o.id = n.id WHERE n.effective_id <> o.effective_id);
    RETURN NULL;
END $$;
DROP FUNCTION history_flush(boolean, integer);
DROP FUNCTION history_rebuild();
DROP FUNCTION history_refresh(bigint[], bigint[]);
DROP FUNCTION history_apply(bigint[], bigint[], "char"[], timestamptz[], timestamptz[], smallint[], boolean[], smallint[],
                            bigint[], bigint[], "char"[], timestamptz[], timestamptz[], smallint[], boolean[], smallint[]);
DROP FUNCTION history_facts(bigint[], bigint[]);
DROP FUNCTION history_month(timestamptz);
DROP FUNCTION history_year(timestamptz);
DROP TABLE org_skill_changes;
DROP TABLE workforce_history;
DROP INDEX staff_start_date_idx;
DROP INDEX staff_leavers_end_date_idx;
DROP TABLE history_dirty;
