-- Foundation: installation settings, official regions, the unit tree with opening hours,
-- the holiday calendar and the audit log. Portable SQL (SQLite and PostgreSQL).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Kepmendagri region codes: 32 / 32.73 / 32.73.01 / 32.73.01.1001
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    parent_code TEXT,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    name        TEXT NOT NULL,
    name_search TEXT NOT NULL -- lower-case ASCII-folded name, for portable LIKE search
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    parent_id     INTEGER REFERENCES units (id),
    type          TEXT NOT NULL CHECK (type IN ('pemda', 'opd', 'kecamatan', 'kelurahan', 'mpp', 'mobile')),
    name          TEXT NOT NULL,
    name_search   TEXT NOT NULL,
    region_code   TEXT,
    address       TEXT,
    phone         TEXT,
    email         TEXT,
    tz_offset_min INTEGER NOT NULL DEFAULT 420,
    lat           REAL,
    lon           REAL,
    created_at    TEXT NOT NULL
);
CREATE INDEX units_region ON units (region_code);

-- weekday 1 = Monday .. 7 = Sunday; no row = closed that day
CREATE TABLE unit_hours (
    unit_id         INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_min       INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min      INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    break_start_min INTEGER,
    break_end_min   INTEGER,
    PRIMARY KEY (unit_id, weekday)
);

CREATE TABLE holidays (
    date   TEXT NOT NULL, -- YYYY-MM-DD
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('national', 'cuti_bersama')),
    source TEXT NOT NULL CHECK (source IN ('generated', 'manual')),
    PRIMARY KEY (date, name)
);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT,
    detail TEXT
);
