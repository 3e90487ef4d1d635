-- Erasure is complete (issue 16): an erased person's name, e-mail and external id
-- survived in their stored xAPI statements, in idempotency replays and in the audit
-- trail's targets, and a write to the erased record (PUT .../staff/erased-N) brought it
-- back as active.

-- An erased record is never written again, except by erasure itself (which sets
-- cyberskills.erasure for its transaction, as for evidence). The repository refuses such
-- writes first, with 410 Gone; this is the last word.
CREATE FUNCTION staff_erased_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cyberskills.erasure', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'staff % was erased: an erased record is never written again', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'staff_erased_check';
END $$;
CREATE TRIGGER staff_erased_guard BEFORE UPDATE ON staff
    FOR EACH ROW WHEN (OLD.erased_at IS NOT NULL) EXECUTE FUNCTION staff_erased_guard();

-- erased_statement is what is kept of an erased person's xAPI statement: what the
-- figures and the xAPI id rules need (id, verb, activity, result, timestamp), the actor
-- replaced by the erased record's pseudonym, and nothing else (names, mailboxes, context,
-- extensions and free text go). content_hash, kept in its own column, still recognises
-- the statement if the LMS sends it again.
CREATE FUNCTION erased_statement(statement jsonb, pseudonym text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', statement->'id',
        'actor', jsonb_build_object('objectType', 'Agent', 'account',
                 jsonb_build_object('homePage', statement->'actor'->'account'->'homePage', 'name', pseudonym)),
        'verb', jsonb_build_object('id', statement->'verb'->'id'),
        'object', jsonb_build_object('objectType', statement->'object'->'objectType', 'id', statement->'object'->'id'),
        'result', NULLIF(jsonb_strip_nulls(jsonb_build_object(
                      'success', statement->'result'->'success', 'completion', statement->'result'->'completion',
                      'score', statement->'result'->'score', 'duration', statement->'result'->'duration')), '{}'::jsonb),
        'timestamp', statement->'timestamp',
        'version', statement->'version'))
$$;

-- jsonb_redact replaces every string of doc that contains one of needles (in any case)
-- with "erased", except the values that structure a statement (ids, types, times), which
-- cannot hold a person's name or address. It scrubs an erased person from the statements
-- of others (as an instructor or team member, in free text or extensions).
CREATE FUNCTION jsonb_redact(doc jsonb, needles text[]) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    out jsonb;
    needle text;
BEGIN
    CASE jsonb_typeof(doc)
    WHEN 'object' THEN
        SELECT COALESCE(jsonb_object_agg(key, CASE WHEN key IN ('id', 'objectType', 'timestamp', 'stored', 'version', 'registration')
                                                   THEN value ELSE jsonb_redact(value, needles) END), '{}'::jsonb)
          INTO out FROM jsonb_each(doc);
        RETURN out;
    WHEN 'array' THEN
        SELECT COALESCE(jsonb_agg(jsonb_redact(value, needles) ORDER BY n), '[]'::jsonb)
          INTO out FROM jsonb_array_elements(doc) WITH ORDINALITY AS e (value, n);
        RETURN out;
    WHEN 'string' THEN
        FOREACH needle IN ARRAY needles LOOP
            IF position(lower(needle) IN lower(doc #>> '{}')) > 0 THEN
                RETURN to_jsonb('erased'::text);
            END IF;
        END LOOP;
        RETURN doc;
    ELSE
        RETURN doc;
    END CASE;
END $$;

-- Other people's xAPI statements may mention an erased person (as instructor or team
-- member, in free text): finding them takes a scan of the statement store, too long for a
-- request at scale (6 to 14 s a million statements, measured), so the sweeper does it in
-- batches after the erasure. What to look for is kept here only until then.
CREATE TABLE erasure_scans (
    staff_id  bigint PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
    mentions  text[] NOT NULL,   -- the e-mail address and name, as erasure found them
    after     uuid,              -- the last statement scanned
    queued_at timestamptz NOT NULL DEFAULT now()
);

-- A replay whose stored answer named an erased person is emptied, not deleted: the key
-- stays taken, so that a retry answers 410 instead of running (and hiring, say) again.
ALTER TABLE idempotency_keys ADD COLUMN erased_at timestamptz;

-- Erasure puts the erased record's pseudonym in place of the external id in the audit
-- trail's targets (audit_log_append_only, repeatable/audit.sql, allows exactly that);
-- this finds an organisation's entries about one person.
CREATE INDEX audit_log_external_id_idx ON audit_log (organisation_id, (target->>'external_id'))
    WHERE target ? 'external_id';

-- Records erased before this migration: writes may have brought them back (the finding),
-- and their statements were kept whole. Their personal fields are blanked again and they
-- are leavers again; their statements are reduced as erasure now does.
SET LOCAL cyberskills.erasure = 'on';
UPDATE staff SET display_name = NULL, email = NULL, status = 'leaver', updated_at = now(),
       end_date = GREATEST(LEAST(COALESCE(end_date, (erased_at AT TIME ZONE 'UTC')::date), (erased_at AT TIME ZONE 'UTC')::date), start_date)
 WHERE erased_at IS NOT NULL AND (display_name IS NOT NULL OR email IS NOT NULL OR status <> 'leaver');
UPDATE xapi_statements x SET statement = erased_statement(x.statement, s.external_id)
  FROM staff s WHERE s.id = x.staff_id AND s.erased_at IS NOT NULL;
