-- The electronic one-stop shop (Một cửa điện tử), portable.
--
-- A procedure (TTHC) is its national code; every edit adds an immutable
-- version, and a dossier keeps the version it was received under. The
-- searchable facts are columns; components, fees, legal basis, steps and the
-- rest are the version's JSON document (store/onestop/store_procedure.c).
CREATE TABLE procedures (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,          -- national TTHC code, "1.005129"
    current_version INTEGER NOT NULL,
    published     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE procedure_versions (
    id            INTEGER PRIMARY KEY,
    procedure_id  INTEGER NOT NULL REFERENCES procedures(id),
    version       INTEGER NOT NULL,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,                 -- without diacritics, for search
    field         TEXT NOT NULL,
    duration_value INTEGER NOT NULL,
    duration_unit TEXT NOT NULL CHECK (duration_unit IN ('working_days','working_hours','days','months','same_day')),
    online_level  TEXT NOT NULL CHECK (online_level IN ('none','partial','full')),
    body          TEXT NOT NULL,                 -- the whole procedure, JSON
    created_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    UNIQUE (procedure_id, version)
);

-- The national portal's status code of each internal state: configuration,
-- not code (cchc onestop portal-status STATE CODE).
CREATE TABLE portal_status_map (
    state         TEXT PRIMARY KEY,
    portal_status INTEGER NOT NULL CHECK (portal_status BETWEEN 1 AND 10)
);
INSERT INTO portal_status_map (state, portal_status) VALUES
    ('submitted', 1), ('received', 2), ('refused', 3), ('processing', 4), ('supplement_requested', 5),
    ('payment_requested', 6), ('withdrawn', 7), ('stopped', 8), ('done', 9), ('returned', 10);

-- Legal regimes: which decree/circular and form set a dossier falls under, by
-- its reception date. Data with effective dates, never an if on a date.
CREATE TABLE legal_regimes (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,                          -- inclusive; NULL: still in force
    forms         TEXT NOT NULL                  -- JSON: [{"no": "01", "title": "...", "kind": "receipt"}]
);
INSERT INTO legal_regimes (id, name, valid_from, valid_to, forms) VALUES
    ('nd61_2018', 'Nghị định 61/2018/NĐ-CP, Thông tư 01/2018/TT-VPCP', '2018-08-21', '2025-06-30',
     '[{"no":"01","title":"Giấy tiếp nhận hồ sơ và hẹn trả kết quả","kind":"receipt"},{"no":"02","title":"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ","kind":"supplement"},{"no":"03","title":"Phiếu từ chối tiếp nhận giải quyết hồ sơ","kind":"refusal"},{"no":"04","title":"Phiếu xin lỗi và hẹn lại ngày trả kết quả","kind":"apology"},{"no":"05","title":"Phiếu kiểm soát quá trình giải quyết hồ sơ","kind":"control"},{"no":"06","title":"Sổ theo dõi hồ sơ","kind":"register"}]'),
    ('nd118_2025', 'Nghị định 118/2025/NĐ-CP, Thông tư 03/2025/TT-VPCP', '2025-07-01', NULL,
     '[{"no":"01","title":"Giấy tiếp nhận hồ sơ và hẹn trả kết quả","kind":"receipt"},{"no":"02","title":"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ","kind":"supplement"},{"no":"03","title":"Phiếu từ chối tiếp nhận giải quyết hồ sơ","kind":"refusal"},{"no":"04","title":"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết","kind":"apology"},{"no":"05","title":"Thông báo dừng giải quyết hồ sơ","kind":"stop"},{"no":"06","title":"Phiếu kiểm soát quá trình giải quyết hồ sơ","kind":"control"},{"no":"07","title":"Sổ theo dõi hồ sơ","kind":"register"}]');

-- The last sequence number given per agency code and reception day: codes are
-- allocated in the dossier's own write transaction, never reused.
CREATE TABLE dossier_counters (
    agency        TEXT NOT NULL,
    day           TEXT NOT NULL,                 -- YYMMDD
    last_seq      INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);

CREATE TABLE dossiers (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    procedure_version_id INTEGER NOT NULL REFERENCES procedure_versions(id),
    regime        TEXT NOT NULL REFERENCES legal_regimes(id),
    channel       TEXT NOT NULL CHECK (channel IN ('counter','online','postal')),
    home_service  INTEGER NOT NULL DEFAULT 0,    -- reception or return at home (2022 plan item 19)
    state         TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_name_folded TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL DEFAULT '',
    applicant_phone TEXT NOT NULL DEFAULT '',
    applicant_email TEXT NOT NULL DEFAULT '',
    applicant_address TEXT NOT NULL DEFAULT '',
    received_at   TEXT NOT NULL,                 -- ISO local time with +07:00
    due_at        TEXT NOT NULL,                 -- the return date-time as it stands (pauses, apology)
    base_due_at   TEXT NOT NULL,                 -- statutory, before pauses (the on-time rule)
    paused_since  TEXT,                          -- set while the applicant holds it
    paused_minutes INTEGER NOT NULL DEFAULT 0,   -- closed pauses, calendar minutes
    supplement_requests INTEGER NOT NULL DEFAULT 0,
    apology_at    TEXT,
    apology_due_at TEXT,
    step          INTEGER NOT NULL DEFAULT 0,    -- the process step it is at (0: intake)
    holder_unit_id INTEGER REFERENCES units(id),
    finished_at   TEXT,
    returned_at   TEXT,
    received_by   INTEGER REFERENCES users(id),
    updated_at    TEXT NOT NULL
);
CREATE INDEX dossiers_state ON dossiers(state, due_at);
CREATE INDEX dossiers_holder ON dossiers(holder_unit_id, state);
CREATE INDEX dossiers_received ON dossiers(received_at);

CREATE TABLE dossier_components (
    dossier_id    INTEGER NOT NULL REFERENCES dossiers(id),
    component_no  INTEGER NOT NULL,              -- the component's number in the procedure version
    file_sha      TEXT,                          -- the scan (files table) when digitised
    PRIMARY KEY (dossier_id, component_no)
);

-- Every event of a dossier: the timeline and the control sheet (phiếu kiểm soát).
CREATE TABLE dossier_events (
    id            INTEGER PRIMARY KEY,
    dossier_id    INTEGER NOT NULL REFERENCES dossiers(id),
    at            TEXT NOT NULL,
    event         TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT NOT NULL DEFAULT '',
    from_unit_id  INTEGER REFERENCES units(id),
    to_unit_id    INTEGER REFERENCES units(id),
    step          INTEGER,
    step_result   TEXT CHECK (step_result IN ('early','on_time','late')),
    note          TEXT NOT NULL DEFAULT '',
    details       TEXT                           -- JSON: reason, legal basis, approver, new date
);
CREATE INDEX dossier_events_dossier ON dossier_events(dossier_id, id);

-- Every view of a dossier's personal data (Decree 13/2023).
CREATE TABLE dossier_views (
    id            INTEGER PRIMARY KEY,
    dossier_id    INTEGER NOT NULL REFERENCES dossiers(id),
    user_id       INTEGER REFERENCES users(id),
    at            TEXT NOT NULL
);
