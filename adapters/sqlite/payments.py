"""Payments and their gateway attempts.

A broken unique key (a payment's reference number, a gateway's external id) raises ``Conflict`` and
leaves the unit's transaction usable: SQLite undoes only the failed statement. Searches and
summaries are in ``adapters.sqlite.reports``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.sql.money_rows import (
    ATTEMPT_COLUMNS,
    PAYMENT_COLUMNS,
    PAYMENT_FIELDS,
    PAYMENT_UPDATES,
    attempt_from,
    attempt_row,
    payment_from,
    payment_row,
)
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, optional_time_text, time_text, uuid_from, uuid_text
from domain.payments import Attempt, Payment
from ports.services import Cipher

_INSERT = f"INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES ({', '.join('?' for _ in PAYMENT_FIELDS)})"
_NEWEST = "ORDER BY created_at DESC, id DESC"


class SqlitePaymentRepository:
    """Tracking codes are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, payment: Payment) -> None:
        """Raises Conflict('payment_reference') when the reference number is taken."""
        await self._db.execute(_INSERT, payment_row(payment, self._cipher, STORED))

    async def get(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ?",
                               (uuid_text(payment_id),))

    async def lock(self, payment_id: UUID) -> Payment | None:
        """The writing unit's ``BEGIN IMMEDIATE`` already holds every row until the unit ends."""
        return await self.get(payment_id)

    async def save(self, payment: Payment) -> None:
        await self._db.execute(f"{_INSERT} ON CONFLICT (id) DO UPDATE SET {PAYMENT_UPDATES}",
                               payment_row(payment, self._cipher, STORED))

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        return await self._one(
            f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE gateway = ? AND external_id = ? "
            f"AND external_id <> '' {_NEWEST} LIMIT 1", (gateway, external_id),
        )

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status IN ('pending', 'processing') AND expires_at <= ? "
            "ORDER BY expires_at LIMIT ?", (time_text(now), limit),
        )
        return [uuid_from(row["id"]) for row in rows]

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status = 'processing' AND coalesce(updated_at, created_at) <= ? "
            "ORDER BY coalesce(updated_at, created_at) LIMIT ?", (time_text(older_than), limit),
        )
        return [uuid_from(row["id"]) for row in rows]

    async def add_attempt(self, attempt: Attempt) -> None:
        """Raises Conflict('attempt_external_id') when gateway + external_id is taken. The payer's
        user id is copied from the payment, as on Postgres."""
        await self._db.execute(
            f"INSERT INTO attempts ({ATTEMPT_COLUMNS}, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT user_id FROM payments WHERE id = ?2))",
            attempt_row(attempt, STORED),
        )

    async def save_attempt(self, attempt: Attempt) -> None:
        await self._db.execute(
            "UPDATE attempts SET status = ?, external_time = ?, completed_at = ?, cancelled_at = ?, "
            "cancel_reason = ? WHERE id = ?",
            (attempt.status.value, attempt.external_time, optional_time_text(attempt.completed_at),
             optional_time_text(attempt.cancelled_at), attempt.cancel_reason, uuid_text(attempt.id)),
        )

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None:
        rows = await self._attempts("gateway = ? AND external_id = ?", gateway, external_id)
        return rows[0] if rows else None

    async def attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._attempts("payment_id = ? ORDER BY seq", uuid_text(payment_id))

    async def attempts_between(self, gateway: str, start_ms: int, end_ms: int) -> list[Attempt]:
        return await self._attempts(
            "gateway = ? AND external_time BETWEEN ? AND ? ORDER BY external_time, seq",
            gateway, start_ms, end_ms,
        )

    async def open_attempts_before(self, gateway: str, created_before: datetime) -> list[Attempt]:
        return await self._attempts(
            "gateway = ? AND status = 'open' AND created_at < ? ORDER BY created_at, seq",
            gateway, time_text(created_before),
        )

    async def _attempts(self, condition: str, *params: Any) -> list[Attempt]:
        rows = await self._db.fetch(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE {condition}", params)
        return [attempt_from(row, STORED) for row in rows]

    async def _one(self, sql: str, params: tuple[Any, ...]) -> Payment | None:
        row = await self._db.fetchone(sql, params)
        return payment_from(row, self._cipher, STORED) if row else None
