-- The admin console (SPEC §16): one-time sign-in links, kept by the SHA-256 of their token, and
-- the index its dashboard's per-day totals read.

CREATE TABLE console_links (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    admin_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX console_links_expiry ON console_links (expires_at);

CREATE INDEX transfers_kind_time ON transfers (kind, created_at);
