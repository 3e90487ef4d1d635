-- The gap engine keeps, for every organisation and skill, the additive counts that gap
-- reports and national statistics read (models.SkillCounts). They are maintained by
-- statement-level triggers as staff, role requirements, evidence and skills change, so
-- every write path (API, bulk COPY, generator) keeps them right, and a periodic sweep
-- handles the passing of time (evidence expiring, leavers' end dates).
--
-- workforce_skills is the ledger behind the counts: one row per active staff member and
-- skill they need or hold, with what was counted. Refreshing a person deletes their rows
-- (subtracting them from the counts) and inserts them afresh (adding them back).
CREATE TABLE workforce_skills (
    staff_id        bigint NOT NULL,
    skill_id        bigint NOT NULL,
    organisation_id bigint NOT NULL,
    required_level  smallint NOT NULL DEFAULT 0,
    essential       boolean NOT NULL DEFAULT false,
    level           smallint NOT NULL DEFAULT 0,
    level_until     timestamptz,
    PRIMARY KEY (staff_id, skill_id)
);
CREATE INDEX workforce_skills_organisation_idx ON workforce_skills (organisation_id, skill_id, level);
CREATE INDEX workforce_skills_until_idx ON workforce_skills (level_until) WHERE level_until IS NOT NULL;

CREATE TABLE org_skill_stats (
    organisation_id    bigint NOT NULL,
    skill_id           bigint NOT NULL,
    demand             integer NOT NULL DEFAULT 0,
    supply             integer NOT NULL DEFAULT 0,
    demand_essential   integer NOT NULL DEFAULT 0,
    supply_essential   integer NOT NULL DEFAULT 0,
    required_essential integer NOT NULL DEFAULT 0,
    required_desirable integer NOT NULL DEFAULT 0,
    depth_essential    integer NOT NULL DEFAULT 0,
    depth_desirable    integer NOT NULL DEFAULT 0,
    held_1             integer NOT NULL DEFAULT 0,
    held_2             integer NOT NULL DEFAULT 0,
    held_3             integer NOT NULL DEFAULT 0,
    held_4             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, skill_id)
);

CREATE TABLE org_headcount (
    organisation_id bigint PRIMARY KEY,
    active_staff    integer NOT NULL DEFAULT 0
);

-- skill_counts sums ledger rows (active staff x skill: required level, essential, held
-- level) into the counts of each organisation and skill: the one definition of the
-- aggregation, used to maintain the counts and to compute them for other bases or dates.
CREATE FUNCTION skill_counts(orgs bigint[], skills bigint[], required smallint[], essential boolean[],
                             levels smallint[]) RETURNS SETOF org_skill_stats LANGUAGE sql IMMUTABLE AS $$
    SELECT o, k,
           (count(*) FILTER (WHERE req > 0))::integer,
           (count(*) FILTER (WHERE req > 0 AND lvl >= req))::integer,
           (count(*) FILTER (WHERE req > 0 AND ess))::integer,
           (count(*) FILTER (WHERE req > 0 AND ess AND lvl >= req))::integer,
           COALESCE(sum(req) FILTER (WHERE req > 0 AND ess), 0)::integer,
           COALESCE(sum(req) FILTER (WHERE req > 0 AND NOT ess), 0)::integer,
           COALESCE(sum(GREATEST(req - lvl, 0)) FILTER (WHERE req > 0 AND ess), 0)::integer,
           COALESCE(sum(GREATEST(req - lvl, 0)) FILTER (WHERE req > 0 AND NOT ess), 0)::integer,
           (count(*) FILTER (WHERE lvl = 1))::integer, (count(*) FILTER (WHERE lvl = 2))::integer,
           (count(*) FILTER (WHERE lvl = 3))::integer, (count(*) FILTER (WHERE lvl = 4))::integer
      FROM unnest(orgs, skills, required, essential, levels) AS u (o, k, req, ess, lvl)
     GROUP BY o, k
$$;

-- stats_apply adds (sign = 1) or subtracts (sign = -1) a set of ledger rows to the counts.
-- The functions on the write path are PL/pgSQL rather than SQL so that their plans are
-- cached per connection: planning these queries afresh on every write costs more than
-- running them.
CREATE FUNCTION stats_apply(orgs bigint[], skills bigint[], required smallint[], essential boolean[],
                            levels smallint[], sign integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    WITH applied AS (
    INSERT INTO org_skill_stats AS s
    SELECT c.organisation_id, c.skill_id, sign * c.demand, sign * c.supply, sign * c.demand_essential,
           sign * c.supply_essential, sign * c.required_essential, sign * c.required_desirable,
           sign * c.depth_essential, sign * c.depth_desirable,
           sign * c.held_1, sign * c.held_2, sign * c.held_3, sign * c.held_4
      FROM skill_counts(orgs, skills, required, essential, levels) c
     ORDER BY c.organisation_id, c.skill_id
    ON CONFLICT (organisation_id, skill_id) DO UPDATE SET
        demand = s.demand + excluded.demand,
        supply = s.supply + excluded.supply,
        demand_essential = s.demand_essential + excluded.demand_essential,
        supply_essential = s.supply_essential + excluded.supply_essential,
        required_essential = s.required_essential + excluded.required_essential,
        required_desirable = s.required_desirable + excluded.required_desirable,
        depth_essential = s.depth_essential + excluded.depth_essential,
        depth_desirable = s.depth_desirable + excluded.depth_desirable,
        held_1 = s.held_1 + excluded.held_1, held_2 = s.held_2 + excluded.held_2,
        held_3 = s.held_3 + excluded.held_3, held_4 = s.held_4 + excluded.held_4
    RETURNING 1)
    SELECT count(*)::integer INTO n FROM applied;
    RETURN n;
END $$;

-- workforce_facts computes ledger rows for the given staff at a moment: for each person,
-- every skill their role requires or they hold, with the level on a basis (verified, self
-- or any). Callers choose the staff: the active ones for the maintained counts, those
-- employed on a past date for a report as of that date.
CREATE FUNCTION workforce_facts(staff_ids bigint[], at timestamptz, basis text DEFAULT 'verified')
RETURNS TABLE (staff_id bigint, skill_id bigint, organisation_id bigint, required_level smallint,
               essential boolean, level smallint, level_until timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH st AS (
            SELECT s.id, s.organisation_id, s.role_id FROM unnest(staff_ids) AS p (id) JOIN staff s ON s.id = p.id
        ), req AS (
            SELECT st.id AS staff_id, k.effective_id AS skill_id, max(r.level) AS level,
                   bool_or(r.criticality = 'essential') AS essential
              FROM st JOIN role_requirements r ON r.role_id = st.role_id JOIN skills k ON k.id = r.skill_id
             GROUP BY 1, 2
        ), lev AS (
            SELECT l.staff_id, l.skill_id, l.verified_until,
                   CASE basis WHEN 'self' THEN COALESCE(l.self_level, 0) WHEN 'any' THEN l.any_level ELSE l.verified END AS level
              FROM evidence_levels(staff_ids, at) l
        )
        SELECT st.id, COALESCE(req.skill_id, lev.skill_id), st.organisation_id,
               COALESCE(req.level, 0)::smallint, COALESCE(req.essential, false),
               COALESCE(lev.level, 0)::smallint, CASE WHEN basis = 'verified' THEN lev.verified_until END
          FROM req FULL JOIN (SELECT * FROM lev WHERE lev.level > 0) lev ON lev.staff_id = req.staff_id AND lev.skill_id = req.skill_id
          JOIN st ON st.id = COALESCE(req.staff_id, lev.staff_id);
END $$;

-- workforce_refresh recomputes the ledger rows of the given staff (all their skills when
-- skill_ids is NULL, else the pairs staff_ids[i], skill_ids[i]) and moves the counts by
-- the difference. Only workforce_flush (one at a time) and workforce_rebuild call it, so
-- two refreshes never count one person twice.
CREATE FUNCTION workforce_refresh(staff_ids bigint[], skill_ids bigint[], at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    IF staff_ids IS NULL OR cardinality(staff_ids) = 0 THEN
        RETURN;
    END IF;
    IF skill_ids IS NULL THEN
        WITH old AS (
            DELETE FROM workforce_skills w USING unnest(staff_ids) AS p (id) WHERE w.staff_id = p.id RETURNING w.*)
        SELECT stats_apply(array_agg(organisation_id), array_agg(skill_id), array_agg(required_level),
                           array_agg(essential), array_agg(level), -1) INTO n FROM old;
        WITH new AS (
            INSERT INTO workforce_skills
            SELECT * FROM workforce_facts(ARRAY(SELECT s.id FROM unnest(staff_ids) AS p (id) JOIN staff s ON s.id = p.id
                                                WHERE s.status = 'active'), at)
            RETURNING *)
        SELECT stats_apply(array_agg(organisation_id), array_agg(skill_id), array_agg(required_level),
                           array_agg(essential), array_agg(level), 1) INTO n FROM new;
    ELSE
        WITH pairs AS (SELECT * FROM unnest(staff_ids, skill_ids) AS p (staff_id, skill_id)),
        old AS (
            DELETE FROM workforce_skills w USING pairs p
             WHERE w.staff_id = p.staff_id AND w.skill_id = p.skill_id RETURNING w.*)
        SELECT stats_apply(array_agg(organisation_id), array_agg(skill_id), array_agg(required_level),
                           array_agg(essential), array_agg(level), -1) INTO n FROM old;
        WITH pairs AS (SELECT * FROM unnest(staff_ids, skill_ids) AS p (staff_id, skill_id)),
        new AS (
            INSERT INTO workforce_skills
            SELECT f.* FROM workforce_facts(ARRAY(SELECT id FROM staff WHERE id IN (SELECT staff_id FROM pairs) AND status = 'active'), at) f
             WHERE (f.staff_id, f.skill_id) IN (SELECT staff_id, skill_id FROM pairs)
            RETURNING *)
        SELECT stats_apply(array_agg(organisation_id), array_agg(skill_id), array_agg(required_level),
                           array_agg(essential), array_agg(level), 1) INTO n FROM new;
    END IF;
END $$;

-- Triggers: every statement that changes what the counts depend on queues the people (and,
-- for evidence, the skills) it touches in workforce_dirty; workforce_flush refreshes the
-- queue in one set-based pass. Writers stay cheap (a write adds a queue row, never waits
-- on an organisation's counts), and a thousand writes a second share a few refreshes.
-- The server flushes every quarter of a second, and reports flush before they read, so a
-- report reflects what was written before it.
CREATE TABLE workforce_dirty (
    staff_id  bigint NOT NULL,
    skill_id  bigint, -- NULL: every skill of the person
    queued_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION evidence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workforce_dirty (staff_id, skill_id)
    SELECT DISTINCT i.staff_id, k.effective_id FROM inserted i JOIN skills k ON k.id = i.skill_id;
    RETURN NULL;
END $$;
CREATE TRIGGER evidence_changed AFTER INSERT ON evidence
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed();

-- headcount_apply moves the active headcount of organisations by the given rows.
CREATE FUNCTION headcount_apply(orgs bigint[], sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO org_headcount AS h (organisation_id, active_staff)
    SELECT o, sign * count(*) FROM unnest(orgs) AS u (o) GROUP BY o ORDER BY o
    ON CONFLICT (organisation_id) DO UPDATE SET active_staff = h.active_staff + excluded.active_staff;
END $$;

CREATE FUNCTION staff_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM headcount_apply(array_agg(organisation_id), 1) FROM inserted WHERE status = 'active';
    INSERT INTO workforce_dirty (staff_id) SELECT id FROM inserted WHERE status = 'active';
    RETURN NULL;
END $$;
CREATE TRIGGER staff_inserted AFTER INSERT ON staff
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION staff_inserted();

CREATE FUNCTION staff_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER staff_updated AFTER UPDATE ON staff
    REFERENCING OLD TABLE AS removed NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION staff_updated();

CREATE FUNCTION staff_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM headcount_apply(array_agg(organisation_id), -1) FROM removed WHERE status = 'active';
    INSERT INTO workforce_dirty (staff_id) SELECT id FROM removed;
    RETURN NULL;
END $$;
CREATE TRIGGER staff_deleted AFTER DELETE ON staff
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION staff_deleted();

-- role_requirements_changed queues every active holder of the roles whose requirements changed.
CREATE FUNCTION role_requirements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER role_requirements_inserted AFTER INSERT ON role_requirements
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION role_requirements_changed();
CREATE TRIGGER role_requirements_updated AFTER UPDATE ON role_requirements
    REFERENCING OLD TABLE AS removed NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION role_requirements_changed();
CREATE TRIGGER role_requirements_deleted AFTER DELETE ON role_requirements
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION role_requirements_changed();

-- skills_superseded queues everyone whose evidence or requirements count towards a skill
-- whose effective skill changed (a framework version superseded it).
CREATE FUNCTION skills_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER skills_superseded AFTER UPDATE ON skills
    REFERENCING OLD TABLE AS removed NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION skills_superseded();

-- workforce_flush refreshes what is queued (at most max_rows entries), in one
-- transaction: whole people first, then the person-and-skill pairs of people not already
-- refreshed whole. One flusher at a time: with wait false it returns at once (-1) when
-- another is flushing, so that a report can read what is there instead of queueing. It
-- returns how many queue entries it took.
CREATE FUNCTION workforce_flush(wait boolean, at timestamptz DEFAULT now(), max_rows integer DEFAULT NULL)
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
-- workforce_sweep applies the passing of time: leavers whose end date has come stop
-- counting, and levels whose evidence has expired are recomputed. It returns how many
-- ledger rows it refreshed. The server runs it every minute.
CREATE FUNCTION workforce_sweep(at timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    UPDATE staff SET status = 'leaver', updated_at = now()
     WHERE status = 'active' AND end_date IS NOT NULL AND end_date <= at::date;
    INSERT INTO workforce_dirty (staff_id, skill_id)
    SELECT staff_id, skill_id FROM workforce_skills WHERE level_until <= at;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM workforce_flush(true, at);
    RETURN n;
END $$;

-- workforce_rebuild recomputes the ledger, the counts and the headcounts from scratch:
-- after bulk loads that bypass the triggers, or to repair.
CREATE FUNCTION workforce_rebuild(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
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

-- Capability targets: at least min_headcount people at min_level or above in a skill.
-- Defaults by organisation type, size band and skill tier ship with the service; an
-- organisation's own targets override them skill by skill (min_headcount 0 switches one off).
CREATE TABLE default_targets (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_type      text NOT NULL,
    size_bands    text[],             -- NULL: every size band
    tier          text NOT NULL,
    min_level     smallint NOT NULL,
    min_headcount integer NOT NULL,
    CONSTRAINT default_targets_min_level_check CHECK (min_level BETWEEN 1 AND 4),
    CONSTRAINT default_targets_min_headcount_check CHECK (min_headcount >= 0)
);

CREATE TABLE capability_targets (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    skill_id        bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    min_level       smallint NOT NULL,
    min_headcount   integer NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, skill_id),
    CONSTRAINT capability_targets_min_level_check CHECK (min_level BETWEEN 1 AND 4),
    CONSTRAINT capability_targets_min_headcount_check CHECK (min_headcount >= 0)
);

-- A skill covered by an external provider (a managed service) is reported but not counted
-- as a gap until the contract ends (on contract_end, the skill counts again).
CREATE TABLE external_coverage (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    skill_id        bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    provider        text NOT NULL,
    contract_end    date,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, skill_id),
    CONSTRAINT external_coverage_provider_check CHECK (length(provider) BETWEEN 1 AND 200)
);

-- size_band_of is an organisation's size band: as declared, else from its declared
-- headcount, else from its active staff.
CREATE FUNCTION size_band_of(declared text, headcount integer, active_staff integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(declared, CASE
        WHEN COALESCE(headcount, active_staff, 0) < 10 THEN 'micro'
        WHEN COALESCE(headcount, active_staff, 0) < 50 THEN 'small'
        WHEN COALESCE(headcount, active_staff, 0) < 250 THEN 'medium'
        WHEN COALESCE(headcount, active_staff, 0) < 5000 THEN 'large'
        ELSE 'very_large' END)
$$;

-- org_targets_of lists the capability targets in force for the given organisations (the
-- active ones): their own, and the defaults of their type and size band for the default
-- framework's current skills where they have none of their own. Taking the organisations
-- as an argument keeps every branch to those organisations.
CREATE FUNCTION org_targets_of(orgs bigint[])
RETURNS TABLE (organisation_id bigint, skill_id bigint, min_level smallint, min_headcount integer, source text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH o AS (
        SELECT x.id, x.type, size_band_of(x.size_band, x.headcount, h.active_staff) AS band
          FROM unnest(orgs) AS u (id) JOIN organisations x ON x.id = u.id
          LEFT JOIN org_headcount h ON h.organisation_id = x.id
         WHERE x.active
    ), own AS (
        SELECT c.organisation_id, c.skill_id, c.min_level, c.min_headcount
          FROM o JOIN capability_targets c ON c.organisation_id = o.id
    ), defaults AS (
        SELECT o.id AS organisation_id, k.id AS skill_id, d.min_level, d.min_headcount
          FROM o
          JOIN default_targets d ON d.org_type = o.type AND (d.size_bands IS NULL OR o.band = ANY (d.size_bands))
          JOIN skills k ON k.tier = d.tier AND k.status = 'active' AND k.effective_id = k.id
           AND k.framework_id = (SELECT f.id FROM frameworks f WHERE f.is_default ORDER BY f.id LIMIT 1)
    )
    SELECT own.organisation_id, own.skill_id, own.min_level, own.min_headcount, 'organisation'::text FROM own
    UNION ALL
    SELECT d.organisation_id, d.skill_id, d.min_level, d.min_headcount, 'default'::text
      FROM defaults d LEFT JOIN own ON own.organisation_id = d.organisation_id AND own.skill_id = d.skill_id
     WHERE own.organisation_id IS NULL;
END $$;

-- skill_gap is the gap rule of models.EvaluateSkill in SQL, for roll-ups and statistics
-- over many organisations: an unmet essential requirement or an unmet target makes a gap,
-- unless the skill is covered externally.
CREATE FUNCTION skill_gap(demand_essential integer, supply_essential integer,
                          held_1 integer, held_2 integer, held_3 integer, held_4 integer,
                          min_level integer, min_headcount integer, covered boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT NOT COALESCE(covered, false) AND (
        COALESCE(demand_essential, 0) > COALESCE(supply_essential, 0)
        OR (min_level IS NOT NULL AND
            (CASE WHEN min_level <= 1 THEN COALESCE(held_1, 0) ELSE 0 END
           + CASE WHEN min_level <= 2 THEN COALESCE(held_2, 0) ELSE 0 END
           + CASE WHEN min_level <= 3 THEN COALESCE(held_3, 0) ELSE 0 END
           + COALESCE(held_4, 0)) < min_headcount))
$$;

-- The default capability targets that ship with the service. Every trust needs each
-- basic-tier and incident-response skill held at Practitioner (3) by at least two people,
-- and, once large enough to warrant it (250 staff or more), each advanced skill by one.
-- Practices and other small bodies need the basics at Working level (2) by one person.
-- Regions, ICBs and departments have none of their own: their figures roll up.
INSERT INTO default_targets (org_type, size_bands, tier, min_level, min_headcount) VALUES
    ('trust', NULL, 'basic', 3, 2),
    ('trust', NULL, 'incident_response', 3, 2),
    ('trust', ARRAY['large', 'very_large'], 'advanced', 3, 1),
    ('practice', NULL, 'basic', 2, 1),
    ('practice', NULL, 'incident_response', 2, 1),
    ('other', NULL, 'basic', 2, 1);
