-- training_status's live definition. Migration 0030 created it and 0032 gave it
-- cover_since (a change of columns, which only a DROP and CREATE can make: a numbered
-- migration's job); from here on its body changes in this file.

-- training_status judges, at each of the instants given, the training of every person
-- employed in root's subtree (within the scope root's subtree; 0: no scope) against each
-- requirement in force for root that applies to them: everyone's (all_staff), the key
-- roles their job role carries, and those they are appointed to. A record counts when it
-- is evidence of the required skill (after supersession) at the required level or above,
-- from any source but self, assessed at or before the instant and not retracted by then;
-- it keeps the person in date until refresh_months after it was assessed, or its expiry
-- if sooner. valid_until is the latest such moment (NULL: never trained), last_trained
-- the latest such record's date, and cover_since the start of the last unbroken cover: the
-- latest record assessed when no earlier one was still in force (while in date, since when
-- they have been without a break). Employment is read from start and end dates, as a past
-- gap report reads it, so that every instant is judged alike; a leaver with no end date
-- has no known employment and is left out.
CREATE OR REPLACE FUNCTION training_status(root bigint, scope_root bigint, instants timestamptz[])
RETURNS TABLE (instant integer, at timestamptz, staff_id bigint, organisation_id bigint, role_code text,
               audience text, last_trained timestamptz, valid_until timestamptz, cover_since timestamptz)
LANGUAGE sql STABLE AS $$
    WITH subtree AS (
        SELECT t.descendant_id AS id FROM organisation_tree t
         WHERE t.ancestor_id = root
           AND (scope_root = 0 OR t.descendant_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = scope_root))),
    req AS (SELECT * FROM training_requirements_of(ARRAY[root])),
    flags AS (SELECT f.role_code, unnest(f.key_roles) AS audience FROM key_role_flags_of(ARRAY[root]) f),
    moments AS (SELECT u.i::int AS i, u.at FROM unnest(instants) WITH ORDINALITY AS u (at, i)),
    people AS (
        SELECT m.i, m.at, s.id, s.organisation_id, COALESCE(r.code, '') AS role_code
          FROM moments m
          JOIN staff s ON s.organisation_id IN (SELECT id FROM subtree)
                      AND (s.start_date IS NULL OR s.start_date <= (m.at AT TIME ZONE 'UTC')::date)
                      AND (s.end_date IS NULL OR s.end_date > (m.at AT TIME ZONE 'UTC')::date)
                      AND (s.status = 'active' OR s.end_date IS NOT NULL)
          LEFT JOIN job_roles r ON r.id = s.role_id),
    needs AS (
        SELECT p.*, 'all_staff' AS audience FROM people p
        UNION
        SELECT p.*, f.audience FROM people p JOIN flags f ON f.role_code = p.role_code
        UNION
        SELECT p.*, a.key_role FROM people p JOIN key_role_staff a ON a.staff_id = p.id)
    SELECT n.i, n.at, n.id, n.organisation_id, n.role_code, n.audience, t.last_trained, t.valid_until, t.cover_since
      FROM needs n
      JOIN req q ON q.audience = n.audience
      JOIN skills rk ON rk.id = q.skill_id
      LEFT JOIN LATERAL (
            SELECT max(c.assessed_at) AS last_trained, max(c.valid_until) AS valid_until,
                   max(c.assessed_at) FILTER (WHERE c.starts_cover) AS cover_since
              FROM (SELECT r.*,
                           -- a record starts a cover unless an earlier one still covers its start
                           r.assessed_at > COALESCE(max(r.valid_until) OVER (ORDER BY r.assessed_at
                                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), '-infinity') AS starts_cover
                      FROM (SELECT e.assessed_at,
                                   LEAST(e.assessed_at + make_interval(months => q.refresh_months),
                                         COALESCE(e.expires_at, 'infinity'::timestamptz)) AS valid_until
                              FROM evidence e JOIN skills k ON k.id = e.skill_id
                             WHERE e.staff_id = n.id AND k.effective_id = rk.effective_id
                               AND e.retracts_id IS NULL AND e.source <> 'self' AND e.level >= q.level AND e.assessed_at <= n.at
                               AND NOT EXISTS (SELECT 1 FROM evidence x WHERE x.retracts_id = e.id AND x.assessed_at <= n.at)) r) c) t ON true
$$;
