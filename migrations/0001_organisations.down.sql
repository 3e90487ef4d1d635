DROP TABLE organisation_tree;
DROP TABLE organisations;
DROP FUNCTION organisation_tree_insert();
DROP FUNCTION organisation_tree_move();
DROP FUNCTION organisation_refresh_levels(bigint);
DROP FUNCTION organisation_type_change();
