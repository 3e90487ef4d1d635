DROP FUNCTION refresh_survey_tiers();
DROP TABLE skill_mappings;
DROP TABLE skill_area_parents;
DROP TABLE skill_placements;
ALTER TABLE skills DROP CONSTRAINT skills_tier_fkey,
    DROP COLUMN statement_type,
    DROP COLUMN survey_tier;
-- Before this migration every skill had one of the survey's tiers. A skill without one
-- belongs to a framework other than the default, whose tiers drive nothing but
-- statistics: it is marked advanced.
UPDATE skills SET tier = 'advanced' WHERE tier IS NULL OR tier NOT IN ('basic', 'incident_response', 'advanced');
ALTER TABLE skills ALTER COLUMN tier SET NOT NULL,
    ADD CONSTRAINT skills_tier_check CHECK (tier IN ('basic', 'incident_response', 'advanced'));
DROP TABLE framework_tiers;
ALTER TABLE frameworks DROP CONSTRAINT frameworks_name_check,
    ADD CONSTRAINT frameworks_name_check CHECK (length(name) BETWEEN 1 AND 300);
