DROP TRIGGER xapi_person_mappings_rematch_update ON xapi_person_mappings;
DROP TRIGGER xapi_person_mappings_rematch_insert ON xapi_person_mappings;
DROP TRIGGER course_activities_rematch ON course_activities;
DROP TRIGGER organisations_rematch ON organisations;
DROP TRIGGER staff_rematch ON staff;
DROP FUNCTION xapi_request_provider_rematch();
DROP FUNCTION xapi_request_rematch();
DROP TABLE xapi_rematch_scan;
DROP TABLE xapi_rematch_requests;
DROP TABLE xapi_person_mappings;
-- Before 0024 an activity IRI was unique across providers: where two providers now share
-- one, the older course keeps it.
UPDATE courses c SET activity_iri = NULL
 WHERE activity_iri IS NOT NULL
   AND EXISTS (SELECT 1 FROM courses o WHERE o.activity_iri = c.activity_iri AND o.id < c.id);
CREATE UNIQUE INDEX courses_activity_iri_key ON courses (activity_iri) WHERE activity_iri IS NOT NULL;
DROP TABLE course_activities;
ALTER TABLE courses DROP COLUMN completion_rule;
DROP TABLE xapi_attachments;
DROP TABLE xapi_activities;
ALTER TABLE xapi_statements
    DROP COLUMN seq, DROP COLUMN version, DROP COLUMN timestamp_at, DROP COLUMN registration,
    DROP COLUMN object_ref, DROP COLUMN voiding, DROP COLUMN actor_key, DROP COLUMN attachment_digests, DROP COLUMN agents, DROP COLUMN related_agents,
    DROP COLUMN activity, DROP COLUMN related_activities, DROP COLUMN facts, DROP COLUMN match_status,
    DROP COLUMN match_reason;
DROP AGGREGATE xapi_merge_definitions (jsonb);
DROP FUNCTION xapi_merge_definition(jsonb, jsonb);
DROP FUNCTION xapi_related_activities(jsonb);
DROP FUNCTION xapi_statement_activities(jsonb);
DROP FUNCTION xapi_own_statement_activities(jsonb);
DROP FUNCTION xapi_activity(jsonb);
DROP FUNCTION xapi_actor_key(jsonb);
DROP FUNCTION xapi_related_agents(jsonb);
DROP FUNCTION xapi_own_related_agents(jsonb);
DROP FUNCTION xapi_agents(jsonb);
DROP FUNCTION xapi_agent_keys(jsonb);
DROP FUNCTION xapi_ifi(jsonb);
DROP FUNCTION xapi_list(jsonb);
