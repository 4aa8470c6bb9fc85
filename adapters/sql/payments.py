"""Payments and their gateway attempts, the same repository on both SQL storages.

Unique keys that a caller may expect to hit (a payment's reference number, a gateway's external id)
are inserted with ``ON CONFLICT ... DO NOTHING`` and reported as ``Conflict``: the unit's transaction
stays usable on every backend. ``lock`` holds the row until the unit ends (``Dialect.lock``).
Searches and summaries are in ``adapters.sql.reports``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.sql.dialect import Dialect, Queries, parameters
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
from domain.payments import Attempt, Payment
from ports.services import Cipher
from ports.storage import Conflict

_INSERT = f"INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES ({parameters(len(PAYMENT_FIELDS))})"
_ADD = f"{_INSERT} ON CONFLICT (reference_number) DO NOTHING RETURNING 1"
_SAVE = f"{_INSERT} ON CONFLICT (id) DO UPDATE SET {PAYMENT_UPDATES}"
_BY_ID = f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1"
_NEWEST = "ORDER BY created_at DESC, id DESC"
# The payer's user id is copied from the payment, for a distribution by user.
_ADD_ATTEMPT = f"INSERT INTO attempts ({ATTEMPT_COLUMNS}, user_id) VALUES ({parameters(10)}, " \
               "(SELECT user_id FROM payments WHERE id = $2)) " \
               "ON CONFLICT (gateway, external_id) DO NOTHING RETURNING 1"


class SqlPaymentRepository:
    """Tracking codes are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, db: Queries, dialect: Dialect, cipher: Cipher | None) -> None:
        self._db = db
        self._v = dialect.values
        self._cipher = cipher
        self._lock = f"{_BY_ID}{dialect.lock}"

    async def add(self, payment: Payment) -> None:
        if not await self._db.fetch(_ADD, *payment_row(payment, self._cipher, self._v)):
            raise Conflict("payment_reference")

    async def get(self, payment_id: UUID) -> Payment | None:
        return await self._one(_BY_ID, self._v.uuid(payment_id))

    async def lock(self, payment_id: UUID) -> Payment | None:
        return await self._one(self._lock, self._v.uuid(payment_id))

    async def save(self, payment: Payment) -> None:
        await self._db.execute(_SAVE, *payment_row(payment, self._cipher, self._v))

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        return await self._one(
            f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE gateway = $1 AND external_id = $2 AND "
            f"external_id <> '' {_NEWEST} LIMIT 1",
            gateway, external_id,
        )

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status IN ('pending', 'processing') AND expires_at <= $1 "
            "ORDER BY expires_at LIMIT $2", self._v.time(now), limit,
        )
        return [self._v.read_uuid(row["id"]) for row in rows]

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch(
            "SELECT id FROM payments WHERE status = 'processing' "
            "AND coalesce(updated_at, created_at) <= $1 "
            "ORDER BY coalesce(updated_at, created_at) LIMIT $2", self._v.time(older_than), limit,
        )
        return [self._v.read_uuid(row["id"]) for row in rows]

    async def add_attempt(self, attempt: Attempt) -> None:
        if not await self._db.fetch(_ADD_ATTEMPT, *attempt_row(attempt, self._v)):
            raise Conflict("attempt_external_id")

    async def save_attempt(self, attempt: Attempt) -> None:
        v = self._v
        await self._db.execute(
            "UPDATE attempts SET status = $2, external_time = $3, completed_at = $4, "
            "cancelled_at = $5, cancel_reason = $6 WHERE id = $1",
            v.uuid(attempt.id), attempt.status.value, attempt.external_time,
            v.optional_time(attempt.completed_at), v.optional_time(attempt.cancelled_at),
            attempt.cancel_reason,
        )

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None:
        found = await self._attempts("gateway = $1 AND external_id = $2", gateway, external_id)
        return found[0] if found else None

    async def attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._attempts("payment_id = $1 ORDER BY seq", self._v.uuid(payment_id))

    async def attempts_between(self, gateway: str, start_ms: int, end_ms: int) -> list[Attempt]:
        return await self._attempts(
            "gateway = $1 AND external_time BETWEEN $2 AND $3 ORDER BY external_time, seq",
            gateway, start_ms, end_ms,
        )

    async def open_attempts_before(self, gateway: str, created_before: datetime) -> list[Attempt]:
        return await self._attempts(
            "gateway = $1 AND status = 'open' AND created_at < $2 ORDER BY created_at, seq",
            gateway, self._v.time(created_before),
        )

    async def _attempts(self, condition: str, *args: Any) -> list[Attempt]:
        rows = await self._db.fetch(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE {condition}", *args)
        return [attempt_from(row, self._v) for row in rows]

    async def _one(self, sql: str, *args: Any) -> Payment | None:
        row = await self._db.fetchrow(sql, *args)
        return payment_from(row, self._cipher, self._v) if row else None
