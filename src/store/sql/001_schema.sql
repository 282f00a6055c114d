-- cchc schema, version 1. Portable SQL (SQLite and PostgreSQL); engine-specific
-- objects (full-text search) are in the engine's own migration.
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('department','division','district_office','school','centre','external','group')),
    parent_id   INTEGER REFERENCES units(id),
    valid_from  TEXT,
    valid_to    TEXT,
    successor_id INTEGER REFERENCES units(id),
    member_kinds TEXT NOT NULL DEFAULT '',   -- groups only: unit kinds it stands for, e.g. 'division' or 'school,centre'
    created_at  TEXT NOT NULL
);
-- Name history: a rename closes the current row and opens a new one.
CREATE TABLE unit_names (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    valid_from  TEXT,
    valid_to    TEXT
);
CREATE INDEX unit_names_unit ON unit_names(unit_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin','office','leader','unit','viewer')),
    unit_id       INTEGER REFERENCES units(id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    last_used   TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);

-- Failed login attempts, for throttling per account ('u:NAME') and per IP ('ip:ADDR').
CREATE TABLE login_failures (
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    doc_number  TEXT NOT NULL DEFAULT '',
    issued_on   TEXT,
    year_from   INTEGER NOT NULL,
    year_to     INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    public      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);

CREATE TABLE areas (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id),
    no        TEXT NOT NULL,
    title     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    UNIQUE (plan_id, no)
);

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL REFERENCES plans(id),
    area_id        INTEGER NOT NULL REFERENCES areas(id),
    number         TEXT NOT NULL,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    lead_unit_id   INTEGER NOT NULL REFERENCES units(id),
    product        TEXT NOT NULL DEFAULT '',
    deadline_text  TEXT NOT NULL DEFAULT '',
    dl_kind        TEXT NOT NULL,
    dl_start       TEXT,
    dl_due         TEXT,
    dl_every       TEXT,
    dl_needs_date  INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'not_started'
                   CHECK (status IN ('not_started','in_progress','done','cancelled')),
    percent        INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    done_on        TEXT,
    updated_at     TEXT NOT NULL,
    UNIQUE (plan_id, number)
);
CREATE INDEX tasks_plan ON tasks(plan_id, position);
CREATE INDEX tasks_lead ON tasks(lead_unit_id);
CREATE INDEX tasks_due ON tasks(dl_due);

CREATE TABLE task_milestones (
    task_id  INTEGER NOT NULL REFERENCES tasks(id),
    seq      INTEGER NOT NULL,
    label    TEXT NOT NULL,
    start    TEXT,
    due      TEXT,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE task_units (
    task_id  INTEGER NOT NULL REFERENCES tasks(id),
    unit_id  INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units(unit_id);

CREATE TABLE task_updates (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    unit_id     INTEGER REFERENCES units(id),
    is_lead     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    percent     INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX task_updates_task ON task_updates(task_id, id);

-- Content-addressed evidence files, stored under DATA/files/ab/cdef....
CREATE TABLE files (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    mime        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE update_files (
    id         INTEGER PRIMARY KEY,
    update_id  INTEGER NOT NULL REFERENCES task_updates(id),
    sha256     TEXT NOT NULL REFERENCES files(sha256),
    filename   TEXT NOT NULL,
    public     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX update_files_update ON update_files(update_id);

CREATE TABLE targets (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id),
    code        TEXT NOT NULL,
    text        TEXT NOT NULL,
    comparator  TEXT NOT NULL CHECK (comparator IN ('>=','<=','=','qualitative')),
    value       REAL,
    unit        TEXT NOT NULL DEFAULT '',
    period      TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT 'manual',
    UNIQUE (plan_id, code)
);
CREATE TABLE target_measurements (
    id           INTEGER PRIMARY KEY,
    target_id    INTEGER NOT NULL REFERENCES targets(id),
    value        REAL NOT NULL,
    measured_on  TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    sha256       TEXT REFERENCES files(sha256),
    filename     TEXT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);

CREATE TABLE report_periods (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id),
    kind        TEXT NOT NULL CHECK (kind IN ('q1','h1','q3','year')),
    year        INTEGER NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
    opened_by   INTEGER REFERENCES users(id),
    opened_at   TEXT NOT NULL,
    UNIQUE (plan_id, kind, year)
);
CREATE TABLE unit_reports (
    id            INTEGER PRIMARY KEY,
    period_id     INTEGER NOT NULL REFERENCES report_periods(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    body          TEXT NOT NULL,
    submitted_by  INTEGER NOT NULL REFERENCES users(id),
    submitted_at  TEXT NOT NULL,
    approved_by   INTEGER REFERENCES users(id),
    approved_at   TEXT,
    UNIQUE (period_id, unit_id)
);

-- Uploaded plan CSVs awaiting confirmation after the preview.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    filename    TEXT NOT NULL,
    content     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'preview' CHECK (status IN ('preview','applied','cancelled')),
    created_at  TEXT NOT NULL
);

-- Append-only audit trail: who, when, what, before and after (JSON).
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER,
    before     TEXT,
    after      TEXT
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
