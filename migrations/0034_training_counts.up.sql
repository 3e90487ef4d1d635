-- training_counts is training_status (migration 0032) counted, for many roots at once: the
-- national assurance statistics judge every organisation of a type, and training_status,
-- called once per organisation, looks each person up in evidence again at each instant
-- (tens of seconds at the NHS's size). Here the evidence of the required skills is read
-- once and hash-joined to the people who need it, and only the counts come out: no
-- per-person rows. training_status stays the rule for one organisation (its B6 report,
-- which also needs each person's dates); a parity test (repository/training_counts_test.go)
-- holds the two together.
--
-- training_counts counts, for each root, instant and audience (staff group), the people
-- training_status(root, 0, instants) judges (headcount) and those of them in date at that
-- instant (valid_until after it): a semi-join of each need at each instant against the
-- records of its person, so the work grows with the number of instants; it is meant for a
-- few (the statistics ask for two). roots must not repeat; a person in two roots' subtrees
-- counts for each.
--
-- It is PL/pgSQL so that it is planned for the values it is given (force_custom_plan): a
-- LANGUAGE sql function called with a subquery for roots is not inlined and is planned
-- for an unknown array. Even then the people are underestimated twentyfold (a trust's
-- subtree employs far more than the average organisation), and expecting a few thousand
-- needs the planner looks each person up in evidence again, as training_status does:
-- nested loops and merge joins are off, so every join over people and evidence is a hash
-- join (the joins that need a nested loop, over the instants and each root's
-- requirements, still get one).
CREATE FUNCTION training_counts(roots bigint[], instants timestamptz[])
RETURNS TABLE (root bigint, instant integer, audience text, headcount integer, in_date integer)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan SET enable_nestloop = off SET enable_mergejoin = off AS $$
#variable_conflict use_column
DECLARE
    -- the skills whose records may count: the required ones, and those superseded by them
    skill_ids bigint[];
    longest_refresh integer;
    -- no record assessed before earliest (the longest refresh period before the first
    -- instant, and a day to spare for month arithmetic) or expired by the first instant is
    -- in date at any instant, and none assessed after the last (latest) counts yet
    first_instant timestamptz;
    earliest timestamptz;
    latest timestamptz;
BEGIN
    SELECT array_agg(DISTINCT k.id), max(q.refresh_months) INTO skill_ids, longest_refresh
      FROM training_requirements_of(roots) q
      JOIN skills rk ON rk.id = q.skill_id
      JOIN skills k ON k.effective_id = rk.effective_id;
    SELECT min(u.at), max(u.at) INTO first_instant, latest FROM unnest(instants) AS u (at);
    earliest := first_instant - make_interval(months => longest_refresh, days => 1);
    RETURN QUERY
    -- the requirement in force for each root and audience, found once per root (inlined,
    -- its nearest-override lookup would run once per person)
    WITH req AS MATERIALIZED (
        SELECT q.organisation_id AS root, q.audience, q.level, q.refresh_months, rk.effective_id
          FROM training_requirements_of(roots) q JOIN skills rk ON rk.id = q.skill_id),
    -- everyone employed in a root's subtree at some time, with their job role's code
    people AS (
        SELECT t.ancestor_id AS root, s.id, s.start_date, s.end_date, COALESCE(r.code, '') AS role_code
          FROM organisation_tree t
          JOIN staff s ON s.organisation_id = t.descendant_id AND (s.status = 'active' OR s.end_date IS NOT NULL)
          LEFT JOIN job_roles r ON r.id = s.role_id
         WHERE t.ancestor_id = ANY (roots)),
    -- who needs what, whatever the instant: everyone all_staff, and each key role their job
    -- role carries (by root's flags for its code) or they are appointed to, once
    needs AS (
        SELECT p.root, p.id, p.start_date, p.end_date, 'all_staff' AS audience FROM people p
         UNION ALL
        (SELECT p.root, p.id, p.start_date, p.end_date, f.audience
           FROM people p
           JOIN (SELECT k.organisation_id, k.role_code, unnest(k.key_roles) AS audience FROM key_role_flags_of(roots) k) f
                ON f.organisation_id = p.root AND f.role_code = p.role_code
          WHERE f.audience <> 'all_staff'
          UNION
         SELECT p.root, p.id, p.start_date, p.end_date, a.key_role
           FROM people p JOIN key_role_staff a ON a.staff_id = p.id
          WHERE a.key_role <> 'all_staff')),
    -- the records that may keep someone in date: of a required skill (after
    -- supersession), not self-assessed, with when they were first retracted
    records AS (
        SELECT e.staff_id, k.effective_id, e.level, e.assessed_at, e.expires_at, x.retracted_at
          FROM evidence e
          JOIN skills k ON k.id = e.skill_id
          LEFT JOIN (SELECT r.retracts_id, min(r.assessed_at) AS retracted_at
                       FROM evidence r WHERE r.retracts_id IS NOT NULL GROUP BY r.retracts_id) x ON x.retracts_id = e.id
         WHERE e.skill_id = ANY (skill_ids) AND e.retracts_id IS NULL AND e.source <> 'self'
           AND e.assessed_at > earliest AND e.assessed_at <= latest
           AND (e.expires_at IS NULL OR e.expires_at > first_instant)),
    -- each need at each instant its person is employed at (read from start and end dates)
    judged AS (
        SELECT n.root, m.i, m.at, n.id, n.audience, q.effective_id, q.level, q.refresh_months
          FROM needs n
          JOIN (SELECT u.i::int AS i, u.at, (u.at AT TIME ZONE 'UTC')::date AS day
                  FROM unnest(instants) WITH ORDINALITY AS u (at, i)) m
               ON (n.start_date IS NULL OR n.start_date <= m.day) AND (n.end_date IS NULL OR n.end_date > m.day)
          JOIN req q ON q.root = n.root AND q.audience = n.audience)
    SELECT c.root, c.i, c.audience, sum(c.headcount)::int, sum(c.in_date)::int
      FROM (SELECT j.root, j.i, j.audience, count(*) AS headcount, 0 AS in_date FROM judged j GROUP BY 1, 2, 3
             UNION ALL
            -- in date: a record at the required level or above was assessed by the instant,
            -- not retracted by then, and is within its refresh period and unexpired (a
            -- semi-join: each need once, however many records keep it in date)
            SELECT j.root, j.i, j.audience, 0, count(*)
              FROM judged j
             WHERE EXISTS (SELECT 1 FROM records c
                            WHERE c.staff_id = j.id AND c.effective_id = j.effective_id AND c.level >= j.level
                              AND c.assessed_at <= j.at AND (c.retracted_at IS NULL OR c.retracted_at > j.at)
                              AND LEAST(c.assessed_at + make_interval(months => j.refresh_months),
                                        COALESCE(c.expires_at, 'infinity'::timestamptz)) > j.at)
             GROUP BY 1, 2, 3) c
     GROUP BY c.root, c.i, c.audience;
END $$;
