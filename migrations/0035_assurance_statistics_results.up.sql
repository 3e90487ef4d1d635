-- The national assurance figures of each organisation type, computed in the background by
-- the leader (service.RefreshAssuranceStatistics) and read by requests: at national scale
-- one computation takes tens of seconds, longer than a request may. A row exists for
-- every type asked for; its result columns are empty until the first computation.
CREATE TABLE assurance_statistics (
    org_type       text PRIMARY KEY,
    requested_at   timestamptz NOT NULL DEFAULT now(), -- bookkeeping: when first asked for
    generation     bigint NOT NULL DEFAULT 0,          -- how many results have been stored
    as_of          timestamptz,                        -- the service's instant the figures are as of
    evaluated_from timestamptz,                        -- the month-end the evaluation compares with
    computed_at    timestamptz,                        -- bookkeeping: when the result was stored
    took_ms        integer,                            -- how long its computation took
    population     jsonb,                              -- every organisation's figures (models.OrgTraining)
    CHECK ((as_of IS NULL) = (population IS NULL))
);

-- The default type is computed from the start, unasked.
INSERT INTO assurance_statistics (org_type) VALUES ('trust');
