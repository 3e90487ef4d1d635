-- The gap engine's history (migration 0027): each person's counted periods per skill and
-- basis (workforce_history) and the changes they make to each organisation's counts
-- (org_skill_changes, by moment, month and year). Maintained by the same
-- flush that maintains today's counts: whenever a person (or a person and skill) is
-- refreshed, their periods are recomputed and the changes move by the difference.

-- history_month and history_year are the calendar month and year (UTC) a change is summed into.
CREATE OR REPLACE FUNCTION history_month(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('month', at, 'UTC') $$;
CREATE OR REPLACE FUNCTION history_year(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('year', at, 'UTC') $$;

-- history_facts computes the periods of the given staff (all their skills when skill_ids is
-- NULL, else the pairs staff_ids[i], skill_ids[i]): for each skill their role
-- requires or they ever held, the maximal stretches of their employment (start_date to
-- end_date, read in the session's time zone as reports read them) during which their
-- level on a basis was constant, with what they counted for. It is the current-level rule
-- (evidence_levels) applied at every moment a level can change: a record counts from its
-- assessed_at until it expires or the first retraction of it is assessed; verified is the
-- highest level in force from any source but self, self the latest self-assessment in
-- force, any the higher of the two. A period with neither a requirement nor a level is left
-- out, as workforce_facts leaves such a skill out.
CREATE OR REPLACE FUNCTION history_facts(staff_ids bigint[], skill_ids bigint[])
RETURNS TABLE (staff_id bigint, skill_id bigint, basis "char", valid_from timestamptz, valid_to timestamptz,
               organisation_id bigint, required_level smallint, essential boolean, level smallint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH asked AS (
        -- the people, or (skill_ids not NULL) the pairs staff_ids[i], skill_ids[i]: a single
        -- write's refresh reads one skill's evidence, not the person's every record
        SELECT DISTINCT p.id, p.skill FROM unnest(staff_ids, skill_ids) AS p (id, skill)
    ), st AS (
        SELECT s.id, s.organisation_id, s.role_id,
               COALESCE(s.start_date::timestamptz, '-infinity') AS hired,
               COALESCE(s.end_date::timestamptz, 'infinity') AS gone
          FROM staff s WHERE s.id IN (SELECT a.id FROM asked a)
    ), req AS (
        SELECT st.id AS staff_id, k.effective_id AS skill_id, max(r.level)::smallint AS level,
               bool_or(r.criticality = 'essential') AS essential
          FROM st JOIN role_requirements r ON r.role_id = st.role_id JOIN skills k ON k.id = r.skill_id
         WHERE skill_ids IS NULL OR (st.id, k.effective_id) IN (SELECT a.id, a.skill FROM asked a)
         GROUP BY 1, 2
    ), ev AS (
        SELECT e.id, e.staff_id, k.effective_id AS skill_id, e.level, e.source = 'self' AS self, e.assessed_at AS since,
               COALESCE(LEAST(e.expires_at, w.at), 'infinity') AS until
          FROM st
          JOIN evidence e ON e.staff_id = st.id
          JOIN skills k ON k.id = e.skill_id
          LEFT JOIN (SELECT r.retracts_id, min(r.assessed_at) AS at
                       FROM st JOIN evidence r ON r.staff_id = st.id
                      WHERE r.retracts_id IS NOT NULL GROUP BY 1) w ON w.retracts_id = e.id
         WHERE e.retracts_id IS NULL
           AND (skill_ids IS NULL OR (e.staff_id, k.effective_id) IN (SELECT a.id, a.skill FROM asked a))
    ), pairs AS (
        SELECT r.staff_id, r.skill_id FROM req r
        UNION
        SELECT e.staff_id, e.skill_id FROM ev e WHERE e.until > e.since
    ), instants AS (
        -- every moment at which a pair's counted row may change
        SELECT p.staff_id, p.skill_id, st.hired AS t FROM pairs p JOIN st ON st.id = p.staff_id
        UNION
        SELECT p.staff_id, p.skill_id, st.gone FROM pairs p JOIN st ON st.id = p.staff_id
        UNION
        SELECT e.staff_id, e.skill_id, e.since FROM ev e WHERE e.until > e.since
        UNION
        SELECT e.staff_id, e.skill_id, e.until FROM ev e WHERE e.until > e.since
    ), segments AS (
        SELECT i.staff_id, i.skill_id, i.t AS valid_from,
               lead(i.t) OVER (PARTITION BY i.staff_id, i.skill_id ORDER BY i.t) AS valid_to
          FROM instants i
    ), employed AS (
        SELECT g.*, st.organisation_id FROM segments g JOIN st ON st.id = g.staff_id
         WHERE g.valid_from >= st.hired AND g.valid_from < st.gone
    ), levels AS (
        SELECT g.staff_id, g.skill_id, g.valid_from, g.valid_to, g.organisation_id,
               COALESCE(max(e.level) FILTER (WHERE NOT e.self), 0) AS verified,
               COALESCE((array_agg(e.level ORDER BY e.since DESC, e.id DESC) FILTER (WHERE e.self))[1], 0) AS self_level
          FROM employed g
          LEFT JOIN ev e ON e.staff_id = g.staff_id AND e.skill_id = g.skill_id
                        AND e.since <= g.valid_from AND e.until > g.valid_from
         GROUP BY g.staff_id, g.skill_id, g.valid_from, g.valid_to, g.organisation_id
    ), per_basis AS (
        SELECT l.staff_id, l.skill_id, b.basis, l.valid_from, l.valid_to, l.organisation_id,
               COALESCE(r.level, 0)::smallint AS required_level, COALESCE(r.essential, false) AS essential,
               (CASE b.basis WHEN 'v' THEN l.verified WHEN 's' THEN l.self_level
                             ELSE GREATEST(l.verified, l.self_level) END)::smallint AS level
          FROM levels l
          CROSS JOIN (VALUES ('v'::"char"), ('s'::"char"), ('a'::"char")) AS b (basis)
          LEFT JOIN req r ON r.staff_id = l.staff_id AND r.skill_id = l.skill_id
    ), counted AS (
        SELECT p.*, CASE WHEN lag(p.valid_to) OVER w = p.valid_from AND lag(p.level) OVER w = p.level THEN 0 ELSE 1 END AS starts
          FROM per_basis p
         WHERE p.required_level > 0 OR p.level > 0
        WINDOW w AS (PARTITION BY p.staff_id, p.skill_id, p.basis ORDER BY p.valid_from)
    ), islands AS (
        SELECT c.*, sum(c.starts) OVER (PARTITION BY c.staff_id, c.skill_id, c.basis ORDER BY c.valid_from) AS island
          FROM counted c
    )
    SELECT i.staff_id, i.skill_id, i.basis, min(i.valid_from), max(i.valid_to), i.organisation_id,
           i.required_level, i.essential, i.level
      FROM islands i
     GROUP BY i.staff_id, i.skill_id, i.basis, i.island, i.organisation_id, i.required_level, i.essential, i.level;
END $$;

-- history_apply moves the organisations' changes by a set of periods removed (the old)
-- and added (the new), at every grain, and returns how many sums it moved: a period adds its
-- counted row at valid_from and takes it away at valid_to. Removal and addition are summed
-- together, so a refresh that changes nothing writes nothing, and a new record today
-- writes the changes of today alone. The row arithmetic is skill_counts'.
CREATE OR REPLACE FUNCTION history_apply(o_org bigint[], o_skill bigint[], o_basis "char"[], o_from timestamptz[],
                                         o_to timestamptz[], o_req smallint[], o_ess boolean[], o_level smallint[],
                                         n_org bigint[], n_skill bigint[], n_basis "char"[], n_from timestamptz[],
                                         n_to timestamptz[], n_req smallint[], n_ess boolean[], n_level smallint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    WITH periods AS (
        SELECT -1 AS sign, * FROM unnest(o_org, o_skill, o_basis, o_from, o_to, o_req, o_ess, o_level)
                                  AS o (org, skill, basis, f, t, req, ess, lvl)
        UNION ALL
        SELECT 1, * FROM unnest(n_org, n_skill, n_basis, n_from, n_to, n_req, n_ess, n_level)
    ), events AS (
        SELECT org, skill, basis, f AS at, sign, req, ess, lvl FROM periods
        UNION ALL
        SELECT org, skill, basis, t, -sign, req, ess, lvl FROM periods WHERE t < 'infinity'
    ), sums AS (
        SELECT org, basis, at, skill,
               sum(sign * (req > 0)::int) AS demand,
               sum(sign * (req > 0 AND lvl >= req)::int) AS supply,
               sum(sign * (req > 0 AND ess)::int) AS demand_essential,
               sum(sign * (req > 0 AND ess AND lvl >= req)::int) AS supply_essential,
               sum(sign * CASE WHEN req > 0 AND ess THEN req ELSE 0 END) AS required_essential,
               sum(sign * CASE WHEN req > 0 AND NOT ess THEN req ELSE 0 END) AS required_desirable,
               sum(sign * CASE WHEN req > 0 AND ess THEN GREATEST(req - lvl, 0) ELSE 0 END) AS depth_essential,
               sum(sign * CASE WHEN req > 0 AND NOT ess THEN GREATEST(req - lvl, 0) ELSE 0 END) AS depth_desirable,
               sum(sign * (lvl = 1)::int) AS held_1, sum(sign * (lvl = 2)::int) AS held_2,
               sum(sign * (lvl = 3)::int) AS held_3, sum(sign * (lvl = 4)::int) AS held_4
          FROM events GROUP BY org, basis, at, skill
    ), changed AS (
        SELECT * FROM sums
         WHERE (demand, supply, demand_essential, supply_essential, required_essential, required_desirable, depth_essential,
                depth_desirable, held_1, held_2, held_3, held_4) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ), grains AS (
        SELECT org, basis, 'e'::"char", at, skill, demand, supply, demand_essential, supply_essential, required_essential,
               required_desirable, depth_essential, depth_desirable, held_1, held_2, held_3, held_4
          FROM changed
        UNION ALL
        SELECT org, basis, 'm', history_month(at), skill, sum(demand), sum(supply), sum(demand_essential), sum(supply_essential), sum(required_essential), sum(required_desirable),
               sum(depth_essential), sum(depth_desirable), sum(held_1), sum(held_2), sum(held_3), sum(held_4)
          FROM changed GROUP BY org, basis, history_month(at), skill
        UNION ALL
        SELECT org, basis, 'y', history_year(at), skill, sum(demand), sum(supply), sum(demand_essential), sum(supply_essential), sum(required_essential), sum(required_desirable),
               sum(depth_essential), sum(depth_desirable), sum(held_1), sum(held_2), sum(held_3), sum(held_4)
          FROM changed GROUP BY org, basis, history_year(at), skill)
    INSERT INTO org_skill_changes AS c
    SELECT * FROM grains ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organisation_id, basis, grain, at, skill_id) DO UPDATE SET
        demand = c.demand + excluded.demand, supply = c.supply + excluded.supply,
        demand_essential = c.demand_essential + excluded.demand_essential,
        supply_essential = c.supply_essential + excluded.supply_essential,
        required_essential = c.required_essential + excluded.required_essential,
        required_desirable = c.required_desirable + excluded.required_desirable,
        depth_essential = c.depth_essential + excluded.depth_essential,
        depth_desirable = c.depth_desirable + excluded.depth_desirable,
        held_1 = c.held_1 + excluded.held_1, held_2 = c.held_2 + excluded.held_2,
        held_3 = c.held_3 + excluded.held_3, held_4 = c.held_4 + excluded.held_4;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

-- history_refresh recomputes the periods of the given staff (all their skills when
-- skill_ids is NULL, else the pairs staff_ids[i], skill_ids[i]) and moves the changes by
-- the difference. Called by history_flush (one at a time) and by nothing else.
CREATE OR REPLACE FUNCTION history_refresh(staff_ids bigint[], skill_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    o_org bigint[]; o_skill bigint[]; o_basis "char"[]; o_from timestamptz[]; o_to timestamptz[];
    o_req smallint[]; o_ess boolean[]; o_level smallint[];
BEGIN
    IF staff_ids IS NULL OR cardinality(staff_ids) = 0 THEN
        RETURN;
    END IF;
    WITH old AS (
        DELETE FROM workforce_history h
         USING unnest(staff_ids, COALESCE(skill_ids, array_fill(NULL::bigint, ARRAY[cardinality(staff_ids)]))) AS p (staff_id, skill_id)
         WHERE h.staff_id = p.staff_id AND (p.skill_id IS NULL OR h.skill_id = p.skill_id)
        RETURNING h.*)
    SELECT array_agg(organisation_id), array_agg(skill_id), array_agg(basis), array_agg(valid_from), array_agg(valid_to),
           array_agg(required_level), array_agg(essential), array_agg(level)
      INTO o_org, o_skill, o_basis, o_from, o_to, o_req, o_ess, o_level FROM old;
    WITH new AS (
        INSERT INTO workforce_history SELECT * FROM history_facts(staff_ids, skill_ids)
        RETURNING *)
    SELECT history_apply(o_org, o_skill, o_basis, o_from, o_to, o_req, o_ess, o_level,
                         array_agg(organisation_id), array_agg(skill_id), array_agg(basis), array_agg(valid_from),
                         array_agg(valid_to), array_agg(required_level), array_agg(essential), array_agg(level))
      INTO n FROM new;
END $$;

-- history_flush applies what is queued in history_dirty (at most max_rows entries, oldest
-- first) as workforce_flush applies workforce_dirty: whole people, then the pairs of people
-- not refreshed whole; one at a time (with wait false it returns -1 at once when another
-- is flushing). It returns how many entries it took.
CREATE OR REPLACE FUNCTION history_flush(wait boolean, max_rows integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    whole bigint[];
    pair_staff bigint[];
    pair_skills bigint[];
    taken integer;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(7301206);
    ELSIF NOT pg_try_advisory_xact_lock(7301206) THEN
        RETURN -1;
    END IF;
    WITH t AS (
        DELETE FROM history_dirty
         WHERE max_rows IS NULL OR id IN (SELECT id FROM history_dirty ORDER BY id LIMIT max_rows)
        RETURNING staff_id, skill_id)
    SELECT count(*), array_agg(DISTINCT staff_id) FILTER (WHERE skill_id IS NULL),
           array_agg(staff_id) FILTER (WHERE skill_id IS NOT NULL), array_agg(skill_id) FILTER (WHERE skill_id IS NOT NULL)
      INTO taken, whole, pair_staff, pair_skills FROM t;
    IF taken = 0 THEN
        RETURN 0;
    END IF;
    PERFORM history_refresh(whole, NULL);
    SELECT array_agg(p.staff_id), array_agg(p.skill_id) INTO pair_staff, pair_skills
      FROM (SELECT DISTINCT x.staff_id, x.skill_id FROM unnest(pair_staff, pair_skills) AS x (staff_id, skill_id)
             WHERE NOT EXISTS (SELECT 1 FROM unnest(whole) AS w (id) WHERE w.id = x.staff_id)) p;
    PERFORM history_refresh(pair_staff, pair_skills);
    RETURN taken;
END $$;

-- history_rebuild recomputes the history from scratch (workforce_rebuild calls it): the
-- people in slices of 20,000, each refreshed as the flush refreshes them, so that each
-- slice's sorts stay in memory and the changes are summed by the same code as ever.
CREATE OR REPLACE FUNCTION history_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo bigint;
    hi bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7301206); -- no history flush meanwhile
    TRUNCATE workforce_history, org_skill_changes, history_dirty;
    FOR lo, hi IN SELECT min(id), max(id) FROM (
            SELECT id, ntile(GREATEST(1, (SELECT count(*) FROM staff) / 20000)::integer) OVER (ORDER BY id) AS slice
              FROM staff) x GROUP BY slice ORDER BY 1 LOOP
        PERFORM history_refresh(ARRAY(SELECT id FROM staff WHERE id BETWEEN lo AND hi), NULL);
    END LOOP;
END $$;

-- evidence_changed (first in migration 0007) queues, for a bulk statement (more than a
-- thousand records), each person once rather than each person and skill: a million-row
-- import queues its hundred thousand people, not a million pairs, and the flush refreshes
-- them whole, which reads each person's evidence once.
CREATE OR REPLACE FUNCTION evidence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM (SELECT 1 FROM inserted LIMIT 1001) x) > 1000 THEN
        INSERT INTO workforce_dirty (staff_id) SELECT DISTINCT i.staff_id FROM inserted i;
    ELSE
        INSERT INTO workforce_dirty (staff_id, skill_id)
        SELECT DISTINCT i.staff_id, k.effective_id FROM inserted i JOIN skills k ON k.id = i.skill_id;
    END IF;
    RETURN NULL;
END $$;

-- staff_inserted (first in migration 0007) queues leavers too: the history counts
-- everyone by their dates, whatever their status.
CREATE OR REPLACE FUNCTION staff_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM headcount_apply(array_agg(organisation_id), 1) FROM inserted WHERE status = 'active';
    INSERT INTO workforce_dirty (staff_id) SELECT id FROM inserted;
    RETURN NULL;
END $$;

-- staff_updated (first in migration 0007) also queues people whose start or end date
-- changed: the history counts them by their dates.
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
     WHERE (o.organisation_id, o.role_id, o.status, o.start_date, o.end_date)
           IS DISTINCT FROM (n.organisation_id, n.role_id, n.status, n.start_date, n.end_date);
    RETURN NULL;
END $$;

-- role_requirements_changed and skills_superseded (first in migration 0007) queue every
-- holder of the role, leavers too: a report on a past date judges the people employed then
-- by their current role's requirements, so their history changes with them.
CREATE OR REPLACE FUNCTION role_requirements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s WHERE s.role_id IN (SELECT role_id FROM inserted);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s WHERE s.role_id IN (SELECT role_id FROM removed);
    ELSE
        INSERT INTO workforce_dirty (staff_id)
        SELECT s.id FROM staff s
         WHERE s.role_id IN (SELECT role_id FROM inserted UNION SELECT role_id FROM removed);
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
     WHERE r.skill_id IN (SELECT n.id FROM inserted n JOIN removed o ON o.id = n.id WHERE n.effective_id <> o.effective_id);
    RETURN NULL;
END $$;

-- workforce_rebuild (first in migration 0007) recomputes the ledger, the counts, the
-- headcounts and the history from scratch: after bulk loads that bypass the triggers, or
-- to repair.
CREATE OR REPLACE FUNCTION workforce_rebuild(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo bigint;
    hi bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7301204); -- no flush meanwhile
    LOCK TABLE workforce_skills, org_skill_stats, org_headcount, workforce_history IN EXCLUSIVE MODE;
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
    PERFORM history_rebuild();
END $$;
