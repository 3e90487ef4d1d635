-- training_counts is training_status (migration 0032) counted, for many roots at once: the
-- national assurance statistics judge every organisation of a type, and training_status,
-- called once per organisation, looks each person up in evidence again at each instant
-- (tens of seconds at the NHS's size). Here the evidence of the required skills is read
-- once and hash-joined to the people who need it, and only the counts come out: no
-- per-person rows. It is one query, without CTEs, so that the planner estimates every
-- join from the tables' statistics. training_status stays the rule for one organisation
-- (its B6 report, which also needs each person's dates); a parity test
-- (repository/training_counts_test.go) holds the two together.
--
-- training_counts counts, for each root, instant and audience (staff group), the people
-- training_status(root, 0, instants) judges (headcount) and those of them in date at that
-- instant (valid_until after it). Each record is joined to each instant of its person, so
-- the work grows with the number of instants: it is meant for a few (the statistics ask
-- for two). roots must not repeat; a person in two roots' subtrees counts for each.
CREATE FUNCTION training_counts(roots bigint[], instants timestamptz[])
RETURNS TABLE (root bigint, instant integer, audience text, headcount integer, in_date integer)
LANGUAGE sql STABLE AS $$
    SELECT j.root, j.i, j.audience, count(*)::int, count(*) FILTER (WHERE j.in_date)::int
      FROM (SELECT n.root, m.i, n.id, n.audience, count(e.staff_id) > 0 AS in_date
              FROM (-- who needs what, whatever the instant: everyone all_staff, and each
                    -- key role their job role carries (by root's flags for its code) or
                    -- they are appointed to, once
                    SELECT t.ancestor_id AS root, s.id, s.start_date, s.end_date, 'all_staff' AS audience
                      FROM organisation_tree t
                      JOIN staff s ON s.organisation_id = t.descendant_id AND (s.status = 'active' OR s.end_date IS NOT NULL)
                     WHERE t.ancestor_id = ANY (roots)
                     UNION ALL
                    (SELECT t.ancestor_id, s.id, s.start_date, s.end_date, f.audience
                       FROM organisation_tree t
                       JOIN staff s ON s.organisation_id = t.descendant_id AND (s.status = 'active' OR s.end_date IS NOT NULL)
                       LEFT JOIN job_roles r ON r.id = s.role_id
                       JOIN (SELECT k.organisation_id, k.role_code, unnest(k.key_roles) AS audience
                               FROM key_role_flags_of(roots) k) f ON f.organisation_id = t.ancestor_id AND f.role_code = COALESCE(r.code, '')
                      WHERE t.ancestor_id = ANY (roots) AND f.audience <> 'all_staff'
                      UNION
                     SELECT t.ancestor_id, s.id, s.start_date, s.end_date, a.key_role
                       FROM organisation_tree t
                       JOIN staff s ON s.organisation_id = t.descendant_id AND (s.status = 'active' OR s.end_date IS NOT NULL)
                       JOIN key_role_staff a ON a.staff_id = s.id
                      WHERE t.ancestor_id = ANY (roots) AND a.key_role <> 'all_staff')) n
              -- employed at the instant, read from start and end dates
              JOIN (SELECT u.i::int AS i, u.at, (u.at AT TIME ZONE 'UTC')::date AS day
                      FROM unnest(instants) WITH ORDINALITY AS u (at, i)) m
                   ON (n.start_date IS NULL OR n.start_date <= m.day) AND (n.end_date IS NULL OR n.end_date > m.day)
              JOIN training_requirements_of(roots) q ON q.organisation_id = n.root AND q.audience = n.audience
              JOIN skills rk ON rk.id = q.skill_id
              -- the records that keep them in date at the instant: of the required skill
              -- (after supersession) at its level or above, not self-assessed, assessed by
              -- the instant and not retracted by then, within the refresh period and unexpired
              LEFT JOIN (SELECT e.staff_id, k.effective_id, e.level, e.assessed_at, e.expires_at, x.retracted_at
                           FROM evidence e
                           JOIN skills k ON k.id = e.skill_id
                           LEFT JOIN (SELECT r.retracts_id, min(r.assessed_at) AS retracted_at
                                        FROM evidence r WHERE r.retracts_id IS NOT NULL GROUP BY r.retracts_id) x
                                  ON x.retracts_id = e.id
                          WHERE e.retracts_id IS NULL AND e.source <> 'self'
                            AND k.effective_id IN (SELECT rq.effective_id FROM training_requirements_of(roots) tr
                                                     JOIN skills rq ON rq.id = tr.skill_id)) e
                     ON e.staff_id = n.id AND e.effective_id = rk.effective_id AND e.level >= q.level
                    AND e.assessed_at <= m.at AND (e.retracted_at IS NULL OR e.retracted_at > m.at)
                    AND LEAST(e.assessed_at + make_interval(months => q.refresh_months),
                              COALESCE(e.expires_at, 'infinity'::timestamptz)) > m.at
             GROUP BY n.root, m.i, n.id, n.audience) j
     GROUP BY j.root, j.i, j.audience
$$;
