-- Hamyon on Postgres: money as BIGINT minor units + currency, times as timestamptz.
-- Every table a money movement writes carries the user id (a later Citus distribution key).
-- Only wallets keep a stored balance; system accounts take theirs from their entries.

CREATE TABLE wallets (
    user_id     TEXT        NOT NULL,
    currency    TEXT        NOT NULL,
    balance     BIGINT      NOT NULL DEFAULT 0 CONSTRAINT wallet_not_negative CHECK (balance >= 0),
    is_blocked  BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT wallets_pkey PRIMARY KEY (user_id, currency)
);

CREATE TABLE transfers (
    id              UUID        NOT NULL CONSTRAINT transfers_pkey PRIMARY KEY,
    seq             BIGINT      GENERATED ALWAYS AS IDENTITY,
    user_id         TEXT,
    debit_account   TEXT        NOT NULL,
    credit_account  TEXT        NOT NULL,
    amount          BIGINT      NOT NULL CHECK (amount > 0),
    currency        TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    description     TEXT        NOT NULL DEFAULT '',
    reference       TEXT        NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX transfers_reference ON transfers (reference, seq);

CREATE TABLE entries (
    seq            BIGINT      GENERATED ALWAYS AS IDENTITY CONSTRAINT entries_pkey PRIMARY KEY,
    transfer_id    UUID        NOT NULL,
    user_id        TEXT,
    account        TEXT        NOT NULL,
    currency       TEXT        NOT NULL,
    amount         BIGINT      NOT NULL,
    balance_after  BIGINT,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX entries_transfer ON entries (transfer_id);
CREATE INDEX entries_account_newest ON entries (account, created_at DESC, seq DESC);

CREATE TABLE payments (
    id                UUID        NOT NULL CONSTRAINT payments_pkey PRIMARY KEY,
    reference_number  TEXT        NOT NULL CONSTRAINT payment_reference UNIQUE,
    user_id           TEXT        NOT NULL,
    gateway           TEXT        NOT NULL,
    amount            BIGINT      NOT NULL,
    commission        BIGINT      NOT NULL,
    currency          TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    payment_type      TEXT        NOT NULL,
    description       TEXT        NOT NULL DEFAULT '',
    callback_url      TEXT        NOT NULL DEFAULT '',
    return_url        TEXT        NOT NULL DEFAULT '',
    external_id       TEXT        NOT NULL DEFAULT '',
    tracking_code     TEXT        NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    completed_at      TIMESTAMPTZ,
    cancelled_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ
);
CREATE INDEX payments_user_newest ON payments (user_id, created_at DESC, id DESC);
CREATE INDEX payments_newest ON payments (created_at DESC, id DESC);
CREATE INDEX payments_status_newest ON payments (status, created_at DESC, id DESC);
CREATE INDEX payments_external_id ON payments (gateway, external_id) WHERE external_id <> '';
CREATE INDEX payments_open_expiry ON payments (expires_at)
    WHERE status IN ('pending', 'processing');
CREATE INDEX payments_processing_since ON payments ((COALESCE(updated_at, created_at)))
    WHERE status = 'processing';

CREATE TABLE attempts (
    id              UUID        NOT NULL CONSTRAINT attempts_pkey PRIMARY KEY,
    seq             BIGINT      GENERATED ALWAYS AS IDENTITY,
    payment_id      UUID        NOT NULL,
    user_id         TEXT,
    gateway         TEXT        NOT NULL,
    external_id     TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    external_time   BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    completed_at    TIMESTAMPTZ,
    cancelled_at    TIMESTAMPTZ,
    cancel_reason   INTEGER,
    CONSTRAINT attempt_external_id UNIQUE (gateway, external_id)
);
CREATE INDEX attempts_payment ON attempts (payment_id, seq);
CREATE INDEX attempts_external_time ON attempts (gateway, external_time) WHERE external_time IS NOT NULL;
CREATE INDEX attempts_open ON attempts (gateway, created_at) WHERE status = 'open';

CREATE TABLE payment_logs (
    id            UUID        NOT NULL CONSTRAINT payment_logs_pkey PRIMARY KEY,
    seq           BIGINT      GENERATED ALWAYS AS IDENTITY,
    payment_id    UUID        NOT NULL,
    user_id       TEXT,
    type          TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    message       TEXT        NOT NULL DEFAULT '',
    http_status   INTEGER,
    payload       TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX payment_logs_payment ON payment_logs (payment_id, created_at, seq);

CREATE TABLE gateway_configs (
    name                   TEXT        NOT NULL CONSTRAINT gateway_configs_pkey PRIMARY KEY,
    display_name           TEXT        NOT NULL,
    is_active              BOOLEAN     NOT NULL,
    currency               TEXT        NOT NULL,
    min_amount             BIGINT      NOT NULL,
    max_amount             BIGINT      NOT NULL,
    commission_type        TEXT        NOT NULL,
    commission_percentage  NUMERIC     NOT NULL,
    commission_fixed       BIGINT      NOT NULL,
    commission_currency    TEXT        NOT NULL,
    currencies             TEXT[]      NOT NULL DEFAULT '{}'
);

CREATE TABLE billing_rules (
    service_type               TEXT     NOT NULL CONSTRAINT billing_rules_pkey PRIMARY KEY,
    price                      BIGINT   NOT NULL,
    currency                   TEXT     NOT NULL,
    service_names              JSONB    NOT NULL DEFAULT '{}',
    discount_percentage        NUMERIC  NOT NULL DEFAULT 0,
    min_quantity_for_discount  INTEGER  NOT NULL DEFAULT 0,
    is_active                  BOOLEAN  NOT NULL DEFAULT TRUE
);

CREATE TABLE billing_settings (
    singleton                 BOOLEAN  NOT NULL DEFAULT TRUE CONSTRAINT billing_settings_pkey PRIMARY KEY
                                       CONSTRAINT billing_settings_one_row CHECK (singleton),
    currency                  TEXT     NOT NULL,
    enable_billing            BOOLEAN  NOT NULL,
    maintenance_mode          BOOLEAN  NOT NULL,
    free_views_per_day        INTEGER  NOT NULL,
    free_views_for_new_users  INTEGER  NOT NULL,
    new_user_days             INTEGER  NOT NULL,
    min_wallet_topup          BIGINT,
    max_wallet_balance        BIGINT,
    max_debits_per_hour       INTEGER,
    daily_spending_limit      BIGINT
);

CREATE TABLE usage (
    id                 UUID        NOT NULL CONSTRAINT usage_pkey PRIMARY KEY,
    seq                BIGINT      GENERATED ALWAYS AS IDENTITY,
    user_id            TEXT        NOT NULL,
    service_type       TEXT        NOT NULL,
    quantity           INTEGER     NOT NULL,
    currency           TEXT        NOT NULL,
    local_date         DATE        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    related_object_id  TEXT        NOT NULL DEFAULT '',
    amount             BIGINT      NOT NULL DEFAULT 0,
    transfer_id        UUID,
    free_reason        TEXT
);
CREATE INDEX usage_user_day ON usage (user_id, local_date, service_type, related_object_id);
CREATE INDEX usage_user_service ON usage (user_id, service_type, created_at);
CREATE INDEX usage_user_debits ON usage (user_id, created_at) WHERE transfer_id IS NOT NULL;

CREATE TABLE idempotency (
    user_id      TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    method       TEXT        NOT NULL,
    path         TEXT        NOT NULL,
    fingerprint  TEXT        NOT NULL,
    status_code  INTEGER     NOT NULL,
    body         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT idempotency_key PRIMARY KEY (user_id, key, method, path)
);
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE audit (
    id          UUID        NOT NULL CONSTRAINT audit_pkey PRIMARY KEY,
    seq         BIGINT      GENERATED ALWAYS AS IDENTITY,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target      TEXT        NOT NULL DEFAULT '',
    details     TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_newest ON audit (created_at DESC, seq DESC);
