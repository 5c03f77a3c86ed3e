-- Accounts: citizens and staff, roles scoped to units, sessions, API keys, one-time codes,
-- rate limits, the notification outbox, the record of staff reading citizens' personal data,
-- and the hash chain of the audit log. See docs/internals/accounts.md.
--
-- Personal data (NIK, KK number, phone, email, address) is stored only encrypted (*_enc:
-- libsodium secretbox, nonce first) with a keyed hash for lookups (*_hash: BLAKE2b keyed with a
-- key derived from the installation key) and a masked form for display (*_masked).
-- Secrets (passwords, session tokens, API keys, one-time codes) are stored only as hashes.
-- Times are UTC ISO 8601 text like the rest of the schema, except where arithmetic on them is the
-- point (rate_limits, totp_last_step): there they are seconds since the epoch.

CREATE TABLE users (
    id                   {{id_pk}},
    kind                 TEXT NOT NULL CHECK (kind IN ('citizen', 'staff')),
    name                 TEXT NOT NULL,
    username             TEXT UNIQUE,
    nik_hash             {{blob}} UNIQUE,
    nik_enc              {{blob}},
    nik_masked           TEXT,
    phone_hash           {{blob}} UNIQUE,
    phone_enc            {{blob}},
    phone_masked         TEXT,
    email_hash           {{blob}} UNIQUE,
    email_enc            {{blob}},
    email_masked         TEXT,
    address_enc          {{blob}},
    password_hash        TEXT NOT NULL,
    verified_at          TEXT,
    disabled_at          TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    totp_secret_enc      {{blob}},
    totp_enabled_at      TEXT,
    totp_last_step       BIGINT,
    lang                 TEXT NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK (kind = 'staff' OR nik_hash IS NOT NULL),
    CHECK (kind = 'citizen' OR username IS NOT NULL)
);

-- a staff role covers its unit and every unit below it
CREATE TABLE user_roles (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('petugas', 'kurir', 'kepala_unit', 'admin_pemda', 'evaluator')),
    unit_id    BIGINT NOT NULL REFERENCES units (id),
    granted_at TEXT NOT NULL,
    granted_by BIGINT REFERENCES users (id),
    PRIMARY KEY (user_id, role, unit_id)
);
CREATE INDEX user_roles_unit ON user_roles (unit_id);

-- token_hash = BLAKE2b of the 256-bit token in the cookie; the token itself is never stored.
-- mfa_pending: the password was right, the TOTP code is still to come.
CREATE TABLE sessions (
    id           {{id_pk}},
    token_hash   {{blob}} NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    mfa_pending  INTEGER NOT NULL DEFAULT 0,
    user_agent   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- the key is "lyk_" + prefix + "_" + secret; prefix identifies it in lists, key_hash checks it
CREATE TABLE api_keys (
    id           {{id_pk}},
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    key_hash     {{blob}} NOT NULL UNIQUE,
    unit_id      BIGINT REFERENCES units (id),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE one_time_codes (
    id         {{id_pk}},
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    code_hash  {{blob}} NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    used_at    TEXT
);
CREATE INDEX one_time_codes_user ON one_time_codes (user_id, purpose);

-- key: hex of a keyed hash of "scope:what" (an IP or an account identifier is never stored as is)
CREATE TABLE rate_limits (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_at      BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);

-- one row per message; a sender claims a due row by moving it from 'pending' to 'sending' with
-- its node name, so several nodes can run senders on one database without sending twice
CREATE TABLE outbox (
    id               {{id_pk}},
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient_enc    {{blob}} NOT NULL,
    recipient_masked TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_enc         {{blob}} NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_by       TEXT,
    claimed_at       TEXT,
    sent_at          TEXT,
    sender           TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- every read of a citizen's personal data by staff: the citizen sees it ("Riwayat akses data saya")
CREATE TABLE data_access_log (
    id         {{id_pk}},
    at         TEXT NOT NULL,
    citizen_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    staff_id   BIGINT NOT NULL REFERENCES users (id),
    unit_id    BIGINT REFERENCES units (id),
    purpose    TEXT NOT NULL,
    fields     TEXT NOT NULL
);
CREATE INDEX data_access_citizen ON data_access_log (citizen_id, at);

-- the audit log's hash chain: hash = BLAKE2b-256(prev_hash, fields) in hex; audit_head holds the
-- newest entry and is updated in the same transaction, which also serialises appenders
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (one, last_id, last_hash) VALUES (1, 0, '');
