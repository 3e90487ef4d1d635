-- Servers keep national statistics in memory for a moment; a change to what they are
-- made of is announced on the statistics_changed channel, so that the figures of every
-- server lapse at once, whichever server made the change (service/statcache.go). The
-- gap counts announce themselves from workforce_flush (migrations/repeatable), which
-- applies every write of staff, roles and evidence; the tables below change by
-- administrators' hands only, so a trigger per statement costs nothing that matters.
-- A rebuild of the counts truncates them.
CREATE FUNCTION statistics_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('statistics_changed', '');
    RETURN NULL;
END $$;
CREATE TRIGGER organisations_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER capability_targets_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON capability_targets
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER default_targets_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON default_targets
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER external_coverage_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON external_coverage
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER skills_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER frameworks_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON frameworks
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER org_skill_stats_statistics_changed AFTER TRUNCATE ON org_skill_stats
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
