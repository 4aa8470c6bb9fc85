-- Fiscal receipts (SPEC §14): the codes a receipt line needs, the receipts gateways registered,
-- and the receipts still to be asked for (Click's ofd_data, tried again with backoff).

ALTER TABLE billing_rules ADD COLUMN mxik_code TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_rules ADD COLUMN package_code TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_rules ADD COLUMN vat_percent INTEGER NOT NULL DEFAULT 12;
ALTER TABLE billing_settings ADD COLUMN topup_mxik_code TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN topup_package_code TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN topup_vat_percent INTEGER NOT NULL DEFAULT 12;
ALTER TABLE billing_settings ADD COLUMN topup_receipt_title TEXT NOT NULL DEFAULT '';
ALTER TABLE billing_settings ADD COLUMN fiscal_tin TEXT NOT NULL DEFAULT '';

CREATE TABLE fiscal_receipts (
    payment_id     UUID        NOT NULL,
    type           TEXT NOT NULL CHECK (type IN ('sale', 'refund')),
    gateway        TEXT NOT NULL,
    receipt_id     TEXT NOT NULL DEFAULT '',
    status_code    TEXT NOT NULL DEFAULT '',
    fiscal_sign    TEXT NOT NULL DEFAULT '',
    terminal_id    TEXT NOT NULL DEFAULT '',
    qr_code_url    TEXT NOT NULL DEFAULT '',
    registered_at  TIMESTAMPTZ NOT NULL,
    message        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (payment_id, type)
);

CREATE TABLE fiscal_submissions (
    payment_id       UUID        NOT NULL PRIMARY KEY,
    gateway          TEXT    NOT NULL,
    external_ref     TEXT    NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    state            TEXT    NOT NULL,
    last_error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX fiscal_submissions_due ON fiscal_submissions (next_attempt_at)
    WHERE state IN ('pending', 'submitted');
