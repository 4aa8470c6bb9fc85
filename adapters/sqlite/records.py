"""Idempotency records, payment logs and the admin audit trail."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from uuid import UUID

from adapters.sealed import PAYMENT_LOG, seal, unseal
from adapters.sqlite.session import Session
from adapters.sqlite.values import time_from, time_text, uuid_from, uuid_text
from domain.payments import PaymentLog
from domain.records import AuditEntry, IdempotencyRecord
from ports.services import Cipher

_RECORD_COLUMNS = "user_id, key, method, path, fingerprint, status_code, body, created_at"
_LOG_COLUMNS = "id, payment_id, type, created_at, message, http_status, payload"
_AUDIT_COLUMNS = "id, actor, action, target, details, created_at"


def _record_from(row: sqlite3.Row) -> IdempotencyRecord:
    return IdempotencyRecord(row["user_id"], row["key"], row["method"], row["path"], row["fingerprint"],
                             row["status_code"], row["body"], time_from(row["created_at"]))


class SqliteIdempotencyStore:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """In a writing unit the unit's write lock is already held: a concurrent unit with the same
        key waits at its first statement until this one ends, then sees the stored record."""
        row = await self._db.fetchone(
            f"SELECT {_RECORD_COLUMNS} FROM idempotency "
            "WHERE user_id = ? AND key = ? AND method = ? AND path = ?", (user_id, key, method, path),
        )
        return _record_from(row) if row else None

    async def save(self, record: IdempotencyRecord) -> None:
        """Raises Conflict('idempotency_key') when the key is already stored."""
        r = record
        await self._db.execute(
            f"INSERT INTO idempotency ({_RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (r.user_id, r.key, r.method, r.path, r.fingerprint, r.status_code, r.body,
             time_text(r.created_at)),
        )

    async def purge_before(self, created_before: datetime) -> int:
        deleted = await self._db.fetch(
            "DELETE FROM idempotency WHERE created_at < ? RETURNING 1", (time_text(created_before),)
        )
        return len(deleted)


class SqlitePaymentLogRepository:
    """Payloads are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, log: PaymentLog) -> None:
        payload = seal(self._cipher, PAYMENT_LOG, log.payload)
        await self._db.hold(
            f"INSERT INTO payment_logs ({_LOG_COLUMNS}, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "(SELECT user_id FROM payments WHERE id = ?2))",
            (uuid_text(log.id), uuid_text(log.payment_id), log.type, time_text(log.created_at), log.message,
             log.http_status, payload),
        )

    async def for_payment(self, payment_id: UUID) -> list[PaymentLog]:
        rows = await self._db.fetch(
            f"SELECT {_LOG_COLUMNS} FROM payment_logs WHERE payment_id = ? ORDER BY created_at, seq",
            (uuid_text(payment_id),),
        )
        return [self._log_from(row) for row in rows]

    def _log_from(self, row: sqlite3.Row) -> PaymentLog:
        payload = unseal(self._cipher, PAYMENT_LOG, row["payload"])
        return PaymentLog(uuid_from(row["id"]), uuid_from(row["payment_id"]), row["type"],
                          time_from(row["created_at"]), row["message"], row["http_status"], payload)


class SqliteAuditRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, entry: AuditEntry) -> None:
        await self._db.hold(
            f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (uuid_text(entry.id), entry.actor, entry.action, entry.target, entry.details,
             time_text(entry.created_at)),
        )

    async def recent(self, limit: int) -> list[AuditEntry]:
        rows = await self._db.fetch(
            f"SELECT {_AUDIT_COLUMNS} FROM audit ORDER BY created_at DESC, seq DESC LIMIT ?", (limit,)
        )
        return [AuditEntry(uuid_from(row["id"]), row["actor"], row["action"], row["target"], row["details"],
                           time_from(row["created_at"])) for row in rows]
