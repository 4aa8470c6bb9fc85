-- The admin console (SPEC §16): one-time sign-in links, kept by the SHA-256 of their token, and
-- the index its dashboard's per-day totals read.

CREATE TABLE console_links (
    token_hash  TEXT        NOT NULL PRIMARY KEY,
    admin_id    TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX console_links_expiry ON console_links (expires_at);

CREATE INDEX transfers_kind_time ON transfers (kind, created_at);
