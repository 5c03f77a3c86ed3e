-- Service requests (issue 6): a citizen's (or an officer's, for the assisted channel) application
-- for a service at a service point, its status history, uploaded requirement documents,
-- deliveries and home visits. See docs/internals/requests.md.
--
-- Personal data follows 0002_accounts.sql: NIK and KK numbers only sealed (*_enc) with a keyed
-- hash for lookups (*_hash) and a masked form (*_masked); the applicant's name and phone, the
-- delivery address, the form data and the recipient of a delivery only sealed. Times are UTC ISO
-- 8601 text; paused_minutes counts working minutes.

CREATE TABLE requests (
    id               {{id_pk}},
    -- core/tracking: 10 symbols, the last a check symbol; shown as XXXX-XXXX-XX
    tracking_code    TEXT NOT NULL UNIQUE CHECK (length(tracking_code) = 10),
    service_id       BIGINT NOT NULL REFERENCES services (id),
    unit_id          BIGINT NOT NULL REFERENCES units (id),
    -- the standard in force when the request was filed: the request is judged by it
    standard_version INTEGER NOT NULL CHECK (standard_version >= 1),
    -- the limit applied (the point's override, else the standard's), kept with the request
    time_limit_value INTEGER NOT NULL CHECK (time_limit_value >= 0),
    time_limit_unit  TEXT NOT NULL CHECK (time_limit_unit IN ('hours', 'days')),
    -- NULL for the assisted and integration channels (no citizen account)
    applicant_id     BIGINT REFERENCES users (id),
    -- the officer who filed it (assisted, home_visit) or the API key (integration)
    filed_by         BIGINT REFERENCES users (id),
    api_key_id       BIGINT REFERENCES api_keys (id),
    channel          TEXT NOT NULL CHECK (channel IN ('online', 'assisted', 'integration', 'home_visit')),
    delivery         TEXT NOT NULL CHECK (delivery IN ('pickup', 'delivery', 'kiosk')),
    address_enc      {{blob}},
    nik_hash         {{blob}} NOT NULL,
    nik_enc          {{blob}} NOT NULL,
    nik_masked       TEXT NOT NULL,
    kk_hash          {{blob}},
    kk_enc           {{blob}},
    kk_masked        TEXT,
    name_enc         {{blob}},
    phone_enc        {{blob}},
    phone_masked     TEXT,
    form_enc         {{blob}},
    -- a state code of the service's workflow (core/workflow); checked by the code, not here,
    -- because a service may define its own states
    status           TEXT NOT NULL,
    submitted_at     TEXT NOT NULL,
    -- the SLA deadline (core/sla); NULL while it cannot be known
    due_at           TEXT,
    -- the clock is stopped since (waiting for the citizen); NULL when it runs
    paused_since     TEXT,
    paused_minutes   BIGINT NOT NULL DEFAULT 0 CHECK (paused_minutes >= 0),
    -- first reached an "end" state (done or cancelled); on_time judged then
    finished_at      TEXT,
    on_time          INTEGER CHECK (on_time IN (0, 1)),
    cancelled        INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    claimed_by       BIGINT REFERENCES users (id),
    claimed_at       TEXT,
    -- a retried submit returns the first request: unique per applicant, filing officer or key
    idempotency_key  TEXT CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 8 AND 128),
    kiosk_pin_hash   {{blob}},
    kiosk_pin_used_at TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (applicant_id IS NOT NULL OR filed_by IS NOT NULL OR api_key_id IS NOT NULL),
    CHECK ((claimed_by IS NULL) = (claimed_at IS NULL)),
    CHECK (delivery <> 'delivery' OR address_enc IS NOT NULL)
);
CREATE UNIQUE INDEX requests_idem_applicant ON requests (applicant_id, idempotency_key);
CREATE UNIQUE INDEX requests_idem_staff ON requests (filed_by, idempotency_key);
CREATE UNIQUE INDEX requests_idem_api ON requests (api_key_id, idempotency_key);
-- the worklist: a unit's open requests by deadline
CREATE INDEX requests_worklist ON requests (unit_id, status, due_at);
CREATE INDEX requests_applicant ON requests (applicant_id, submitted_at);
CREATE INDEX requests_nik ON requests (nik_hash, service_id);
-- statistics: a unit's finished requests by date
CREATE INDEX requests_finished ON requests (unit_id, finished_at);

-- the history, append-only: the store inserts and never updates or deletes a row.
-- from_status NULL: the request was filed.
CREATE TABLE request_events (
    id          {{id_pk}},
    request_id  BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    actor_role  TEXT NOT NULL CHECK (actor_role IN ('citizen', 'petugas', 'kurir', 'kepala_unit', 'system')),
    note        TEXT,
    at          TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, id);

-- requirement documents: the bytes are stored outside the database (storage_ref names them);
-- content_type is what the content is (magic bytes), not what the name says. A replacement
-- (after "perlu perbaikan") is a new row; the old one points at it.
CREATE TABLE request_documents (
    id           {{id_pk}},
    request_id   BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    doc_type     TEXT NOT NULL,
    storage_ref  TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes   BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    uploaded_by  BIGINT REFERENCES users (id),
    uploaded_at  TEXT NOT NULL,
    replaced_by  BIGINT REFERENCES request_documents (id)
);
CREATE INDEX request_documents_request ON request_documents (request_id, doc_type);

-- home delivery by a courier: attempts count failed tries; after the allowed number the request
-- goes back to the service point (status 'returned')
CREATE TABLE deliveries (
    id                 {{id_pk}},
    request_id         BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    courier_id         BIGINT REFERENCES users (id),
    status             TEXT NOT NULL CHECK (status IN ('assigned', 'delivered', 'failed', 'returned')),
    attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    assigned_at        TEXT NOT NULL,
    last_attempt_at    TEXT,
    recipient_name_enc {{blob}},
    recipient_relation TEXT,
    delivered_at       TEXT,
    photo_ref          TEXT,
    failure_reason     TEXT,
    updated_at         TEXT NOT NULL
);
CREATE INDEX deliveries_request ON deliveries (request_id);
CREATE INDEX deliveries_courier ON deliveries (courier_id, status);

-- home visits for elderly, bedridden or disabled citizens
CREATE TABLE home_visits (
    id           {{id_pk}},
    request_id   BIGINT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    scheduled_at TEXT NOT NULL,
    team         TEXT NOT NULL,
    notes        TEXT,
    visited_at   TEXT,
    created_by   BIGINT REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX home_visits_request ON home_visits (request_id);
CREATE INDEX home_visits_scheduled ON home_visits (scheduled_at);

-- a service's own workflow (core/workflow JSON, validated by wf_parse before it is stored);
-- a service without a row follows the built-in adminduk workflow
CREATE TABLE service_workflows (
    service_id BIGINT PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    definition TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
