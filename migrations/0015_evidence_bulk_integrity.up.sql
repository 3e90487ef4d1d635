-- Evidence is the largest table (twelve million rows nationally) and is bulk loaded. A
-- foreign key costs a trigger call per inserted row even when the column is NULL: for a
-- million-row import, the keys to skills, retracted records, completions and xAPI
-- statements took 4.4 of 15.6 seconds. The rows they point to are never deleted and
-- their ids never change, and every insert takes these ids from a row it has just read
-- or written in the same transaction, so the keys only guarded against deletion. That
-- guard is kept, once per deleting statement instead of once per evidence row: deletes
-- from the referenced tables are refused outright. The key to staff stays (an import
-- names people by external id and the key is the last word on them).
ALTER TABLE evidence DROP CONSTRAINT evidence_skill_id_fkey;
ALTER TABLE evidence DROP CONSTRAINT evidence_retracts_id_fkey;
ALTER TABLE evidence DROP CONSTRAINT evidence_completion_id_fkey;
ALTER TABLE evidence DROP CONSTRAINT evidence_statement_id_fkey;

CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted: evidence refers to them', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER skills_never_deleted BEFORE DELETE OR TRUNCATE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER completions_never_deleted BEFORE DELETE OR TRUNCATE ON completions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER xapi_statements_never_deleted BEFORE DELETE OR TRUNCATE ON xapi_statements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
