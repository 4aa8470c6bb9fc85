-- Events to the platform (SPEC §12): the outbox, the webhook endpoints and their deliveries, and
-- the billing setting that sends wallet.low_balance. An event is inserted in the unit of the
-- change it reports; `dispatched` turns true once it is queued for the endpoints (several
-- processes take undispatched events and due deliveries with FOR UPDATE SKIP LOCKED). The
-- endpoints' secrets are sealed (Fernet) like the other sealed columns.

ALTER TABLE billing_settings ADD COLUMN low_balance_threshold BIGINT;

CREATE TABLE events (
    id          TEXT        NOT NULL CONSTRAINT events_pkey PRIMARY KEY,
    seq         BIGINT      GENERATED ALWAYS AS IDENTITY,
    type        TEXT        NOT NULL,
    user_id     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    data        TEXT        NOT NULL,
    dispatched  BOOLEAN     NOT NULL DEFAULT false
);
CREATE INDEX events_waiting ON events (seq) WHERE NOT dispatched;
CREATE INDEX events_by_seq ON events (seq);
CREATE INDEX events_by_type ON events (type, seq);
CREATE INDEX events_by_user ON events (user_id, seq);

CREATE TABLE webhook_endpoints (
    id               UUID        NOT NULL PRIMARY KEY,
    url              TEXT        NOT NULL,
    events           TEXT        NOT NULL,
    description      TEXT        NOT NULL DEFAULT '',
    is_active        BOOLEAN     NOT NULL,
    secret           TEXT        NOT NULL,
    previous_secret  TEXT,
    previous_until   TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               UUID        NOT NULL PRIMARY KEY,
    seq              BIGINT      GENERATED ALWAYS AS IDENTITY,
    endpoint_id      UUID        NOT NULL,
    event_id         TEXT        NOT NULL,
    event_type       TEXT        NOT NULL,
    attempt          INTEGER     NOT NULL,
    status           TEXT        NOT NULL,
    next_attempt_at  TIMESTAMPTZ,
    http_status      INTEGER,
    duration_ms      INTEGER,
    error            TEXT        NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq);
