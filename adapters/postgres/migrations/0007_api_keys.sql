-- Platform keys (SPEC §15): only the SHA-256 of each key is kept.

CREATE TABLE api_keys (
    id            UUID        NOT NULL PRIMARY KEY,
    seq           BIGINT      GENERATED ALWAYS AS IDENTITY,
    name          TEXT        NOT NULL,
    scopes        TEXT        NOT NULL,
    key_hash      TEXT        NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
