"""Payments and their gateway attempts.

A broken unique key (a payment's reference number, a gateway's external id) raises ``Conflict`` and
leaves the unit's transaction usable: SQLite undoes only the failed statement.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.sealed import TRACKING_CODE, seal, unseal
from adapters.sqlite.session import Session
from adapters.sqlite.values import (
    optional_time_from,
    optional_time_text,
    time_from,
    time_text,
    uuid_from,
    uuid_text,
)
from domain.money import Currency, Money
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus, PaymentType
from domain.records import Page, PageRequest, PaymentSummary
from ports.services import Cipher

_FIELDS = ("id", "reference_number", "user_id", "gateway", "amount", "commission", "currency", "status",
           "payment_type", "description", "callback_url", "return_url", "external_id", "tracking_code",
           "created_at", "expires_at", "completed_at", "cancelled_at", "updated_at")
_COLUMNS = ", ".join(_FIELDS)
_PLACEHOLDERS = ", ".join("?" for _ in _FIELDS)
_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in _FIELDS[1:])
_NEWEST = "ORDER BY created_at DESC, id DESC"
_ATTEMPT_COLUMNS = "id, payment_id, gateway, external_id, created_at, status, external_time, " \
                   "completed_at, cancelled_at, cancel_reason"
_SUMMARY = """
SELECT count(*) AS total,
       count(CASE WHEN status = 'completed' THEN 1 END) AS completed,
       coalesce(sum(CASE WHEN status = 'completed' THEN amount END), 0) AS total_amount,
       count(CASE WHEN status IN ('pending', 'processing') THEN 1 END) AS pending,
       count(CASE WHEN status IN ('failed', 'cancelled', 'expired') THEN 1 END) AS failed
FROM payments WHERE user_id = ? AND created_at >= ?
"""
_SEARCH = "(:status IS NULL OR status = :status) AND (:gateway IS NULL OR gateway = :gateway) " \
          "AND (:user_id IS NULL OR user_id = :user_id)"


def _payment_row(p: Payment, cipher: Cipher | None) -> tuple[Any, ...]:
    return (uuid_text(p.id), p.reference_number, p.user_id, p.gateway, p.amount.minor, p.commission.minor,
            p.currency.value, p.status.value, p.payment_type.value, p.description, p.callback_url,
            p.return_url, p.external_id, seal(cipher, TRACKING_CODE, p.tracking_code),
            time_text(p.created_at), time_text(p.expires_at),
            optional_time_text(p.completed_at), optional_time_text(p.cancelled_at),
            optional_time_text(p.updated_at))


def payment_from(row: sqlite3.Row, cipher: Cipher | None = None) -> Payment:
    currency = Currency(row["currency"])
    return Payment(
        uuid_from(row["id"]), row["reference_number"], row["user_id"], row["gateway"],
        Money(row["amount"], currency), Money(row["commission"], currency), time_from(row["created_at"]),
        time_from(row["expires_at"]), PaymentStatus(row["status"]), PaymentType(row["payment_type"]),
        row["description"], row["callback_url"], row["return_url"], row["external_id"],
        unseal(cipher, TRACKING_CODE, row["tracking_code"]), optional_time_from(row["completed_at"]),
        optional_time_from(row["cancelled_at"]), optional_time_from(row["updated_at"]),
    )


def _attempt_row(a: Attempt) -> tuple[Any, ...]:
    return (uuid_text(a.id), uuid_text(a.payment_id), a.gateway, a.external_id, time_text(a.created_at),
            a.status.value, a.external_time, optional_time_text(a.completed_at),
            optional_time_text(a.cancelled_at), a.cancel_reason)


def attempt_from(row: sqlite3.Row) -> Attempt:
    return Attempt(
        uuid_from(row["id"]), uuid_from(row["payment_id"]), row["gateway"], row["external_id"],
        time_from(row["created_at"]), AttemptStatus(row["status"]), row["external_time"],
        optional_time_from(row["completed_at"]), optional_time_from(row["cancelled_at"]),
        row["cancel_reason"],
    )


class SqlitePaymentRepository:
    """Tracking codes are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, payment: Payment) -> None:
        """Raises Conflict('payment_reference') when the reference number is taken."""
        await self._db.execute(f"INSERT INTO payments ({_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                               _payment_row(payment, self._cipher))

    async def get(self, payment_id: UUID) -> Payment | None:
        return await self._one(f"SELECT {_COLUMNS} FROM payments WHERE id = ?", (uuid_text(payment_id),))

    async def lock(self, payment_id: UUID) -> Payment | None:
        """The writing unit's ``BEGIN IMMEDIATE`` already holds every row until the unit ends."""
        return await self.get(payment_id)

    async def save(self, payment: Payment) -> None:
        await self._db.execute(
            f"INSERT INTO payments ({_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
            f"ON CONFLICT (id) DO UPDATE SET {_UPDATES}",
            _payment_row(payment, self._cipher),
        )

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        return await self._one(
            f"SELECT {_COLUMNS} FROM payments WHERE gateway = ? AND external_id = ? AND external_id <> '' "
            f"{_NEWEST} LIMIT 1", (gateway, external_id),
        )

    async def for_user(
        self, user_id: str, page: PageRequest, *, gateway: str | None = None
    ) -> Page[Payment]:
        return await self.search(page, gateway=gateway, user_id=user_id)

    async def search(
        self, page: PageRequest, *, status: PaymentStatus | None = None,
        gateway: str | None = None, user_id: str | None = None,
    ) -> Page[Payment]:
        where = {"status": status.value if status else None, "gateway": gateway, "user_id": user_id}
        total = await self._db.fetchval(f"SELECT count(*) FROM payments WHERE {_SEARCH}", where)
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM payments WHERE {_SEARCH} {_NEWEST} LIMIT :limit OFFSET :offset",
            {**where, "limit": page.per_page, "offset": page.offset},
        )
        return Page(tuple(payment_from(row, self._cipher) for row in rows), total, page)

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

    async def summary(self, user_id: str, since: datetime) -> PaymentSummary:
        row = await self._db.fetchone(_SUMMARY, (user_id, time_text(since)))
        assert row is not None
        return PaymentSummary(row["total"], row["completed"], row["total_amount"], row["pending"],
                              row["failed"])

    async def add_attempt(self, attempt: Attempt) -> None:
        """Raises Conflict('attempt_external_id') when gateway + external_id is taken. The payer's
        user id is copied from the payment, as on Postgres."""
        await self._db.execute(
            f"INSERT INTO attempts ({_ATTEMPT_COLUMNS}, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT user_id FROM payments WHERE id = ?2))",
            _attempt_row(attempt),
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
        rows = await self._db.fetch(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {condition}", params)
        return [attempt_from(row) for row in rows]

    async def _one(self, sql: str, params: tuple[Any, ...]) -> Payment | None:
        row = await self._db.fetchone(sql, params)
        return payment_from(row, self._cipher) if row else None
