"""What is written down besides money: idempotency records, payment logs and the admin audit trail.

Logs and audit entries wait for the unit's next read or its commit (``Session.hold``); reading
them back is for ``adapters.sqlite.reports``.
"""

from __future__ import annotations

from datetime import datetime

from adapters.sql.journal_rows import (
    AUDIT_COLUMNS,
    LOG_COLUMNS,
    RECORD_COLUMNS,
    audit_row,
    log_row,
    record_from,
    record_row,
)
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text
from domain.journal import AuditEntry, IdempotencyRecord
from domain.payments import PaymentLog
from ports.services import Cipher


class SqliteIdempotencyStore:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """In a writing unit the unit's write lock is already held: a concurrent unit with the same
        key waits at its first statement until this one ends, then sees the stored record."""
        row = await self._db.fetchone(
            f"SELECT {RECORD_COLUMNS} FROM idempotency "
            "WHERE user_id = ? AND key = ? AND method = ? AND path = ?", (user_id, key, method, path),
        )
        return record_from(row, STORED) if row else None

    async def save(self, record: IdempotencyRecord) -> None:
        """Raises Conflict('idempotency_key') when the key is already stored."""
        await self._db.execute(f"INSERT INTO idempotency ({RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               record_row(record, STORED))

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
        """The payer's user id is copied from the payment, as on Postgres."""
        await self._db.hold(
            f"INSERT INTO payment_logs ({LOG_COLUMNS}, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "(SELECT user_id FROM payments WHERE id = ?2))", log_row(log, self._cipher, STORED),
        )


class SqliteAuditRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, entry: AuditEntry) -> None:
        await self._db.hold(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                            audit_row(entry, STORED))
