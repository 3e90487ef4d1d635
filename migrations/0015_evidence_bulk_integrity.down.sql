DROP TRIGGER xapi_statements_never_deleted ON xapi_statements;
DROP TRIGGER completions_never_deleted ON completions;
DROP TRIGGER skills_never_deleted ON skills;
DROP FUNCTION refuse_delete();
ALTER TABLE evidence ADD CONSTRAINT evidence_statement_id_fkey FOREIGN KEY (statement_id) REFERENCES xapi_statements (id) ON DELETE RESTRICT;
ALTER TABLE evidence ADD CONSTRAINT evidence_completion_id_fkey FOREIGN KEY (completion_id) REFERENCES completions (id) ON DELETE RESTRICT;
ALTER TABLE evidence ADD CONSTRAINT evidence_retracts_id_fkey FOREIGN KEY (retracts_id) REFERENCES evidence (id) ON DELETE RESTRICT;
ALTER TABLE evidence ADD CONSTRAINT evidence_skill_id_fkey FOREIGN KEY (skill_id) REFERENCES skills (id) ON DELETE RESTRICT;
