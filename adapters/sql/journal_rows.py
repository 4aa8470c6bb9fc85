"""Row ↔ object mapping of what is written down besides money (``domain.journal``, payment logs)
and of the doctor table, shared by the SQL storages."""

from __future__ import annotations

import json
from typing import Any

from adapters.sealed import DOCTOR_EXTRA, PAYMENT_LOG, seal, unseal
from adapters.sql.values import Row, Values
from domain.doctors import Doctor
from domain.journal import AuditEntry, IdempotencyRecord
from domain.payments import PaymentLog
from ports.services import Cipher

RECORD_COLUMNS = "user_id, key, method, path, fingerprint, status_code, body, created_at"
LOG_COLUMNS = "id, payment_id, type, created_at, message, http_status, payload"
AUDIT_COLUMNS = "id, actor, action, target, details, created_at"
DOCTOR_COLUMNS = "id, first_name, last_name, specialization, rating, is_active, extra"
DOCTOR_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in DOCTOR_COLUMNS.split(", ")[1:])


def record_row(r: IdempotencyRecord, v: Values) -> tuple[Any, ...]:
    return (r.user_id, r.key, r.method, r.path, r.fingerprint, r.status_code, r.body, v.time(r.created_at))


def record_from(row: Row, v: Values) -> IdempotencyRecord:
    return IdempotencyRecord(row["user_id"], row["key"], row["method"], row["path"], row["fingerprint"],
                             row["status_code"], row["body"], v.read_time(row["created_at"]))


def log_row(log: PaymentLog, cipher: Cipher | None, v: Values) -> tuple[Any, ...]:
    return (v.uuid(log.id), v.uuid(log.payment_id), log.type, v.time(log.created_at), log.message,
            log.http_status, seal(cipher, PAYMENT_LOG, log.payload))


def log_from(row: Row, cipher: Cipher | None, v: Values) -> PaymentLog:
    return PaymentLog(v.read_uuid(row["id"]), v.read_uuid(row["payment_id"]), row["type"],
                      v.read_time(row["created_at"]), row["message"], row["http_status"],
                      unseal(cipher, PAYMENT_LOG, row["payload"]))


def audit_row(e: AuditEntry, v: Values) -> tuple[Any, ...]:
    return (v.uuid(e.id), e.actor, e.action, e.target, e.details, v.time(e.created_at))


def audit_from(row: Row, v: Values) -> AuditEntry:
    return AuditEntry(v.read_uuid(row["id"]), row["actor"], row["action"], row["target"], row["details"],
                      v.read_time(row["created_at"]))


def doctor_row(d: Doctor, cipher: Cipher | None, v: Values) -> tuple[Any, ...]:
    """A doctor's ``extra`` fields (contact details live there) as a JSON object, sealed."""
    extra = json.dumps(d.extra, ensure_ascii=False, sort_keys=True) if d.extra else ""
    return (d.id, d.first_name, d.last_name, d.specialization, v.optional_decimal(d.rating),
            v.flag(d.is_active), seal(cipher, DOCTOR_EXTRA, extra))


def doctor_from(row: Row, cipher: Cipher | None, v: Values) -> Doctor:
    extra = unseal(cipher, DOCTOR_EXTRA, row["extra"])
    return Doctor(row["id"], row["first_name"], row["last_name"], row["specialization"],
                  v.read_optional_decimal(row["rating"]), v.read_flag(row["is_active"]),
                  json.loads(extra) if extra else {})
