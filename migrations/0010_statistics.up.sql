-- Snapshots of the national statistics, taken at least monthly and on demand, for trends.
-- Figures are kept raw; disclosure control is applied when they are read.
CREATE TABLE statistics_snapshots (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at  timestamptz NOT NULL DEFAULT now(),
    taken_by  bigint,
    org_type  text NOT NULL,
    figures   jsonb NOT NULL
);
CREATE INDEX statistics_snapshots_taken_idx ON statistics_snapshots (org_type, taken_at);
