-- Job roles say which skills, at which level, a post needs. Global templates have no
-- organisation; an organisation's own roles are visible to it and its subtree.
CREATE TABLE job_roles (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint REFERENCES organisations (id) ON DELETE RESTRICT,
    code            text NOT NULL,
    title           text NOT NULL,
    description     text NOT NULL DEFAULT '',
    nice_role_id    text,
    framework_id    bigint NOT NULL REFERENCES frameworks (id) ON DELETE RESTRICT,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_roles_code_key UNIQUE NULLS NOT DISTINCT (organisation_id, code),
    CONSTRAINT job_roles_code_check CHECK (code ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    CONSTRAINT job_roles_title_check CHECK (length(title) BETWEEN 1 AND 200)
);
CREATE INDEX job_roles_organisation_idx ON job_roles (organisation_id, code);

CREATE TABLE role_requirements (
    role_id     bigint NOT NULL REFERENCES job_roles (id) ON DELETE CASCADE,
    skill_id    bigint NOT NULL REFERENCES skills (id) ON DELETE RESTRICT,
    level       smallint NOT NULL,
    criticality text NOT NULL,
    PRIMARY KEY (role_id, skill_id),
    CONSTRAINT role_requirements_level_check CHECK (level BETWEEN 1 AND 4),
    CONSTRAINT role_requirements_criticality_check CHECK (criticality IN ('essential', 'desirable'))
);
CREATE INDEX role_requirements_skill_idx ON role_requirements (skill_id);

-- resolve_role finds the role a staff member of an organisation means by a code: the
-- organisation's own role, else the nearest ancestor's, else the global template.
CREATE FUNCTION resolve_role(org bigint, role_code text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT r.id
      FROM job_roles r
      LEFT JOIN organisation_tree t ON t.ancestor_id = r.organisation_id AND t.descendant_id = org
     WHERE r.code = role_code AND (r.organisation_id IS NULL OR t.descendant_id IS NOT NULL)
     ORDER BY r.organisation_id IS NULL, t.depth
     LIMIT 1
$$;

-- Staff hold personal data kept to a minimum. Rows are never deleted: a leaver keeps its
-- history for statistics, and erasure blanks the personal fields.
CREATE TABLE staff (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    external_id     text NOT NULL,
    role_id         bigint REFERENCES job_roles (id) ON DELETE RESTRICT,
    display_name    text,
    email           text,
    fte             numeric(4, 2) NOT NULL DEFAULT 1,
    status          text NOT NULL DEFAULT 'active',
    start_date      date,
    end_date        date,
    erased_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT staff_external_id_key UNIQUE (organisation_id, external_id),
    CONSTRAINT staff_external_id_check CHECK (length(external_id) BETWEEN 1 AND 100),
    CONSTRAINT staff_status_check CHECK (status IN ('active', 'leaver')),
    CONSTRAINT staff_fte_check CHECK (fte > 0 AND fte <= 2),
    CONSTRAINT staff_end_date_check CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX staff_role_idx ON staff (role_id) WHERE status = 'active';
CREATE INDEX staff_email_idx ON staff (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX staff_end_date_idx ON staff (end_date) WHERE status = 'active' AND end_date IS NOT NULL;
