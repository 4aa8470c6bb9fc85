"""Row ↔ object mapping of fiscal receipts and submissions, shared by the SQL storages."""

from __future__ import annotations

from typing import Any

from adapters.sql.values import Row, Values
from domain.fiscal import FiscalReceipt, FiscalSubmission, ReceiptType, SubmissionState

RECEIPT_COLUMNS = "payment_id, type, gateway, receipt_id, status_code, fiscal_sign, terminal_id, " \
                  "qr_code_url, registered_at, message"
SUBMISSION_COLUMNS = "payment_id, gateway, external_ref, created_at, next_attempt_at, attempts, state, " \
                     "last_error"
SUBMISSION_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in (
    "next_attempt_at", "attempts", "state", "last_error"))


def receipt_row(r: FiscalReceipt, v: Values) -> tuple[Any, ...]:
    return (v.uuid(r.payment_id), r.type.value, r.gateway, r.receipt_id, r.status_code, r.fiscal_sign,
            r.terminal_id, r.qr_code_url, v.time(r.registered_at), r.message)


def receipt_from(row: Row, v: Values) -> FiscalReceipt:
    return FiscalReceipt(v.read_uuid(row["payment_id"]), ReceiptType(row["type"]), row["gateway"],
                         row["receipt_id"], row["status_code"], row["fiscal_sign"], row["terminal_id"],
                         row["qr_code_url"], v.read_time(row["registered_at"]), row["message"])


def submission_row(s: FiscalSubmission, v: Values) -> tuple[Any, ...]:
    return (v.uuid(s.payment_id), s.gateway, s.external_ref, v.time(s.created_at),
            v.time(s.next_attempt_at), s.attempts, s.state.value, s.last_error)


def submission_from(row: Row, v: Values) -> FiscalSubmission:
    return FiscalSubmission(v.read_uuid(row["payment_id"]), row["gateway"], row["external_ref"],
                            v.read_time(row["created_at"]), v.read_time(row["next_attempt_at"]),
                            row["attempts"], SubmissionState(row["state"]), row["last_error"])
