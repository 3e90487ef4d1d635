-- Frameworks that fit more than our own (issue 19).
--
-- Tiers belong to a framework, and a framework may have none: framework_tiers lists each
-- framework's, and a skill's tier is one of its framework's or none. National statistics
-- still count by the survey's three tiers of the default framework: each skill records
-- the survey tier it counts under (survey_tier), its own tier when that is one of the
-- three, else through skill_mappings, the published correspondence of another
-- framework's skills to the default framework's.
--
-- A skill may sit under several areas (a NICE statement belongs to every work role that
-- lists it) and an area under several parents: skill_placements and skill_area_parents
-- hold every place, skills.area_id and skill_areas.parent_id stay the first. Skills say
-- what kind of statement they are (statement_type). Framework names are no longer cut
-- at 300 characters: CASE sets no limit on titles.

ALTER TABLE frameworks DROP CONSTRAINT frameworks_name_check,
    ADD CONSTRAINT frameworks_name_check CHECK (length(name) BETWEEN 1 AND 10000);

CREATE TABLE framework_tiers (
    framework_id bigint NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    code         text NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    position     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (framework_id, code),
    CONSTRAINT framework_tiers_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')
);

-- Every framework published so far has the survey's three tiers (models.SurveyTiers).
INSERT INTO framework_tiers (framework_id, code, name, description, position)
SELECT f.id, t.code, t.name, t.description, t.position
  FROM frameworks f CROSS JOIN (VALUES
    ('basic', 'Basic technical skills', 'The technical tasks laid out in Cyber Essentials that the survey asks about to measure the basic skills gap.', 0),
    ('incident_response', 'Incident response', 'Detecting, handling and reporting a cyber security incident: the survey''s incident response skills gap.', 1),
    ('advanced', 'Advanced skills', 'Specialist skills such as penetration testing, forensics and security architecture: the survey''s advanced skills gap.', 2)
  ) AS t (code, name, description, position);

ALTER TABLE skills DROP CONSTRAINT skills_tier_check;
ALTER TABLE skills ALTER COLUMN tier DROP NOT NULL;
-- Deferred, so that a version may drop a tier and the skills in it in either order.
ALTER TABLE skills ADD CONSTRAINT skills_tier_fkey FOREIGN KEY (framework_id, tier)
    REFERENCES framework_tiers (framework_id, code) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE skills
    ADD COLUMN statement_type text,
    ADD COLUMN survey_tier text,
    ADD CONSTRAINT skills_statement_type_check CHECK (statement_type IN ('task', 'knowledge', 'skill')),
    ADD CONSTRAINT skills_survey_tier_check CHECK (survey_tier IN ('basic', 'incident_response', 'advanced'));
UPDATE skills SET survey_tier = tier;

-- Every place of a skill in its framework's area tree, in the document's order.
CREATE TABLE skill_placements (
    skill_id bigint NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    area_id  bigint NOT NULL REFERENCES skill_areas (id) ON DELETE CASCADE,
    position smallint NOT NULL DEFAULT 0,
    PRIMARY KEY (skill_id, area_id)
);
CREATE INDEX skill_placements_area_idx ON skill_placements (area_id);
INSERT INTO skill_placements (skill_id, area_id) SELECT id, area_id FROM skills WHERE area_id IS NOT NULL;

-- Every parent of an area, in the document's order.
CREATE TABLE skill_area_parents (
    area_id   bigint NOT NULL REFERENCES skill_areas (id) ON DELETE CASCADE,
    parent_id bigint NOT NULL REFERENCES skill_areas (id) ON DELETE CASCADE,
    position  smallint NOT NULL DEFAULT 0,
    PRIMARY KEY (area_id, parent_id)
);
CREATE INDEX skill_area_parents_parent_idx ON skill_area_parents (parent_id);
INSERT INTO skill_area_parents (area_id, parent_id) SELECT id, parent_id FROM skill_areas WHERE parent_id IS NOT NULL;

-- skill_mappings: a skill of one framework corresponds to skills of the default
-- framework (the shipped NICE mapping, or an administrator's). Skills are never deleted.
CREATE TABLE skill_mappings (
    skill_id   bigint NOT NULL REFERENCES skills (id),
    maps_to_id bigint NOT NULL REFERENCES skills (id),
    PRIMARY KEY (skill_id, maps_to_id),
    CONSTRAINT skill_mappings_self_check CHECK (skill_id <> maps_to_id)
);
CREATE INDEX skill_mappings_maps_to_idx ON skill_mappings (maps_to_id);

-- refresh_survey_tiers sets every skill's survey tier: its own tier when that is one of
-- the survey's three, else the most basic tier of the default framework's skills it is
-- mapped to (a gap in something that underpins a basic skill is a basic gap), else none.
-- Only rows whose tier changes are written. Publishing a framework or changing a mapping
-- calls it; statistics then read survey_tier beside the skill they already join.
CREATE FUNCTION refresh_survey_tiers() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    WITH want AS (
        SELECT k.id, COALESCE(
                   CASE WHEN k.tier IN ('basic', 'incident_response', 'advanced') THEN k.tier END,
                   (SELECT d.tier FROM skill_mappings m
                      JOIN skills d ON d.id = m.maps_to_id
                      JOIN frameworks f ON f.id = d.framework_id AND f.is_default
                     WHERE m.skill_id = k.id AND d.tier IN ('basic', 'incident_response', 'advanced')
                     ORDER BY array_position(ARRAY['basic', 'incident_response', 'advanced'], d.tier)
                     LIMIT 1)) AS tier
          FROM skills k)
    UPDATE skills s SET survey_tier = w.tier
      FROM want w
     WHERE w.id = s.id AND s.survey_tier IS DISTINCT FROM w.tier;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
