-- Admin edits of the working-day calendar. Portable SQL (SQLite and PostgreSQL).
-- The bundled schedule (data/holidays/*.csv) is the base; these rows are applied
-- on top of it in id order, so for one day the later row wins. Kind 'normal'
-- removes whatever the schedule says about that day (a plain Mon–Fri rule day).
CREATE TABLE calendar_overrides (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,                 -- YYYY-MM-DD
    kind        TEXT NOT NULL CHECK (kind IN ('normal','holiday','tet','compensatory','swapped_off','makeup_workday')),
    name        TEXT,                          -- shown as the reason the day is off / worked
    source      TEXT,                          -- legal reference, e.g. 'Công văn 12729/VPCP-KGVX'
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX calendar_overrides_day ON calendar_overrides(day);

-- Years without an official schedule that an admin has checked and confirmed
-- (their status goes from 'provisional' to 'confirmed').
CREATE TABLE calendar_confirmed_years (
    year          INTEGER PRIMARY KEY,
    confirmed_by  INTEGER REFERENCES users(id),
    confirmed_at  TEXT NOT NULL
);
