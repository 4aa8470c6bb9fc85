-- Events to the platform (SPEC §12): the outbox, the webhook endpoints and their deliveries, and
-- the billing setting that sends wallet.low_balance. An event is inserted in the unit of the
-- change it reports; `dispatched` turns 1 once it is queued for the endpoints. The endpoints'
-- secrets are sealed (Fernet) like the other sealed columns.

ALTER TABLE billing_settings ADD COLUMN low_balance_threshold INTEGER;

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    dispatched  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_waiting ON events (seq) WHERE dispatched = 0;
CREATE INDEX events_by_type ON events (type, seq);
CREATE INDEX events_by_user ON events (user_id, seq);

CREATE TABLE webhook_endpoints (
    id               TEXT    NOT NULL PRIMARY KEY,
    url              TEXT    NOT NULL,
    events           TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    is_active        INTEGER NOT NULL,
    secret           TEXT    NOT NULL,
    previous_secret  TEXT,
    previous_until   TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    endpoint_id      TEXT    NOT NULL,
    event_id         TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    next_attempt_at  TEXT,
    http_status      INTEGER,
    duration_ms      INTEGER,
    error            TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq);
