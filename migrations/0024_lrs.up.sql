-- xAPI as a Learning Record Store (issue 18): statements are stored whether or not they
-- name people and courses the service knows, read back with the specification's filters,
-- voided, and matched to evidence as a second step that providers can follow.

-- xapi_list is a value that the specification gives as a list of objects, as that list:
-- version 1.0.0 allowed one Activity where contextActivities now take a list.
CREATE FUNCTION xapi_list(v jsonb) RETURNS SETOF jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT e FROM jsonb_array_elements(CASE jsonb_typeof(v) WHEN 'array' THEN v
                                            WHEN 'object' THEN jsonb_build_array(v) ELSE '[]'::jsonb END) AS e
$$;

-- xapi_ifi is the key of an Agent's or identified Group's inverse functional identifier:
-- two actors are one when their keys are equal (Communication 2.1.3, the agent filter).
CREATE FUNCTION xapi_ifi(a jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN a ? 'mbox' THEN 'mbox ' || lower(a->>'mbox')
        WHEN a ? 'mbox_sha1sum' THEN 'mbox_sha1sum ' || lower(a->>'mbox_sha1sum')
        WHEN a ? 'openid' THEN 'openid ' || (a->>'openid')
        WHEN a ? 'account' THEN 'account ' || (a->'account'->>'homePage') || E'\n' || (a->'account'->>'name')
    END
$$;

-- xapi_agent_keys are the keys an Agent or Group answers to: its own and its members'.
CREATE FUNCTION xapi_agent_keys(a jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN a IS NULL OR jsonb_typeof(a) <> 'object' THEN '{}'::text[]
        WHEN jsonb_typeof(a->'member') = 'array'
            THEN array_remove(xapi_ifi(a) || ARRAY(SELECT xapi_ifi(m) FROM jsonb_array_elements(a->'member') AS m), NULL)
        ELSE array_remove(ARRAY[xapi_ifi(a)], NULL)
    END
$$;

-- xapi_agents are the keys of a statement's actor and of its object when that is an Agent
-- or Group: what the agent filter matches.
CREATE FUNCTION xapi_agents(s jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT xapi_agent_keys(s->'actor')
        || CASE WHEN s->'object'->>'objectType' IN ('Agent', 'Group') THEN xapi_agent_keys(s->'object') ELSE '{}' END
$$;

-- xapi_own_related_agents adds the instructor, team, and context agents and groups (xAPI
-- 2.0): what related_agents matches, but for a SubStatement's and the authority (the LRS
-- sets it: the provider's, see models/xapi.Authority).
-- (PL/pgSQL: as an SQL function with subqueries it is planned on every call, twelve
-- times slower.)
CREATE FUNCTION xapi_own_related_agents(s jsonb) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    ctx jsonb := s->'context';
    keys text[] := xapi_agents(s);
BEGIN
    IF ctx IS NULL THEN
        RETURN keys;
    END IF;
    keys := keys || xapi_agent_keys(ctx->'instructor') || xapi_agent_keys(ctx->'team');
    IF ctx ? 'contextAgents' THEN
        keys := keys || ARRAY(SELECT k FROM xapi_list(ctx->'contextAgents') AS x, unnest(xapi_agent_keys(x->'agent')) AS k);
    END IF;
    IF ctx ? 'contextGroups' THEN
        keys := keys || ARRAY(SELECT k FROM xapi_list(ctx->'contextGroups') AS x, unnest(xapi_agent_keys(x->'group')) AS k);
    END IF;
    RETURN keys;
END $$;

CREATE FUNCTION xapi_related_agents(s jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT xapi_own_related_agents(s)
        || CASE WHEN s->'object'->>'objectType' = 'SubStatement' THEN xapi_own_related_agents(s->'object') ELSE '{}' END
$$;

-- xapi_actor_key is the key of a statement's actor when it is an Agent, as xapi_ifi but
-- with an account's homePage in normal form (normal_home_page, migration 0017): erasure
-- finds a person's statements by it.
CREATE FUNCTION xapi_actor_key(s jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN COALESCE(s->'actor'->>'objectType', 'Agent') <> 'Agent' THEN NULL
        WHEN s->'actor' ? 'account'
            THEN 'account ' || normal_home_page(s->'actor'->'account'->>'homePage') || E'\n' || (s->'actor'->'account'->>'name')
        ELSE xapi_ifi(s->'actor')
    END
$$;

-- xapi_activity is the id of a statement's object when that is an Activity.
CREATE FUNCTION xapi_activity(s jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN COALESCE(s->'object'->>'objectType', 'Activity') = 'Activity' THEN s->'object'->>'id' END
$$;

-- xapi_own_statement_activities are a statement's Activities with their definitions: its object
-- and its context activities of every kind.
CREATE FUNCTION xapi_own_statement_activities(s jsonb) RETURNS TABLE (id text, definition jsonb) LANGUAGE sql IMMUTABLE AS $$
    SELECT s->'object'->>'id', s->'object'->'definition' WHERE xapi_activity(s) IS NOT NULL
    UNION ALL
    SELECT a->>'id', a->'definition'
      FROM jsonb_each(CASE WHEN jsonb_typeof(s->'context'->'contextActivities') = 'object'
                           THEN s->'context'->'contextActivities' ELSE '{}'::jsonb END) AS kinds, xapi_list(kinds.value) AS a
$$;

-- xapi_statement_activities lists them for a statement and the SubStatement it holds.
CREATE FUNCTION xapi_statement_activities(s jsonb) RETURNS TABLE (id text, definition jsonb) LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN QUERY SELECT * FROM xapi_own_statement_activities(s);
    IF s->'object'->>'objectType' = 'SubStatement' THEN
        RETURN QUERY SELECT * FROM xapi_own_statement_activities(s->'object');
    END IF;
END $$;

-- xapi_related_activities are the ids that related_activities matches.
CREATE FUNCTION xapi_related_activities(s jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(array_agg(DISTINCT id), '{}') FROM xapi_statement_activities(s) WHERE id IS NOT NULL
$$;

-- xapi_merge_definition merges a newly received Activity definition into the one kept:
-- what the new one says wins, and language maps and extensions keep the entries of both,
-- so that two statements describing an Activity in two languages give both (Communication
-- 2.5).
CREATE FUNCTION xapi_merge_definition(kept jsonb, received jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    merged jsonb := COALESCE(kept, '{}'::jsonb) || COALESCE(received, '{}'::jsonb);
    k text;
BEGIN
    FOREACH k IN ARRAY ARRAY['name', 'description', 'extensions'] LOOP
        IF jsonb_typeof(kept->k) = 'object' AND jsonb_typeof(received->k) = 'object' THEN
            merged := jsonb_set(merged, ARRAY[k], (kept->k) || (received->k));
        END IF;
    END LOOP;
    RETURN merged;
END $$;
CREATE AGGREGATE xapi_merge_definitions (jsonb) (SFUNC = xapi_merge_definition, STYPE = jsonb);

-- Statements: the order in which they were stored (stored_at, the service's clock when
-- the request came, then seq), what the LRS assigned (version, and the timestamp when
-- there was none), what the filters of GET statements read, voiding, and matching.
ALTER TABLE xapi_statements
    ADD COLUMN seq                bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN version            text,
    ADD COLUMN timestamp_at       timestamptz,
    ADD COLUMN registration       uuid,
    ADD COLUMN object_ref         uuid,                          -- the object, when a StatementRef
    ADD COLUMN voiding            boolean NOT NULL DEFAULT false, -- verb voided: voids object_ref
    ADD COLUMN actor_key          text,                          -- xapi_actor_key
    ADD COLUMN agents             text[] NOT NULL DEFAULT '{}',  -- xapi_agents
    ADD COLUMN related_agents     text[] NOT NULL DEFAULT '{}',  -- xapi_related_agents
    ADD COLUMN activity           text,                          -- xapi_activity
    ADD COLUMN related_activities text[] NOT NULL DEFAULT '{}',  -- xapi_related_activities
    ADD COLUMN attachment_digests text[] NOT NULL DEFAULT '{}',  -- sha2 of its attachments (xapi_attachments)
    ADD COLUMN facts              text[] NOT NULL DEFAULT '{}',  -- completed, passed, failed, satisfied (models/xapi)
    ADD COLUMN match_status       text NOT NULL DEFAULT 'matched',
    ADD COLUMN match_reason       text,
    ADD CONSTRAINT xapi_statements_match_status_check
        CHECK (match_status IN ('conferred', 'matched', 'unmatched', 'ignored', 'voided'));

-- Statements stored before were all matched (a person and a course, or refused); their
-- facts follow the rule they were applied with (completed or passed unless result.success
-- was false; failed).
UPDATE xapi_statements x SET
       version = COALESCE(statement->>'version', '1.0.0'),
       timestamp_at = COALESCE((statement->>'timestamp')::timestamptz, stored_at),
       registration = (statement->'context'->>'registration')::uuid,
       object_ref = CASE WHEN statement->'object'->>'objectType' = 'StatementRef' THEN (statement->'object'->>'id')::uuid END,
       voiding = verb = 'http://adlnet.gov/expapi/verbs/voided' AND statement->'object'->>'objectType' = 'StatementRef',
       actor_key = xapi_actor_key(statement),
       agents = xapi_agents(statement),
       related_agents = xapi_related_agents(statement),
       activity = xapi_activity(statement),
       related_activities = xapi_related_activities(statement),
       facts = CASE
           WHEN verb = 'http://adlnet.gov/expapi/verbs/failed' OR statement->'result'->'success' = 'false' THEN '{failed}'::text[]
           WHEN verb = 'http://adlnet.gov/expapi/verbs/completed' THEN '{completed}'
           WHEN verb = 'http://adlnet.gov/expapi/verbs/passed' THEN '{passed}'
           ELSE '{}' END,
       match_status = CASE
           WHEN EXISTS (SELECT 1 FROM evidence e WHERE e.statement_id = x.id) THEN 'conferred'
           WHEN verb IN ('http://adlnet.gov/expapi/verbs/completed', 'http://adlnet.gov/expapi/verbs/passed',
                         'http://adlnet.gov/expapi/verbs/failed') THEN 'matched'
           ELSE 'ignored' END;
ALTER TABLE xapi_statements ALTER COLUMN version SET NOT NULL, ALTER COLUMN timestamp_at SET NOT NULL;

CREATE INDEX xapi_statements_stored_idx ON xapi_statements (provider, stored_at, seq);
CREATE INDEX xapi_statements_ref_idx ON xapi_statements (object_ref) WHERE object_ref IS NOT NULL;
CREATE INDEX xapi_statements_registration_idx ON xapi_statements (registration) WHERE registration IS NOT NULL;
CREATE INDEX xapi_statements_activity_idx ON xapi_statements (activity);
CREATE INDEX xapi_statements_actor_idx ON xapi_statements (actor_key) WHERE actor_key IS NOT NULL;
CREATE INDEX xapi_statements_agents_idx ON xapi_statements USING gin (agents);
CREATE INDEX xapi_statements_related_agents_idx ON xapi_statements USING gin (related_agents);
CREATE INDEX xapi_statements_related_activities_idx ON xapi_statements USING gin (related_activities);
CREATE INDEX xapi_statements_attachments_idx ON xapi_statements USING gin (attachment_digests) WHERE attachment_digests <> '{}';
CREATE INDEX xapi_statements_unmatched_idx ON xapi_statements (provider, seq) WHERE match_status = 'unmatched';

-- The Activities resource and canonical format: each provider's definition of each
-- Activity, merged from every statement that described it.
CREATE TABLE xapi_activities (
    provider   text NOT NULL,
    id         text NOT NULL,
    definition jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (provider, id)
);
INSERT INTO xapi_activities (provider, id, definition)
SELECT x.provider, a.id, xapi_merge_definitions(a.definition ORDER BY x.stored_at, x.seq)
  FROM xapi_statements x, xapi_statement_activities(x.statement) AS a
 WHERE a.id IS NOT NULL
 GROUP BY x.provider, a.id;

-- The data of attachments sent in multipart requests, by provider and digest (a
-- statement's attachment names its data by sha2). Attachments by fileUrl are not fetched.
CREATE TABLE xapi_attachments (
    provider     text NOT NULL,
    sha2         text NOT NULL, -- lower-case hex
    content_type text NOT NULL,
    data         bytea NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, sha2)
);

-- Courses match statements by several activity IRIs and by IRI prefixes (course_activities:
-- the course's own activity_iri, which matches a statement's object, and the activities
-- that stand for it, which also match a parent or grouping); each provider's IRIs are its
-- own. A course states what earns its evidence.
ALTER TABLE courses ADD COLUMN completion_rule text NOT NULL DEFAULT 'completed_or_passed',
    ADD CONSTRAINT courses_completion_rule_check
        CHECK (completion_rule IN ('completed', 'passed', 'completed_and_passed', 'completed_or_passed', 'satisfied'));
CREATE TABLE course_activities (
    course_id bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    provider  text NOT NULL, -- the course's, so that an IRI is unique per provider
    iri       text NOT NULL,
    kind      text NOT NULL, -- own: the course's activity_iri; part: one of activity_iris; prefix
    CONSTRAINT course_activities_kind_check CHECK (kind IN ('own', 'part', 'prefix'))
);
-- One IRI is one course's (as its own activity or a part), one prefix one course's.
CREATE UNIQUE INDEX course_activities_iri_key ON course_activities (provider, iri, (kind = 'prefix'));
CREATE INDEX course_activities_course_idx ON course_activities (course_id);
INSERT INTO course_activities (course_id, provider, iri, kind)
SELECT id, provider, activity_iri, 'own' FROM courses WHERE activity_iri IS NOT NULL;
-- An activity IRI is unique per provider now: two providers may name one activity.
DROP INDEX courses_activity_iri_key;

-- Person mappings: a provider's own table from the identifiers its LMS uses (an account,
-- a mailbox, or a mailbox's SHA-1) to a person (organisation and external id). They apply
-- to that provider's statements only.
CREATE TABLE xapi_person_mappings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider        text NOT NULL,
    kind            text NOT NULL,
    home_page       text NOT NULL DEFAULT '', -- account: normal_home_page(account.homePage)
    identifier      text NOT NULL,            -- account: its name; mbox: the address in lower case; mbox_sha1sum: the digest in lower case
    mbox_sha1sum    text,                     -- mbox: the digest of the mailto IRI as given, so that a hashed mailbox matches too
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    external_id     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT xapi_person_mappings_kind_check CHECK (kind IN ('account', 'mbox', 'mbox_sha1sum')),
    CONSTRAINT xapi_person_mappings_identifier_key UNIQUE (provider, kind, home_page, identifier)
);
CREATE INDEX xapi_person_mappings_sha1_idx ON xapi_person_mappings (provider, mbox_sha1sum) WHERE mbox_sha1sum IS NOT NULL;
CREATE INDEX xapi_person_mappings_person_idx ON xapi_person_mappings (organisation_id, external_id);

-- Rematching: unmatched statements are matched again when what could name their person or
-- course appears: a staff member, an e-mail address, a home page, a person mapping, a
-- course's activities. Each such write appends a request (provider '' for all), which
-- costs an insert and takes no lock another writer waits on; the sweeper works through
-- them (xapi_rematch_scan keeps its place) and forgets those it has covered.
CREATE TABLE xapi_rematch_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider     text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE xapi_rematch_scan (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    up_to       bigint NOT NULL, -- the requests this scan covers
    after_seq   bigint NOT NULL  -- the last statement matched again
);

-- xapi_request_rematch asks for the statements of every provider: a person or an
-- organisation's home page changed. xapi_request_provider_rematch asks for those of the
-- providers whose mappings or course activities changed.
CREATE FUNCTION xapi_request_rematch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO xapi_rematch_requests (provider) VALUES ('');
    RETURN NULL;
END $$;
CREATE FUNCTION xapi_request_provider_rematch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO xapi_rematch_requests (provider) SELECT DISTINCT provider FROM changed;
    RETURN NULL;
END $$;
CREATE TRIGGER staff_rematch AFTER INSERT OR UPDATE OF email ON staff
    FOR EACH STATEMENT EXECUTE FUNCTION xapi_request_rematch();
CREATE TRIGGER organisations_rematch AFTER UPDATE OF xapi_home_page ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION xapi_request_rematch();
CREATE TRIGGER course_activities_rematch AFTER INSERT ON course_activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION xapi_request_provider_rematch();
CREATE TRIGGER xapi_person_mappings_rematch_insert AFTER INSERT ON xapi_person_mappings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION xapi_request_provider_rematch();
CREATE TRIGGER xapi_person_mappings_rematch_update AFTER UPDATE ON xapi_person_mappings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION xapi_request_provider_rematch();
