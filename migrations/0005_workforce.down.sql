DROP TABLE staff;
DROP FUNCTION resolve_role(bigint, text);
DROP TABLE role_requirements;
DROP TABLE job_roles;
