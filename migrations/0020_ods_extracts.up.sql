-- Every NHS ODS extract (issue 19). Sub-ICB locations, which commission GP practices
-- within an ICB, become a type of organisation. Who set an organisation's type and
-- sector, a person or an extract, is recorded, so that re-imports of the extracts leave
-- people's choices alone. And new organisations join the closure table once per
-- statement instead of once per row, and take their region and ICB from their parent, so
-- that an import of 10,000 GP practices takes seconds, not minutes.
ALTER TABLE organisations
    DROP CONSTRAINT organisations_type_check,
    ADD CONSTRAINT organisations_type_check
        CHECK (type IN ('region', 'icb', 'sub_icb', 'trust', 'department', 'practice', 'other')),
    ADD COLUMN type_by_hand boolean NOT NULL DEFAULT false,
    ADD COLUMN sector_by_hand boolean NOT NULL DEFAULT false;

-- What people set before it was recorded: imports of the trust extract only ever filled
-- an empty sector, so every sector stays as it is, as if a person had set it; and no
-- extract ever made a department, practice or other body, so their types are people's.
UPDATE organisations
   SET sector_by_hand = sector IS NOT NULL, type_by_hand = type IN ('department', 'practice', 'other')
 WHERE sector IS NOT NULL OR type IN ('department', 'practice', 'other');

-- organisation_levels_of_new sets a new organisation's region and ICB before it is
-- written: itself, when it is a region or an ICB, or else its parent's, since the nearest
-- region or ICB above the parent is the nearest above it.
CREATE FUNCTION organisation_levels_of_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT region_id, icb_id INTO NEW.region_id, NEW.icb_id FROM organisations WHERE id = NEW.parent_id;
    IF NEW.type = 'region' THEN
        NEW.region_id := NEW.id;
    ELSIF NEW.type = 'icb' THEN
        NEW.icb_id := NEW.id;
    END IF;
    RETURN NEW;
END $$;

-- organisation_tree_insert_rows links the organisations a statement inserts under their
-- parents' ancestors, in one set-based statement. A parent may be among the new rows
-- themselves (a parent and its child inserted by one statement), whose region and ICB
-- are then set again from the tree. The row trigger it replaces ran two queries per
-- organisation, planned before the table grew, so a bulk insert took time growing with
-- the square of its size (23 s for 8,600 practices under one ICB).
CREATE FUNCTION organisation_tree_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH RECURSIVE up AS (
        SELECT n.id AS descendant_id, n.id AS ancestor_id, 0 AS depth, n.parent_id AS above FROM new_rows n
        UNION ALL
        SELECT u.descendant_id, n.id, u.depth + 1, n.parent_id FROM up u JOIN new_rows n ON n.id = u.above
    )
    INSERT INTO organisation_tree (ancestor_id, descendant_id, depth)
    SELECT ancestor_id, descendant_id, depth FROM up
    UNION ALL
    SELECT t.ancestor_id, u.descendant_id, u.depth + 1 + t.depth
      FROM up u JOIN organisation_tree t ON t.descendant_id = u.above
     WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = u.above);

    WITH levels AS (
        SELECT t.descendant_id AS id,
               (array_agg(a.id ORDER BY t.depth) FILTER (WHERE a.type = 'region'))[1] AS region_id,
               (array_agg(a.id ORDER BY t.depth) FILTER (WHERE a.type = 'icb'))[1] AS icb_id
          FROM organisation_tree t JOIN organisations a ON a.id = t.ancestor_id
         WHERE t.descendant_id IN (SELECT n.id FROM new_rows n JOIN new_rows p ON p.id = n.parent_id)
         GROUP BY t.descendant_id)
    UPDATE organisations o SET region_id = l.region_id, icb_id = l.icb_id
      FROM levels l
     WHERE o.id = l.id AND (o.region_id, o.icb_id) IS DISTINCT FROM (l.region_id, l.icb_id);
    RETURN NULL;
END $$;

DROP TRIGGER organisations_tree_insert ON organisations;
DROP FUNCTION organisation_tree_insert();
CREATE TRIGGER organisations_levels_insert BEFORE INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisation_levels_of_new();
CREATE TRIGGER organisations_tree_insert AFTER INSERT ON organisations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organisation_tree_insert_rows();
