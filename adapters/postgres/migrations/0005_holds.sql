-- Holds (SPEC §13): a service's price reserved, then captured or released. Their money moves in
-- the ledger (wallet → holds:<currency> → revenue or back); this table keeps their state.

CREATE TABLE holds (
    id                 UUID        NOT NULL PRIMARY KEY,
    seq                BIGINT      GENERATED ALWAYS AS IDENTITY,
    user_id            TEXT        NOT NULL,
    service_type       TEXT        NOT NULL,
    amount             BIGINT      NOT NULL CHECK (amount > 0),
    currency           TEXT        NOT NULL,
    related_object_id  TEXT        NOT NULL DEFAULT '',
    status             TEXT        NOT NULL,
    captured_amount    BIGINT,
    transaction_id     UUID,
    expires_at         TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ
);
CREATE INDEX holds_by_user ON holds (user_id, created_at);
CREATE INDEX holds_due ON holds (expires_at) WHERE status = 'active';
