-- The audit trail's rules. audit_log_append_only refuses every change to the trail but
-- two: filling in the status of a write's entry, which commits with the write before its
-- response exists; and, in an erasure's transaction (cyberskills.erasure), putting the
-- erased record's pseudonym (erased-N) in place of the person's external id in a target,
-- so that the trail still says who did what to which record without keeping the
-- identifier that erasure removes for good. audit_record is the one insert of the trail,
-- used by the write paths inside their transactions and by the batching buffer.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status IS NULL AND NEW.status IS NOT NULL
       AND (NEW.id, NEW.at, NEW.token_id, NEW.role, NEW.method, NEW.route, NEW.organisation_id, NEW.organisation,
            NEW.target, NEW.request_id)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.token_id, OLD.role, OLD.method, OLD.route, OLD.organisation_id, OLD.organisation,
            OLD.target, OLD.request_id) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('cyberskills.erasure', true) = 'on'
       AND (NEW.id, NEW.at, NEW.token_id, NEW.role, NEW.method, NEW.route, NEW.organisation_id, NEW.organisation,
            NEW.status, NEW.request_id, NEW.target - 'external_id')
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.token_id, OLD.role, OLD.method, OLD.route, OLD.organisation_id, OLD.organisation,
            OLD.status, OLD.request_id, OLD.target - 'external_id')
       AND NEW.target->>'external_id' LIKE 'erased-%' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END $$;

-- audit_record appends one entry, resolving the organisation from its code (an unknown
-- code is kept as given), and returns its id: the one insert of the trail, used by the
-- write paths inside their transactions.
CREATE OR REPLACE FUNCTION audit_record(at timestamptz, token_id bigint, role text, method text, route text,
                             organisation text, target jsonb, status integer, request_id text)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO audit_log (at, token_id, role, method, route, organisation_id, organisation, target, status, request_id)
    VALUES (at, NULLIF(token_id, 0), NULLIF(role, ''), method, route,
            (SELECT o.id FROM organisations o WHERE o.code = NULLIF(audit_record.organisation, '')),
            NULLIF(organisation, ''), COALESCE(target, '{}'), status, NULLIF(request_id, ''))
    RETURNING id
$$;
