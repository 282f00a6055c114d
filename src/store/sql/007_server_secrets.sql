-- Secrets every instance of a deployment shares (portable): e.g. the key that
-- signs pre-login CSRF tokens. Created once, by whichever instance needs it first.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,              -- hex
    created_at  TEXT NOT NULL
);
