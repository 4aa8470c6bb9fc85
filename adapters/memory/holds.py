"""Holds in memory: a keyed table of their states (their money is in the ledger)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import attrs

from adapters.memory.session import Repository
from adapters.memory.state import Tables
from domain.holds import Hold, HoldStatus
from domain.money import Currency
from domain.paging import Page, PageRequest


class MemoryHoldRepository(Repository):
    async def add(self, hold: Hold) -> None:
        (await self._tables()).writable("holds")[hold.id] = attrs.evolve(hold)

    async def lock(self, hold_id: UUID) -> Hold | None:
        """The writing unit already holds the storage's writer lock until it ends."""
        found = (await self._tables()).table("holds").get(hold_id)
        return attrs.evolve(found) if found is not None else None

    async def save(self, hold: Hold) -> None:
        (await self._tables()).writable("holds")[hold.id] = attrs.evolve(hold)

    async def due_for_expiry(self, now: datetime, limit: int, user_id: str | None = None) -> list[UUID]:
        due = [hold for hold in (await self._tables()).table("holds").values()
               if hold.status is HoldStatus.ACTIVE and hold.expires_at <= now
               and user_id in (None, hold.user_id)]
        return [hold.id for hold in sorted(due, key=lambda hold: hold.expires_at)[:limit]]

    async def held(self, user_id: str, currency: Currency) -> int:
        return sum(hold.amount.minor for hold in (await self._tables()).table("holds").values()
                   if hold.user_id == user_id and hold.currency is currency
                   and hold.status is HoldStatus.ACTIVE)


def holds_page(tables: Tables, user_id: str, page: PageRequest, status: HoldStatus | None) -> Page[Hold]:
    found = sorted((hold for hold in tables.table("holds").values() if hold.user_id == user_id
                    and (status is None or hold.status is status)),
                   key=lambda hold: (hold.created_at, str(hold.id)), reverse=True)
    chosen = found[page.offset:page.offset + page.per_page]
    return Page(tuple(attrs.evolve(hold) for hold in chosen), len(found), page)


def active_holds(tables: Tables) -> dict[Currency, int]:
    sums: dict[Currency, int] = {}
    for hold in tables.table("holds").values():
        if hold.status is HoldStatus.ACTIVE:
            sums[hold.currency] = sums.get(hold.currency, 0) + hold.amount.minor
    return sums
