-- A key role appointment (the SIRO, the DPO...) is made by an organisation of one of its
-- own staff. When a person moves to another organisation, by any path (PUT, PATCH, a
-- staff import), the old organisation's appointments of them end: otherwise they would
-- keep counting the person as its key role holder in the new organisation's report, and
-- the old one would go on listing someone now outside its scope.
CREATE FUNCTION key_role_staff_follow_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM key_role_staff WHERE staff_id = NEW.id AND organisation_id <> NEW.organisation_id;
    RETURN NULL;
END $$;

CREATE TRIGGER staff_key_roles_follow_move
    AFTER UPDATE OF organisation_id ON staff
    FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
    EXECUTE FUNCTION key_role_staff_follow_move();

-- Appointments made before this migration of people who have moved since.
DELETE FROM key_role_staff a USING staff s WHERE s.id = a.staff_id AND s.organisation_id <> a.organisation_id;
