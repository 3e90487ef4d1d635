DROP FUNCTION course_pass_rates(bigint[]);
DROP TABLE scenarios;
DROP TABLE enrolments;
DROP FUNCTION establishment_in_force(date);
DROP TABLE establishment;
