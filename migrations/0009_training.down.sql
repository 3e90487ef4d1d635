ALTER TABLE evidence DROP COLUMN statement_id;
ALTER TABLE evidence DROP COLUMN completion_id;
DROP TABLE xapi_statements;
DROP TABLE completions;
DROP TABLE course_skills;
DROP TABLE courses;
