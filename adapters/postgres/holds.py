"""Holds on Postgres: ``lock`` takes the row lock (``FOR UPDATE``) until the unit ends."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.postgres.session import Session
from adapters.sql.hold_rows import HOLD_COLUMNS, HOLD_UPDATES, hold_from, hold_row
from adapters.sql.values import NATIVE
from domain.holds import Hold, HoldStatus
from domain.money import Currency
from domain.paging import Page, PageRequest

_SAVE = f"INSERT INTO holds ({HOLD_COLUMNS}) VALUES ({', '.join(f'${n}' for n in range(1, 13))}) " \
        f"ON CONFLICT (id) DO UPDATE SET {HOLD_UPDATES}"


class PgHoldRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, hold: Hold) -> None:
        await self._db.execute(_SAVE, *hold_row(hold, NATIVE))

    async def lock(self, hold_id: UUID) -> Hold | None:
        row = await self._db.fetchrow(f"SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1 FOR UPDATE", hold_id)
        return hold_from(row, NATIVE) if row else None

    async def save(self, hold: Hold) -> None:
        await self._db.execute(_SAVE, *hold_row(hold, NATIVE))

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch("SELECT id FROM holds WHERE status = 'active' AND expires_at <= $1 "
                                    "ORDER BY expires_at LIMIT $2", now, limit)
        return [row["id"] for row in rows]

    async def held(self, user_id: str, currency: Currency) -> int:
        total = await self._db.fetchval("SELECT coalesce(sum(amount), 0) FROM holds WHERE user_id = $1 "
                                        "AND currency = $2 AND status = 'active'", user_id, currency.value)
        return int(total)


async def holds_page(db: Session, user_id: str, page: PageRequest, status: HoldStatus | None) -> Page[Hold]:
    condition = "user_id = $1 AND ($2::text IS NULL OR status = $2)"
    state = status.value if status else None
    total = await db.fetchval(f"SELECT count(*) FROM holds WHERE {condition}", user_id, state)
    rows = await db.fetch(f"SELECT {HOLD_COLUMNS} FROM holds WHERE {condition} ORDER BY created_at DESC, "
                          "seq DESC LIMIT $3 OFFSET $4", user_id, state, page.per_page, page.offset)
    return Page(tuple(hold_from(row, NATIVE) for row in rows), total, page)


async def active_holds(db: Session) -> dict[Currency, int]:
    rows = await db.fetch("SELECT currency, sum(amount) AS held FROM holds WHERE status = 'active' "
                          "GROUP BY currency")
    return {Currency(row["currency"]): int(row["held"]) for row in rows}
