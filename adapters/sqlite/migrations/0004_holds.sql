-- Holds (SPEC §13): a service's price reserved, then captured or released. Their money moves in
-- the ledger (wallet → holds:<currency> → revenue or back); this table keeps their state.

CREATE TABLE holds (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT    NOT NULL UNIQUE,
    user_id            TEXT    NOT NULL,
    service_type       TEXT    NOT NULL,
    amount             INTEGER NOT NULL CHECK (amount > 0),
    currency           TEXT    NOT NULL,
    related_object_id  TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL,
    captured_amount    INTEGER,
    transaction_id     TEXT,
    expires_at         TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT
);
CREATE INDEX holds_by_user ON holds (user_id, created_at);
CREATE INDEX holds_due ON holds (expires_at) WHERE status = 'active';
