DROP TRIGGER staff_key_roles_follow_move ON staff;
DROP FUNCTION key_role_staff_follow_move();
