"""Payments and their gateway attempts.

Unique keys that a caller may expect to hit (a payment's reference number, a gateway's external id)
are inserted with ``ON CONFLICT ... DO NOTHING`` and reported as ``Conflict``: the transaction stays
usable, as it does on the other backends. Searches and summaries are in ``adapters.postgres.reports``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.postgres.session import Session
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
from adapters.sql.values import NATIVE
from domain.payments import Attempt, Payment
from ports.services import Cipher
from ports.storage import Conflict

_INSERT = f"INSERT INTO payments ({PAYMENT_COLUMNS}) " \
          f"VALUES ({', '.join(f'${n}' for n in range(1, len(PAYMENT_FIELDS) + 1))})"
_NEWEST = "ORDER BY created_at DESC, id DESC"


class PgPaymentRepository:
    """Tracking codes are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, payment: Payment) -> None:
        added = await self._db.fetchval(
            f"{_INSERT} ON CONFLICT ON CONSTRAINT payment_reference DO NOTHING RETURNING TRUE",
            *payment_row(payment, self._cipher, NATIVE),
        )
        if not added:
            raise Conflict("payment_reference")

    async def get(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1", payment_id)

    async def lock(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1 FOR UPDATE", payment_id)

    async def save(self, payment: Payment) -> None:
        await self._db.execute(f"{_INSERT} ON CONFLICT (id) DO UPDATE SET {PAYMENT_UPDATES}",
                               *payment_row(payment, self._cipher, NATIVE))

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        return await self._one(
            f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE gateway = $1 AND external_id = $2 AND "
            f"external_id <> '' {_NEWEST} LIMIT 1",
            gateway, external_id,
        )

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status IN ('pending', 'processing') AND expires_at <= $1 "
            "ORDER BY expires_at LIMIT $2", now, limit,
        )
        return [row["id"] for row in rows]

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status = 'processing' "
            "AND COALESCE(updated_at, created_at) <= $1 "
            "ORDER BY COALESCE(updated_at, created_at) LIMIT $2", older_than, limit,
        )
        return [row["id"] for row in rows]

    async def add_attempt(self, attempt: Attempt) -> None:
        """The payer's user id is copied from the payment, for a distribution by user."""
        added = await self._db.fetchval(
            f"INSERT INTO attempts ({ATTEMPT_COLUMNS}, user_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT user_id FROM payments WHERE id = $2)) "
            "ON CONFLICT ON CONSTRAINT attempt_external_id DO NOTHING RETURNING TRUE",
            *attempt_row(attempt, NATIVE),
        )
        if not added:
            raise Conflict("attempt_external_id")

    async def save_attempt(self, attempt: Attempt) -> None:
        await self._db.execute(
            "UPDATE attempts SET status = $2, external_time = $3, completed_at = $4, "
            "cancelled_at = $5, cancel_reason = $6 WHERE id = $1",
            attempt.id, attempt.status.value, attempt.external_time, attempt.completed_at,
            attempt.cancelled_at, attempt.cancel_reason,
        )

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None:
        found = await self._attempts("gateway = $1 AND external_id = $2", gateway, external_id)
        return found[0] if found else None

    async def attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._attempts("payment_id = $1 ORDER BY seq", payment_id)

    async def attempts_between(self, gateway: str, start_ms: int, end_ms: int) -> list[Attempt]:
        return await self._attempts(
            "gateway = $1 AND external_time BETWEEN $2 AND $3 ORDER BY external_time, seq",
            gateway, start_ms, end_ms,
        )

    async def open_attempts_before(self, gateway: str, created_before: datetime) -> list[Attempt]:
        return await self._attempts(
            "gateway = $1 AND status = 'open' AND created_at < $2 ORDER BY created_at, seq",
            gateway, created_before,
        )

    async def _attempts(self, condition: str, *args: Any) -> list[Attempt]:
        rows = await self._db.fetch(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE {condition}", *args)
        return [attempt_from(row, NATIVE) for row in rows]

    async def _one(self, sql: str, *args: Any) -> Payment | None:
        row = await self._db.fetchrow(sql, *args)
        return payment_from(row, self._cipher, NATIVE) if row else None
