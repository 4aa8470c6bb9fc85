"""Payments and their gateway attempts.

Attempts are keyed by (gateway, external id), the unique key the gateways rely on; a dict keeps
their insertion order. Reference numbers are unique too (an index table of their own). Searches
and summaries are in ``adapters.memory.reports``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

import attrs

from adapters.memory.session import Repository
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus
from ports.storage import Conflict

OPEN = (PaymentStatus.PENDING, PaymentStatus.PROCESSING)


def newest_first(payments: Iterable[Payment]) -> list[Payment]:
    return sorted(payments, key=lambda p: (p.created_at, str(p.id)), reverse=True)


def _copy(payment: Payment | None) -> Payment | None:
    return attrs.evolve(payment) if payment is not None else None


def _last_change(payment: Payment) -> datetime:
    return payment.updated_at or payment.created_at


class MemoryPaymentRepository(Repository):
    async def add(self, payment: Payment) -> None:
        """Raises Conflict('payment_reference') when the reference number is taken."""
        tables = await self._tables()
        if payment.reference_number in tables.table("payment_references"):
            raise Conflict("payment_reference")
        if payment.id in tables.table("payments"):
            raise Conflict("payments_pkey")
        tables.writable("payment_references")[payment.reference_number] = payment.id
        tables.writable("payments")[payment.id] = attrs.evolve(payment)

    async def get(self, payment_id: UUID) -> Payment | None:
        return _copy((await self._tables()).table("payments").get(payment_id))

    async def lock(self, payment_id: UUID) -> Payment | None:
        """The writing unit already holds the storage's writer lock until it ends."""
        return await self.get(payment_id)

    async def save(self, payment: Payment) -> None:
        tables = await self._tables()
        tables.writable("payments")[payment.id] = attrs.evolve(payment)
        if payment.reference_number not in tables.table("payment_references"):
            tables.writable("payment_references")[payment.reference_number] = payment.id

    async def by_external_id(self, gateway: str, external_id: str) -> Payment | None:
        found = await self._payments(lambda p: p.gateway == gateway and p.external_id == external_id != "")
        return _copy(next(iter(newest_first(found)), None))

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        due = await self._payments(lambda p: p.status in OPEN and p.expires_at <= now)
        return [p.id for p in sorted(due, key=lambda p: p.expires_at)[:limit]]

    async def stale_processing(self, older_than: datetime, limit: int) -> list[UUID]:
        stale = await self._payments(
            lambda p: p.status is PaymentStatus.PROCESSING and _last_change(p) <= older_than
        )
        return [p.id for p in sorted(stale, key=_last_change)[:limit]]

    async def add_attempt(self, attempt: Attempt) -> None:
        """Raises Conflict('attempt_external_id') when gateway + external_id is taken."""
        tables = await self._tables()
        key = (attempt.gateway, attempt.external_id)
        if key in tables.table("attempts"):
            raise Conflict("attempt_external_id")
        tables.writable("attempts")[key] = attrs.evolve(attempt)

    async def save_attempt(self, attempt: Attempt) -> None:
        """Writes the attempt's state (status, times, reason); its ids and gateway never change."""
        attempts = (await self._tables()).writable("attempts")
        for key, stored in attempts.items():
            if stored.id == attempt.id:
                attempts[key] = attrs.evolve(
                    stored, status=attempt.status, external_time=attempt.external_time,
                    completed_at=attempt.completed_at, cancelled_at=attempt.cancelled_at,
                    cancel_reason=attempt.cancel_reason,
                )
                return

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None:
        stored = (await self._tables()).table("attempts").get((gateway, external_id))
        return attrs.evolve(stored) if stored is not None else None

    async def attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._attempts(lambda a: a.payment_id == payment_id)

    async def attempts_between(self, gateway: str, start_ms: int, end_ms: int) -> list[Attempt]:
        """By ``external_time``, both ends included, ascending (then in insertion order)."""
        found = await self._attempts(lambda a: a.gateway == gateway and a.external_time is not None
                                     and start_ms <= a.external_time <= end_ms)
        return sorted(found, key=lambda a: a.external_time or 0)

    async def open_attempts_before(self, gateway: str, created_before: datetime) -> list[Attempt]:
        found = await self._attempts(lambda a: a.gateway == gateway and a.status is AttemptStatus.OPEN
                                     and a.created_at < created_before)
        return sorted(found, key=lambda a: a.created_at)

    async def _payments(self, wanted: Callable[[Payment], bool]) -> list[Payment]:
        return [p for p in (await self._tables()).table("payments").values() if wanted(p)]

    async def _attempts(self, wanted: Callable[[Attempt], bool]) -> list[Attempt]:
        """Matching attempts in insertion order, as copies (``sorted`` keeps ties in that order)."""
        return [attrs.evolve(a) for a in (await self._tables()).table("attempts").values() if wanted(a)]
