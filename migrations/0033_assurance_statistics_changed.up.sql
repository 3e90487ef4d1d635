-- The national assurance statistics are cached as the other statistics are, and lapse on
-- the statistics_changed announcement (migration 0026). Evidence and staff announce
-- themselves through the flush (a person's role too); these tables, which decide what
-- training each person needs (requirements, key roles, appointments), change by
-- administrators' hands only, so a trigger per statement costs nothing that
-- matters.
CREATE TRIGGER training_requirements_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON training_requirements
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER default_training_requirements_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON default_training_requirements
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER key_role_roles_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON key_role_roles
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER default_key_role_roles_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON default_key_role_roles
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
CREATE TRIGGER key_role_staff_statistics_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON key_role_staff
    FOR EACH STATEMENT EXECUTE FUNCTION statistics_changed();
