-- The doctor directory (seeded through the admin API or CLI) and named secrets kept encrypted.
-- doctors.extra is the card's other fields as a JSON object, sealed (Fernet) by the storage when it
-- was opened with a cipher, hence TEXT rather than JSONB; secrets.ciphertext arrives sealed by the
-- caller. Neither table is touched by money movements, so neither carries a user id.

CREATE TABLE doctors (
    id              TEXT        NOT NULL CONSTRAINT doctors_pkey PRIMARY KEY,
    first_name      TEXT        NOT NULL,
    last_name       TEXT        NOT NULL,
    specialization  TEXT        NOT NULL DEFAULT '',
    rating          NUMERIC,
    is_active       BOOLEAN     NOT NULL DEFAULT TRUE,
    extra           TEXT        NOT NULL DEFAULT ''
);

CREATE TABLE secrets (
    name        TEXT        NOT NULL CONSTRAINT secrets_pkey PRIMARY KEY,
    ciphertext  TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
