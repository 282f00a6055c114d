-- Login attempts get an id, so a successful login can forget exactly its own
-- attempt (attempts are recorded before the check; see auth_login).
CREATE TABLE login_attempts (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(key, at);
INSERT INTO login_attempts(key, at) SELECT key, at FROM login_failures;
DROP TABLE login_failures;
