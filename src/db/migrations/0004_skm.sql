-- Satisfaction survey (SKM, PermenPANRB 14/2017): versioned instruments, survey periods per
-- unit, anonymous responses with their answers, and the follow-up plan of each period.
-- See docs/internals/skm.md.
--
-- Instruments are append-only: a change (an added element, other weights) is a new version, so
-- a period keeps the instrument it was run with and old results stay reproducible. The default
-- instrument (unit_id NULL, government-wide) is seeded by `layan init` (skm_seed_default), not
-- here, so `layan db copy` still sees an empty target.
-- Responses carry no personal identifier: the profile fields are the regulation's questionnaire
-- (sex, age, education, occupation, service received), and the one-time link of a finished
-- request is kept only as a hash.

CREATE TABLE skm_instruments (
    id            {{id_pk}},
    unit_id       BIGINT REFERENCES units (id), -- NULL: the government-wide default
    version       INTEGER NOT NULL CHECK (version >= 1),
    name          TEXT NOT NULL,
    rounding_rule TEXT NOT NULL,                -- 'half-up-2': IKM_25 rounded once, half up
    ladder_name   TEXT NOT NULL,                -- 'permenpanrb-14-2017': the class cut-offs
    created_at    TEXT NOT NULL,
    UNIQUE (unit_id, version)
);
-- UNIQUE above does not cover NULLs (both engines treat them as distinct)
CREATE UNIQUE INDEX skm_instruments_default ON skm_instruments (version) WHERE unit_id IS NULL;

-- weights are exact fractions; that they sum to 1 is checked by the store (core/ikm) on create
CREATE TABLE skm_elements (
    instrument_id BIGINT NOT NULL REFERENCES skm_instruments (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,                -- 'U1'...: answers refer to this, never to pos
    pos           INTEGER NOT NULL,
    label         TEXT NOT NULL,
    weight_num    BIGINT NOT NULL CHECK (weight_num > 0),
    weight_den    BIGINT NOT NULL CHECK (weight_den >= weight_num),
    answer1       TEXT NOT NULL,
    answer2       TEXT NOT NULL,
    answer3       TEXT NOT NULL,
    answer4       TEXT NOT NULL,
    PRIMARY KEY (instrument_id, code),
    UNIQUE (instrument_id, pos)
);

-- code: '2026', '2026-S1', '2026-Q1' or 'YYYY-MM-DD..YYYY-MM-DD' (core/ikm ikm_period_parse);
-- walkin_count: services delivered outside layan in the period, entered by the unit (NULL: not
-- entered yet); the population N adds the requests finished in the period once requests exist
CREATE TABLE skm_periods (
    id            {{id_pk}},
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    code          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('year', 'semester', 'quarter', 'custom')),
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    instrument_id BIGINT NOT NULL REFERENCES skm_instruments (id),
    walkin_count  BIGINT CHECK (walkin_count >= 0),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'published')),
    created_at    TEXT NOT NULL,
    closed_at     TEXT,
    published_at  TEXT,
    UNIQUE (unit_id, code),
    CHECK (starts_on <= ends_on)
);
CREATE INDEX skm_periods_code ON skm_periods (code);

-- one row per questionnaire; unit_id repeats the period's so roll-ups can filter by unit
CREATE TABLE skm_responses (
    id            {{id_pk}},
    period_id     BIGINT NOT NULL REFERENCES skm_periods (id) ON DELETE CASCADE,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    service_code  TEXT,
    channel       TEXT NOT NULL CHECK (channel IN ('link', 'kiosk', 'paper', 'import')),
    submitted_at  TEXT NOT NULL,
    jenis_kelamin TEXT CHECK (jenis_kelamin IN ('L', 'P')),
    umur          INTEGER CHECK (umur BETWEEN 10 AND 120),
    pendidikan    TEXT,
    pekerjaan     TEXT,
    layanan       TEXT,
    tanggal       TEXT,
    -- the one-time "after a service" link: hash of its token, set when the link is issued
    token_hash    {{blob}} UNIQUE
);
CREATE INDEX skm_responses_period ON skm_responses (period_id, service_code);

CREATE TABLE skm_answers (
    response_id  BIGINT NOT NULL REFERENCES skm_responses (id) ON DELETE CASCADE,
    element_code TEXT NOT NULL,
    value        INTEGER NOT NULL CHECK (value BETWEEN 1 AND 4),
    PRIMARY KEY (response_id, element_code)
);

-- the follow-up plan (rencana tindak lanjut) of a period
CREATE TABLE skm_followups (
    id         {{id_pk}},
    period_id  BIGINT NOT NULL REFERENCES skm_periods (id) ON DELETE CASCADE,
    item       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due_date   TEXT,
    status     TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done',
                                                                 'dropped')),
    evidence   TEXT,
    done_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX skm_followups_period ON skm_followups (period_id);
