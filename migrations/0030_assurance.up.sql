-- Assurance (CAF B6, the DSPT's staff awareness and training outcome): what training each
-- staff group needs (a training needs analysis), who belongs to the key roles, and the
-- functions that judge, at any moment, whether each person's training is in date.

-- A staff group ("audience") needs a skill at a level, refreshed every refresh_months:
-- all_staff is everyone; the others are the key roles. Defaults ship with the service
-- (repository/defaults/assurance.json, which the table follows); an organisation's own
-- requirement replaces the default for itself and everything below it.
CREATE TABLE default_training_requirements (
    audience       text PRIMARY KEY,
    skill_id       bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    level          smallint NOT NULL,
    refresh_months integer NOT NULL,
    reason         text NOT NULL,
    CONSTRAINT default_training_requirements_audience_check CHECK (audience IN
        ('all_staff', 'siro', 'caldicott_guardian', 'dpo', 'ig_lead', 'it_security', 'privileged_user')),
    CONSTRAINT default_training_requirements_level_check CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT default_training_requirements_refresh_check CHECK (refresh_months BETWEEN 1 AND 120)
);

CREATE TABLE training_requirements (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    audience        text NOT NULL,
    skill_id        bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    level           smallint NOT NULL,
    refresh_months  integer NOT NULL,
    reason          text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, audience),
    CONSTRAINT training_requirements_audience_check CHECK (audience IN
        ('all_staff', 'siro', 'caldicott_guardian', 'dpo', 'ig_lead', 'it_security', 'privileged_user')),
    CONSTRAINT training_requirements_level_check CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT training_requirements_refresh_check CHECK (refresh_months BETWEEN 1 AND 120),
    CONSTRAINT training_requirements_reason_check CHECK (length(reason) BETWEEN 1 AND 1000)
);

-- Key roles a job role carries, by role code (so that an organisation's own role of a
-- template's code carries the template's flags): shipped for the templates, and an
-- organisation's own list for a code replaces the default (an empty list switches it off).
CREATE TABLE default_key_role_roles (
    role_code text PRIMARY KEY,
    key_roles text[] NOT NULL
);

CREATE TABLE key_role_roles (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role_code       text NOT NULL,
    key_roles       text[] NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, role_code),
    CONSTRAINT key_role_roles_key_roles_check CHECK (key_roles <@ ARRAY['siro', 'caldicott_guardian', 'dpo', 'ig_lead',
        'it_security', 'privileged_user']::text[])
);

-- Key roles held by a person (the SIRO, the Caldicott Guardian, the DPO are appointments,
-- not job roles), set by their organisation.
CREATE TABLE key_role_staff (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    staff_id        bigint NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    key_role        text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, staff_id, key_role),
    CONSTRAINT key_role_staff_key_role_check CHECK (key_role IN ('siro', 'caldicott_guardian', 'dpo', 'ig_lead',
        'it_security', 'privileged_user'))
);
CREATE INDEX key_role_staff_staff_idx ON key_role_staff (staff_id);

-- training_requirements_of lists the requirement in force for each audience of each
-- organisation given: the nearest own (the organisation's, else its nearest ancestor's),
-- else the default. source_org is the organisation whose own it is (NULL: the default).
CREATE FUNCTION training_requirements_of(orgs bigint[])
RETURNS TABLE (organisation_id bigint, audience text, skill_id bigint, level smallint, refresh_months integer,
               reason text, source_org bigint)
LANGUAGE sql STABLE AS $$
    SELECT o.id, d.audience, COALESCE(own.skill_id, d.skill_id), COALESCE(own.level, d.level),
           COALESCE(own.refresh_months, d.refresh_months), COALESCE(own.reason, d.reason), own.organisation_id
      FROM unnest(orgs) AS o (id)
     CROSS JOIN default_training_requirements d
      LEFT JOIN LATERAL (
            SELECT r.* FROM organisation_tree t JOIN training_requirements r ON r.organisation_id = t.ancestor_id
             WHERE t.descendant_id = o.id AND r.audience = d.audience
             ORDER BY t.depth LIMIT 1) own ON true
$$;

-- key_role_flags_of lists the key roles each role code carries for each organisation
-- given: the nearest own list for the code, else the default.
CREATE FUNCTION key_role_flags_of(orgs bigint[])
RETURNS TABLE (organisation_id bigint, role_code text, key_roles text[], source_org bigint)
LANGUAGE sql STABLE AS $$
    SELECT o.id, c.role_code, COALESCE(own.key_roles, d.key_roles, '{}'), own.organisation_id
      FROM unnest(orgs) AS o (id)
     CROSS JOIN LATERAL (
            SELECT role_code FROM default_key_role_roles
             UNION
            SELECT k.role_code FROM organisation_tree t JOIN key_role_roles k ON k.organisation_id = t.ancestor_id
             WHERE t.descendant_id = o.id) c
      LEFT JOIN default_key_role_roles d ON d.role_code = c.role_code
      LEFT JOIN LATERAL (
            SELECT k.* FROM organisation_tree t JOIN key_role_roles k ON k.organisation_id = t.ancestor_id
             WHERE t.descendant_id = o.id AND k.role_code = c.role_code
             ORDER BY t.depth LIMIT 1) own ON true
$$;

-- training_status judges, at each of the instants given, the training of every person
-- employed in root's subtree (within the scope root's subtree; 0: no scope) against each
-- requirement in force for root that applies to them: everyone's (all_staff), the key
-- roles their job role carries, and those they are appointed to. A record counts when it
-- is evidence of the required skill (after supersession) at the required level or above,
-- from any source but self, assessed at or before the instant and not retracted by then;
-- it keeps the person in date until refresh_months after it was assessed, or its expiry
-- if sooner. valid_until is the latest such moment (NULL: never trained), last_trained
-- the latest such record's date. Employment is read from start and end dates, as a past
-- gap report reads it, so that every instant is judged alike; a leaver with no end date
-- has no known employment and is left out.
CREATE FUNCTION training_status(root bigint, scope_root bigint, instants timestamptz[])
RETURNS TABLE (instant integer, at timestamptz, staff_id bigint, organisation_id bigint, role_code text,
               audience text, last_trained timestamptz, valid_until timestamptz)
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
    SELECT n.i, n.at, n.id, n.organisation_id, n.role_code, n.audience, t.last_trained, t.valid_until
      FROM needs n
      JOIN req q ON q.audience = n.audience
      JOIN skills rk ON rk.id = q.skill_id
      LEFT JOIN LATERAL (
            SELECT max(e.assessed_at) AS last_trained,
                   max(LEAST(e.assessed_at + make_interval(months => q.refresh_months),
                             COALESCE(e.expires_at, 'infinity'::timestamptz))) AS valid_until
              FROM evidence e JOIN skills k ON k.id = e.skill_id
             WHERE e.staff_id = n.id AND k.effective_id = rk.effective_id
               AND e.retracts_id IS NULL AND e.source <> 'self' AND e.level >= q.level AND e.assessed_at <= n.at
               AND NOT EXISTS (SELECT 1 FROM evidence x WHERE x.retracts_id = e.id AND x.assessed_at <= n.at)) t ON true
$$;
