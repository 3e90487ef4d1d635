DROP TABLE skills;
DROP FUNCTION skills_effective_default();
DROP TABLE skill_areas;
DROP TABLE proficiency_levels;
DROP TABLE framework_versions;
DROP FUNCTION framework_versions_immutable();
DROP TABLE frameworks;
