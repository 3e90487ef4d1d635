DROP FUNCTION training_status(bigint, bigint, timestamptz[]);
DROP FUNCTION key_role_flags_of(bigint[]);
DROP FUNCTION training_requirements_of(bigint[]);
DROP TABLE key_role_staff;
DROP TABLE key_role_roles;
DROP TABLE default_key_role_roles;
DROP TABLE training_requirements;
DROP TABLE default_training_requirements;
