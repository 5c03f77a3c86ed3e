-- Collecting satisfaction-survey answers (SKM, issue 7): kiosks at a counter and the one-time
-- links sent after a service. See docs/guide-skm.md ("Mengelola periode di web").
--
-- Only hashes of the tokens are kept (BLAKE2b-256, cr_token_hash): the URL of a kiosk or a
-- link is shown or sent once and cannot be rebuilt from the database.

-- a tablet at a counter: /kios/skm/{token} takes anonymous answers into one period, optionally
-- for one service. Valid until expires_at (UTC, default the end of the period) unless revoked.
-- last_answer_at (seconds since the epoch) is the rate limit: one answer per SKM_KIOSK_GAP
-- seconds per kiosk, taken by one conditional UPDATE so two tablets sharing a token cannot
-- both pass.
CREATE TABLE skm_kiosks (
    id             {{id_pk}},
    token_hash     {{blob}} NOT NULL UNIQUE,
    period_id      BIGINT NOT NULL REFERENCES skm_periods (id) ON DELETE CASCADE,
    service_code   TEXT,
    place          TEXT NOT NULL,               -- "Loket 1", for the staff list only
    created_at     TEXT NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT,
    last_answer_at BIGINT,
    answers        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX skm_kiosks_period ON skm_kiosks (period_id);

-- the one-time "after a service" link (/survei/{token}). Deliberately without a request, a
-- person, an issue time or a response id: every link of a period and service looks alike, and
-- used says only that it was answered. The response itself is stored like any other (channel
-- 'link', skm_responses.token_hash left NULL), so it cannot be joined back to the link.
CREATE TABLE skm_links (
    token_hash   {{blob}} PRIMARY KEY,
    period_id    BIGINT NOT NULL REFERENCES skm_periods (id) ON DELETE CASCADE,
    service_code TEXT,
    used         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX skm_links_period ON skm_links (period_id);

-- the follow-up plan: an item addresses an element of the questionnaire (element_code, NULL for
-- another issue, e.g. a complaint) and says what will be done (action); item stays the short
-- description of the problem. Dates are YYYY-MM-DD; done_at is set when the status becomes done.
ALTER TABLE skm_followups ADD COLUMN element_code TEXT;
ALTER TABLE skm_followups ADD COLUMN action TEXT;
