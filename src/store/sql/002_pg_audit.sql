-- PostgreSQL only (the SQLite form is 002_sqlite_fts.sql): the triggers that keep
-- the audit table append-only, and the trigram extension that search uses.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
