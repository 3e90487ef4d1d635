-- The gap engine's history: what every person counted for, skill by skill and basis by
-- basis (verified, self, any), over time, so that a report as of a past date or on
-- another basis reads maintained sums as today's report does, instead of every person's
-- evidence.
--
-- workforce_history is the ledger: maximal periods [valid_from, valid_to) during which a
-- person, employed (start_date to end_date), counted with one level and their current
-- organisation and role's requirement. 'infinity' and '-infinity' stand for open ends.
-- The flusher recomputes a person's periods whenever it refreshes them (migrations/
-- repeatable/workforce_history.sql), and moves the sums below by the difference.
CREATE TABLE workforce_history (
    staff_id        bigint NOT NULL,
    skill_id        bigint NOT NULL,
    basis           "char" NOT NULL, -- v(erified), s(elf), a(ny)
    valid_from      timestamptz NOT NULL,
    valid_to        timestamptz NOT NULL,
    organisation_id bigint NOT NULL,
    required_level  smallint NOT NULL,
    essential       boolean NOT NULL,
    level           smallint NOT NULL,
    PRIMARY KEY (staff_id, skill_id, basis, valid_from)
);

-- org_skill_changes holds, per organisation, basis, moment and skill, how the counts of
-- org_skill_stats change then (a period adds its row at valid_from and takes it away at
-- valid_to), at three grains: each moment (e), and the same summed per calendar month (m)
-- and year (y), in UTC. The counts as of a moment are the years before its year, the
-- months of its year before its month and the moments of its month up to it: a few
-- thousand rows for the largest trust, whatever the length of its history.
CREATE TABLE org_skill_changes (
    organisation_id    bigint NOT NULL,
    basis              "char" NOT NULL,
    grain              "char" NOT NULL, -- e(xact moment), m(onth), y(ear)
    at                 timestamptz NOT NULL,
    skill_id           bigint NOT NULL,
    demand             integer NOT NULL,
    supply             integer NOT NULL,
    demand_essential   integer NOT NULL,
    supply_essential   integer NOT NULL,
    required_essential integer NOT NULL,
    required_desirable integer NOT NULL,
    depth_essential    integer NOT NULL,
    depth_desirable    integer NOT NULL,
    held_1             integer NOT NULL,
    held_2             integer NOT NULL,
    held_3             integer NOT NULL,
    held_4             integer NOT NULL,
    PRIMARY KEY (organisation_id, basis, grain, at, skill_id)
);

-- The few people whose status and dates disagree today (the history counts people by
-- their dates; today's reports and projections by their status) are found through these:
-- active staff not started yet, and leavers whose end date is still to come or missing.
CREATE INDEX staff_start_date_idx ON staff (start_date) WHERE status = 'active' AND start_date IS NOT NULL;
CREATE INDEX staff_leavers_end_date_idx ON staff (end_date) WHERE status <> 'active';

-- history_dirty is the history's own queue: workforce_flush passes on what it took from
-- workforce_dirty once today's counts are current, and history_flush applies it, so that a
-- bulk import's people are in today's figures first and in the history seconds later.
CREATE TABLE history_dirty (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id bigint NOT NULL,
    skill_id bigint -- NULL: every skill of the person
);
ALTER TABLE history_dirty SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                               autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

-- A person's periods change when their dates do, not only their organisation, role or
-- status: the staff trigger (migrations/repeatable/workforce_history.sql) queues them.
-- Everyone is queued once here, so that the flusher builds the history of existing data
-- (workforce_rebuild does it in one pass).
INSERT INTO history_dirty (staff_id) SELECT id FROM staff;
