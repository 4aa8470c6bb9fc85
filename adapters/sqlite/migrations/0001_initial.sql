-- Hamyon on SQLite: money as INTEGER minor units + currency TEXT; times as ISO-8601 UTC text of fixed
-- width (so text order is time order); UUIDs, dates and Decimal percentages as TEXT; enums by value.
-- Only wallets keep a stored balance; system accounts take theirs from their entries.
-- Tables whose rows are listed in insertion order carry an INTEGER PRIMARY KEY ``seq``.

CREATE TABLE wallets (
    user_id     TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    balance     INTEGER NOT NULL DEFAULT 0 CONSTRAINT wallet_not_negative CHECK (balance >= 0),
    is_blocked  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, currency)
);

CREATE TABLE transfers (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    user_id         TEXT,
    debit_account   TEXT    NOT NULL,
    credit_account  TEXT    NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    reference       TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL
);
CREATE INDEX transfers_reference ON transfers (reference, seq);

CREATE TABLE entries (
    seq            INTEGER PRIMARY KEY,
    transfer_id    TEXT    NOT NULL REFERENCES transfers (id),
    user_id        TEXT,
    account        TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    amount         INTEGER NOT NULL,
    balance_after  INTEGER,
    created_at     TEXT    NOT NULL
);
CREATE INDEX entries_transfer ON entries (transfer_id);
CREATE INDEX entries_account_newest ON entries (account, created_at, seq);

CREATE TABLE payments (
    id                TEXT    NOT NULL PRIMARY KEY,
    reference_number  TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    gateway           TEXT    NOT NULL,
    amount            INTEGER NOT NULL,
    commission        INTEGER NOT NULL,
    currency          TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    payment_type      TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    callback_url      TEXT    NOT NULL DEFAULT '',
    return_url        TEXT    NOT NULL DEFAULT '',
    external_id       TEXT    NOT NULL DEFAULT '',
    tracking_code     TEXT    NOT NULL DEFAULT '',
    created_at        TEXT    NOT NULL,
    expires_at        TEXT    NOT NULL,
    completed_at      TEXT,
    cancelled_at      TEXT,
    updated_at        TEXT
);
CREATE UNIQUE INDEX payment_reference ON payments (reference_number);
CREATE INDEX payments_user_newest ON payments (user_id, created_at, id);
CREATE INDEX payments_newest ON payments (created_at, id);
CREATE INDEX payments_status_newest ON payments (status, created_at, id);
CREATE INDEX payments_external_id ON payments (gateway, external_id) WHERE external_id <> '';
CREATE INDEX payments_open_expiry ON payments (expires_at) WHERE status IN ('pending', 'processing');
CREATE INDEX payments_processing_since ON payments (coalesce(updated_at, created_at))
    WHERE status = 'processing';

CREATE TABLE attempts (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    payment_id      TEXT    NOT NULL,
    user_id         TEXT,
    gateway         TEXT    NOT NULL,
    external_id     TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    external_time   INTEGER,
    created_at      TEXT    NOT NULL,
    completed_at    TEXT,
    cancelled_at    TEXT,
    cancel_reason   INTEGER
);
CREATE UNIQUE INDEX attempt_external_id ON attempts (gateway, external_id);
CREATE INDEX attempts_payment ON attempts (payment_id, seq);
CREATE INDEX attempts_external_time ON attempts (gateway, external_time) WHERE external_time IS NOT NULL;
CREATE INDEX attempts_open ON attempts (gateway, created_at) WHERE status = 'open';

CREATE TABLE payment_logs (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    payment_id    TEXT    NOT NULL,
    user_id       TEXT,
    type          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    message       TEXT    NOT NULL DEFAULT '',
    http_status   INTEGER,
    payload       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX payment_logs_payment ON payment_logs (payment_id, created_at, seq);

CREATE TABLE gateway_configs (
    name                   TEXT    NOT NULL PRIMARY KEY,
    display_name           TEXT    NOT NULL,
    is_active              INTEGER NOT NULL,
    currency               TEXT    NOT NULL,
    min_amount             INTEGER NOT NULL,
    max_amount             INTEGER NOT NULL,
    commission_type        TEXT    NOT NULL,
    commission_percentage  TEXT    NOT NULL,
    commission_fixed       INTEGER NOT NULL,
    commission_currency    TEXT    NOT NULL,
    currencies             TEXT    NOT NULL DEFAULT '[]'
);

CREATE TABLE billing_rules (
    service_type               TEXT    NOT NULL PRIMARY KEY,
    price                      INTEGER NOT NULL,
    currency                   TEXT    NOT NULL,
    service_names              TEXT    NOT NULL DEFAULT '{}',
    discount_percentage        TEXT    NOT NULL DEFAULT '0',
    min_quantity_for_discount  INTEGER NOT NULL DEFAULT 0,
    is_active                  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE billing_settings (
    singleton                 INTEGER NOT NULL DEFAULT 1 PRIMARY KEY
                                      CONSTRAINT billing_settings_one_row CHECK (singleton = 1),
    currency                  TEXT    NOT NULL,
    enable_billing            INTEGER NOT NULL,
    maintenance_mode          INTEGER NOT NULL,
    free_views_per_day        INTEGER NOT NULL,
    free_views_for_new_users  INTEGER NOT NULL,
    new_user_days             INTEGER NOT NULL,
    min_wallet_topup          INTEGER,
    max_wallet_balance        INTEGER,
    max_debits_per_hour       INTEGER,
    daily_spending_limit      INTEGER
);

CREATE TABLE usage (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT    NOT NULL UNIQUE,
    user_id            TEXT    NOT NULL,
    service_type       TEXT    NOT NULL,
    quantity           INTEGER NOT NULL,
    currency           TEXT    NOT NULL,
    local_date         TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    related_object_id  TEXT    NOT NULL DEFAULT '',
    amount             INTEGER NOT NULL DEFAULT 0,
    transfer_id        TEXT,
    free_reason        TEXT
);
CREATE INDEX usage_user_day ON usage (user_id, local_date, service_type, related_object_id);
CREATE INDEX usage_user_service ON usage (user_id, service_type, created_at);
CREATE INDEX usage_user_debits ON usage (user_id, created_at) WHERE transfer_id IS NOT NULL;

CREATE TABLE idempotency (
    user_id      TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    path         TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    status_code  INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (user_id, key, method, path)
);
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    details     TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);
CREATE INDEX audit_newest ON audit (created_at, seq);
