"""Payments and their gateway attempts.

Unique keys that a caller may expect to hit (a payment's reference number, a gateway's external id)
are inserted with ``ON CONFLICT ... DO NOTHING`` and reported as ``Conflict``: the transaction stays
usable, as it does on the other backends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from adapters.postgres.session import Session
from adapters.sealed import TRACKING_CODE, seal, unseal
from domain.money import Currency, Money
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus, PaymentType
from domain.records import Page, PageRequest, PaymentSummary
from ports.services import Cipher
from ports.storage import Conflict

_FIELDS = ("id", "reference_number", "user_id", "gateway", "amount", "commission", "currency", "status",
           "payment_type", "description", "callback_url", "return_url", "external_id", "tracking_code",
           "created_at", "expires_at", "completed_at", "cancelled_at", "updated_at")
_COLUMNS = ", ".join(_FIELDS)
_PLACEHOLDERS = ", ".join(f"${n}" for n in range(1, len(_FIELDS) + 1))
_UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name in _FIELDS[1:])
_NEWEST = "ORDER BY created_at DESC, id DESC"
_ATTEMPT_COLUMNS = "id, payment_id, gateway, external_id, created_at, status, external_time, " \
                   "completed_at, cancelled_at, cancel_reason"
_SUMMARY = """
SELECT count(*) AS total,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       coalesce(sum(amount) FILTER (WHERE status = 'completed'), 0)::bigint AS total_amount,
       count(*) FILTER (WHERE status IN ('pending', 'processing')) AS pending,
       count(*) FILTER (WHERE status IN ('failed', 'cancelled', 'expired')) AS failed
FROM payments WHERE user_id = $1 AND created_at >= $2
"""


def _payment_row(p: Payment, cipher: Cipher | None) -> tuple[Any, ...]:
    return (p.id, p.reference_number, p.user_id, p.gateway, p.amount.minor, p.commission.minor,
            p.currency.value, p.status.value, p.payment_type.value, p.description, p.callback_url,
            p.return_url, p.external_id, seal(cipher, TRACKING_CODE, p.tracking_code), p.created_at,
            p.expires_at, p.completed_at, p.cancelled_at, p.updated_at)


def payment_from(row: asyncpg.Record, cipher: Cipher | None = None) -> Payment:
    currency = Currency(row["currency"])
    return Payment(
        row["id"], row["reference_number"], row["user_id"], row["gateway"],
        Money(row["amount"], currency), Money(row["commission"], currency), row["created_at"],
        row["expires_at"], PaymentStatus(row["status"]), PaymentType(row["payment_type"]),
        row["description"], row["callback_url"], row["return_url"], row["external_id"],
        unseal(cipher, TRACKING_CODE, row["tracking_code"]), row["completed_at"], row["cancelled_at"],
        row["updated_at"],
    )


def attempt_from(row: asyncpg.Record) -> Attempt:
    return Attempt(
        row["id"], row["payment_id"], row["gateway"], row["external_id"], row["created_at"],
        AttemptStatus(row["status"]), row["external_time"], row["completed_at"], row["cancelled_at"],
        row["cancel_reason"],
    )


class PgPaymentRepository:
    """Tracking codes are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, payment: Payment) -> None:
        added = await self._db.fetchval(
            f"INSERT INTO payments ({_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
            "ON CONFLICT ON CONSTRAINT payment_reference DO NOTHING RETURNING TRUE",
            *_payment_row(payment, self._cipher),
        )
        if not added:
            raise Conflict("payment_reference")

    async def get(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {_COLUMNS} FROM payments WHERE id = $1", payment_id)

    async def lock(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {_COLUMNS} FROM payments WHERE id = $1 FOR UPDATE", payment_id)

    async def save(self, payment: Payment) -> None:
        await self._db.execute(
            f"INSERT INTO payments ({_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
            f"ON CONFLICT (id) DO UPDATE SET {_UPDATES}",
            *_payment_row(payment, self._cipher),
        )

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        return await self._one(
            f"SELECT {_COLUMNS} FROM payments WHERE gateway = $1 AND external_id = $2 AND "
            f"external_id <> '' {_NEWEST} LIMIT 1",
            gateway, external_id,
        )

    async def for_user(
        self, user_id: str, page: PageRequest, *, gateway: str | None = None
    ) -> Page[Payment]:
        return await self.search(page, gateway=gateway, user_id=user_id)

    async def search(
        self, page: PageRequest, *, status: PaymentStatus | None = None,
        gateway: str | None = None, user_id: str | None = None,
    ) -> Page[Payment]:
        where = "($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR gateway = $2) " \
                "AND ($3::text IS NULL OR user_id = $3)"
        args = (status.value if status else None, gateway, user_id)
        total = await self._db.fetchval(f"SELECT count(*) FROM payments WHERE {where}", *args)
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM payments WHERE {where} {_NEWEST} LIMIT $4 OFFSET $5",
            *args, page.per_page, page.offset,
        )
        return Page(tuple(payment_from(row, self._cipher) for row in rows), total, page)

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

    async def summary(self, user_id: str, since: datetime) -> PaymentSummary:
        row = await self._db.fetchrow(_SUMMARY, user_id, since)
        assert row is not None
        return PaymentSummary(row["total"], row["completed"], row["total_amount"], row["pending"],
                              row["failed"])

    async def add_attempt(self, attempt: Attempt) -> None:
        """The payer's user id is copied from the payment, for a distribution by user."""
        added = await self._db.fetchval(
            f"INSERT INTO attempts ({_ATTEMPT_COLUMNS}, user_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT user_id FROM payments WHERE id = $2)) "
            "ON CONFLICT ON CONSTRAINT attempt_external_id DO NOTHING RETURNING TRUE",
            *_attempt_row(attempt),
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
        row = await self._db.fetchrow(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE gateway = $1 AND external_id = $2",
            gateway, external_id,
        )
        return attempt_from(row) if row else None

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
        rows = await self._db.fetch(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {condition}", *args)
        return [attempt_from(row) for row in rows]

    async def _one(self, sql: str, *args: Any) -> Payment | None:
        row = await self._db.fetchrow(sql, *args)
        return payment_from(row, self._cipher) if row else None


def _attempt_row(a: Attempt) -> tuple[Any, ...]:
    return (a.id, a.payment_id, a.gateway, a.external_id, a.created_at, a.status.value, a.external_time,
            a.completed_at, a.cancelled_at, a.cancel_reason)
