DROP TRIGGER organisations_tree_insert ON organisations;
DROP TRIGGER organisations_levels_insert ON organisations;
DROP FUNCTION organisation_tree_insert_rows();
DROP FUNCTION organisation_levels_of_new();
-- The row trigger of migration 0001.
CREATE FUNCTION organisation_tree_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organisation_tree (ancestor_id, descendant_id, depth)
    SELECT ancestor_id, NEW.id, depth + 1 FROM organisation_tree WHERE descendant_id = NEW.parent_id
    UNION ALL SELECT NEW.id, NEW.id, 0;
    PERFORM organisation_refresh_levels(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER organisations_tree_insert AFTER INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisation_tree_insert();

-- Sub-ICB locations have no type before this migration: they become other bodies.
UPDATE organisations SET type = 'other' WHERE type = 'sub_icb';
ALTER TABLE organisations
    DROP COLUMN type_by_hand,
    DROP COLUMN sector_by_hand,
    DROP CONSTRAINT organisations_type_check,
    ADD CONSTRAINT organisations_type_check
        CHECK (type IN ('region', 'icb', 'trust', 'department', 'practice', 'other'));
