-- SQLite only: full-text index over folded (lowercase, no diacritics) task text,
-- and the triggers that keep the audit table append-only.
CREATE VIRTUAL TABLE task_fts USING fts5(folded, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
