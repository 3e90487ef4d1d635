-- Workforce planning: funded posts per organisation, role and period; enrolments on
-- courses (the training pipeline); saved what-if scenarios.
CREATE TABLE establishment (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role_id         bigint NOT NULL REFERENCES job_roles (id) ON DELETE RESTRICT,
    -- The first day of the period; a quarter starts on the first of January, April, July or October.
    period_start    date NOT NULL,
    period          text NOT NULL,
    funded_posts    numeric(9, 2) NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, role_id, period_start),
    CONSTRAINT establishment_period_check CHECK (period IN ('month', 'quarter')),
    CONSTRAINT establishment_period_start_check CHECK (extract(day FROM period_start) = 1
        AND (period = 'month' OR extract(month FROM period_start) IN (1, 4, 7, 10))),
    CONSTRAINT establishment_funded_posts_check CHECK (funded_posts >= 0)
);

-- establishment_in_force is the funded posts of each organisation and role on a day: the
-- latest period that has started by then.
CREATE FUNCTION establishment_in_force(day date)
RETURNS TABLE (organisation_id bigint, role_id bigint, funded_posts numeric) LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (e.organisation_id, e.role_id) e.organisation_id, e.role_id, e.funded_posts
      FROM establishment e
     WHERE e.period_start <= day
     ORDER BY e.organisation_id, e.role_id, e.period_start DESC
$$;

CREATE TABLE enrolments (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    staff_id            bigint NOT NULL REFERENCES staff (id) ON DELETE RESTRICT,
    course_id           bigint NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    enrolled_at         date NOT NULL,
    expected_completion date NOT NULL,
    status              text NOT NULL DEFAULT 'enrolled',
    closed_at           timestamptz,
    completion_id       bigint REFERENCES completions (id),
    created_by          bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enrolments_status_check CHECK (status IN ('enrolled', 'completed', 'failed', 'withdrawn')),
    CONSTRAINT enrolments_dates_check CHECK (expected_completion >= enrolled_at)
);
-- One open enrolment per person and course.
CREATE UNIQUE INDEX enrolments_open_key ON enrolments (staff_id, course_id) WHERE status = 'enrolled';
CREATE INDEX enrolments_organisation_idx ON enrolments (organisation_id, id);
CREATE INDEX enrolments_course_idx ON enrolments (course_id, status);

CREATE TABLE scenarios (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    changes         jsonb NOT NULL,
    months          integer NOT NULL,
    created_by      bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT scenarios_name_check CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT scenarios_months_check CHECK (months BETWEEN 1 AND 60)
);
CREATE INDEX scenarios_organisation_idx ON scenarios (organisation_id, id);

-- course_pass_rates is each course's observed pass rate: passed completions over
-- completions and withdrawals; NULL before any history.
CREATE FUNCTION course_pass_rates(course_ids bigint[])
RETURNS TABLE (course_id bigint, pass_rate float8, attempts bigint) LANGUAGE sql STABLE AS $$
    SELECT c.id,
           CASE WHEN COALESCE(p.done, 0) + COALESCE(w.withdrawn, 0) = 0 THEN NULL
                ELSE COALESCE(p.passed, 0)::float8 / (COALESCE(p.done, 0) + COALESCE(w.withdrawn, 0)) END,
           COALESCE(p.done, 0) + COALESCE(w.withdrawn, 0)
      FROM unnest(course_ids) AS c (id)
      LEFT JOIN (SELECT course_id, count(*) AS done, count(*) FILTER (WHERE passed) AS passed
                   FROM completions WHERE course_id = ANY (course_ids) GROUP BY 1) p ON p.course_id = c.id
      LEFT JOIN (SELECT course_id, count(*) AS withdrawn FROM enrolments
                  WHERE status = 'withdrawn' AND course_id = ANY (course_ids) GROUP BY 1) w ON w.course_id = c.id
$$;
