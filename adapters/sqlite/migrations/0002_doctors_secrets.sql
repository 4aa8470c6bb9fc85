-- The doctor directory (seeded through the admin API or CLI) and named secrets kept encrypted.
-- doctors.extra is the card's other fields as a JSON object, sealed (Fernet) by the storage when it
-- was opened with a cipher; secrets.ciphertext arrives sealed by the caller. Doctors are listed
-- ASCII-digit ids first in numeric order, then by id (SQLite compares text by its bytes).

CREATE TABLE doctors (
    id              TEXT    NOT NULL PRIMARY KEY,
    first_name      TEXT    NOT NULL,
    last_name       TEXT    NOT NULL,
    specialization  TEXT    NOT NULL DEFAULT '',
    rating          TEXT,
    is_active       INTEGER NOT NULL DEFAULT 1,
    extra           TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE secrets (
    name        TEXT NOT NULL PRIMARY KEY,
    ciphertext  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
