-- Service catalogue: unit facilities, service types, where each is offered (with local
-- overrides), versioned service standards with the 14 components of UU 25/2009, the fields of a
-- service's application form, and the maklumat pelayanan of each unit.
-- See docs/internals/catalogue.md.
--
-- Standards and maklumat are append-only in practice: an edit adds a version, nothing updates
-- or deletes one, so "what was in force on date D" stays answerable and old versions readable.

-- what a unit offers its visitors; shown publicly and read by the evaluations (PEKPPP)
CREATE TABLE unit_facilities (
    unit_id  BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    facility TEXT NOT NULL CHECK (facility IN ('parking', 'waiting_room', 'toilet',
        'lactation_room', 'prayer_room', 'play_area', 'wheelchair', 'priority_counter',
        'information_desk')),
    note     TEXT,
    PRIMARY KEY (unit_id, facility)
);

-- a service type, defined once at the unit that owns it (Disdukcapil) and offered at many points
CREATE TABLE services (
    id            {{id_pk}},
    code          TEXT NOT NULL UNIQUE,
    owner_unit_id BIGINT NOT NULL REFERENCES units (id),
    name          TEXT NOT NULL,
    name_search   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    category      TEXT NOT NULL,
    -- adminduk services are free by law (UU 24/2013 Pasal 79A): their cost is locked at Rp0
    free_by_law   INTEGER NOT NULL DEFAULT 0,
    sort          INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- the life events a citizen would search by ("anak lahir", "pindah rumah"...)
CREATE TABLE service_events (
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    event      TEXT NOT NULL CHECK (event IN ('anak-lahir', 'pindah-rumah', 'menikah',
        'kehilangan-dokumen', 'kematian', 'perceraian', 'usia-17', 'perubahan-data')),
    PRIMARY KEY (service_id, event)
);
CREATE INDEX service_events_event ON service_events (event);

-- where a service is offered, with local overrides of the standard (NULL = the standard's)
CREATE TABLE service_points (
    service_id       BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    unit_id          BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    time_limit_value INTEGER CHECK (time_limit_value > 0),
    time_limit_unit  TEXT CHECK (time_limit_unit IN ('hours', 'days')),
    counters         INTEGER CHECK (counters >= 0),
    note             TEXT,
    active           INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (service_id, unit_id),
    CHECK ((time_limit_value IS NULL) = (time_limit_unit IS NULL))
);
CREATE INDEX service_points_unit ON service_points (unit_id);

-- service hours at a point when they differ from the unit's (same shape as unit_hours);
-- a point with no rows here follows the unit's hours
CREATE TABLE service_point_hours (
    service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    unit_id    BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_min  INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    PRIMARY KEY (service_id, unit_id, weekday),
    CHECK (opens_min < closes_min)
);

-- one version of a service's standard. Stipulated = decree_number and decree_date present.
-- In force on date D: the highest version with effective_from <= D.
CREATE TABLE standards (
    id                 {{id_pk}},
    service_id         BIGINT NOT NULL REFERENCES services (id),
    version            INTEGER NOT NULL CHECK (version >= 1),
    decree_number      TEXT,
    decree_date        TEXT,
    effective_from     TEXT NOT NULL CHECK (length(effective_from) = 10),
    review_due         TEXT,
    participation      TEXT,
    -- service delivery (published): persyaratan and prosedur are the child tables below
    time_limit_value   INTEGER NOT NULL CHECK (time_limit_value > 0),
    time_limit_unit    TEXT NOT NULL CHECK (time_limit_unit IN ('hours', 'days')),
    cost_amount        BIGINT NOT NULL DEFAULT 0 CHECK (cost_amount >= 0),
    cost_note          TEXT,
    product            TEXT,
    complaint_channels TEXT,
    -- manufacturing (internal)
    legal_basis        TEXT,
    facilities         TEXT,
    competence         TEXT,
    supervision        TEXT,
    staff_count        TEXT,
    guarantee          TEXT,
    safety             TEXT,
    evaluation         TEXT,
    change_note        TEXT,
    created_by         BIGINT REFERENCES users (id),
    created_at         TEXT NOT NULL,
    UNIQUE (service_id, version)
);

-- persyaratan: documents, in order. cond is a machine-readable condition the application form
-- uses ('age_lt_5', 'age_5_17', 'married', 'lost', 'damaged', 'moved', 'no_birth_letter'...),
-- cond_label says it in words. file_types: comma list of 'jpg', 'png', 'pdf'.
CREATE TABLE standard_requirements (
    standard_id    BIGINT NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,
    doc_type       TEXT NOT NULL,
    label          TEXT NOT NULL,
    required       INTEGER NOT NULL DEFAULT 1,
    cond           TEXT,
    cond_label     TEXT,
    file_types     TEXT NOT NULL DEFAULT 'jpg,png,pdf',
    original_shown INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (standard_id, pos)
);

-- sistem, mekanisme dan prosedur: ordered steps and who performs each
CREATE TABLE standard_steps (
    standard_id BIGINT NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    actor       TEXT NOT NULL CHECK (actor IN ('pemohon', 'petugas', 'kepala_unit', 'kurir',
        'sistem')),
    text        TEXT NOT NULL,
    PRIMARY KEY (standard_id, pos)
);

-- the data a service's application form collects besides the requirement documents and the
-- fields every request has (NIK, how to receive the result). Open311 publishes them as the
-- service definition's attributes. datatype as Open311: string, number, datetime, text,
-- singlevaluelist, multivaluelist; choices as "key=Name" lines.
CREATE TABLE service_fields (
    service_id  BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    datatype    TEXT NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text',
        'singlevaluelist', 'multivaluelist')),
    required    INTEGER NOT NULL DEFAULT 1,
    label       TEXT NOT NULL,
    description TEXT,
    choices     TEXT,
    PRIMARY KEY (service_id, pos),
    UNIQUE (service_id, code)
);

-- maklumat pelayanan, versioned like standards: the current one is the highest version
CREATE TABLE maklumat (
    id              {{id_pk}},
    unit_id         BIGINT NOT NULL REFERENCES units (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    body            TEXT NOT NULL,
    signatory_name  TEXT NOT NULL,
    signatory_title TEXT NOT NULL,
    stipulated_on   TEXT NOT NULL CHECK (length(stipulated_on) = 10),
    channels        TEXT NOT NULL,
    created_by      BIGINT REFERENCES users (id),
    created_at      TEXT NOT NULL,
    UNIQUE (unit_id, version)
);
