-- Foundation: installation settings, official regions, the unit tree with opening hours,
-- the holiday calendar and the audit log.
-- Portable SQL (SQLite and PostgreSQL): TEXT, INTEGER, BIGINT, DOUBLE PRECISION; {{id_pk}} is a
-- generated 64-bit key (see docs/internals/storage.md); times are UTC ISO 8601 text
-- (YYYY-MM-DDTHH:MM:SSZ), plain dates YYYY-MM-DD.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Kepmendagri region codes: 32 / 32.73 / 32.73.01 / 32.73.01.1001. name_search is the name
-- folded to lower-case ASCII without punctuation (regions_fold()): both engines compare it the
-- same way, where lower() and LIKE differ.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    parent_code TEXT,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    name        TEXT NOT NULL,
    name_search TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_name ON regions (name_search);

CREATE TABLE units (
    id            {{id_pk}},
    code          TEXT NOT NULL UNIQUE,
    parent_id     BIGINT REFERENCES units (id),
    type          TEXT NOT NULL CHECK (type IN ('pemda', 'opd', 'kecamatan', 'kelurahan', 'mpp', 'mobile')),
    name          TEXT NOT NULL,
    name_search   TEXT NOT NULL,
    region_code   TEXT,
    address       TEXT,
    phone         TEXT,
    email         TEXT,
    tz_offset_min INTEGER NOT NULL DEFAULT 420 CHECK (tz_offset_min BETWEEN -720 AND 840),
    lat           DOUBLE PRECISION CHECK (lat BETWEEN -90 AND 90),
    lon           DOUBLE PRECISION CHECK (lon BETWEEN -180 AND 180),
    created_at    TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_region ON units (region_code);

-- weekday 1 = Monday .. 7 = Sunday, minutes after local midnight; no row = closed that day
CREATE TABLE unit_hours (
    unit_id         BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_min       INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min      INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    break_start_min INTEGER,
    break_end_min   INTEGER,
    PRIMARY KEY (unit_id, weekday),
    CHECK (opens_min < closes_min),
    CHECK ((break_start_min IS NULL AND break_end_min IS NULL) OR
           (opens_min <= break_start_min AND break_start_min < break_end_min AND
            break_end_min <= closes_min))
);

-- national holidays and cuti bersama; 'generated' rows come from the data shipped with layan and
-- are refreshed by `layan init`, 'manual' rows are an admin's and never touched by it
CREATE TABLE holidays (
    date   TEXT NOT NULL CHECK (length(date) = 10),
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('national', 'cuti_bersama')),
    source TEXT NOT NULL CHECK (source IN ('generated', 'manual')),
    PRIMARY KEY (date, name)
);

-- append-only (see the engine files); the hash chain comes with the accounts issue
CREATE TABLE audit_log (
    id     {{id_pk}},
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT,
    detail TEXT
);
