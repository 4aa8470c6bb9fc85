-- The admin console (SPEC §16): sessions signed out before they expired, kept by the SHA-256 of
-- their id until they would have expired, so that a copy of a signed-out cookie opens nothing.

CREATE TABLE console_sign_outs (
    session_hash  TEXT NOT NULL PRIMARY KEY,
    expires_at    TEXT NOT NULL
);
CREATE INDEX console_sign_outs_expiry ON console_sign_outs (expires_at);
