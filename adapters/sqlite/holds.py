"""Holds on SQLite. A writing unit holds the write lock, so ``lock`` holds the row until it ends."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.hold_rows import HOLD_COLUMNS, HOLD_UPDATES, hold_from, hold_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text, uuid_text
from domain.holds import Hold, HoldStatus
from domain.money import Currency
from domain.paging import Page, PageRequest

_SAVE = f"INSERT INTO holds ({HOLD_COLUMNS}) VALUES ({', '.join('?' * 12)}) " \
        f"ON CONFLICT (id) DO UPDATE SET {HOLD_UPDATES}"


class SqliteHoldRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, hold: Hold) -> None:
        await self._db.execute(_SAVE, hold_row(hold, STORED))

    async def lock(self, hold_id: UUID) -> Hold | None:
        row = await self._db.fetchone(f"SELECT {HOLD_COLUMNS} FROM holds WHERE id = ?", (uuid_text(hold_id),))
        return hold_from(row, STORED) if row else None

    async def save(self, hold: Hold) -> None:
        await self._db.execute(_SAVE, hold_row(hold, STORED))

    async def due_for_expiry(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch("SELECT id FROM holds WHERE status = 'active' AND expires_at <= ? "
                                    "ORDER BY expires_at LIMIT ?", (time_text(now), limit))
        return [STORED.read_uuid(row["id"]) for row in rows]

    async def held(self, user_id: str, currency: Currency) -> int:
        total = await self._db.fetchval("SELECT coalesce(sum(amount), 0) FROM holds WHERE user_id = ? "
                                        "AND currency = ? AND status = 'active'", (user_id, currency.value))
        return int(total)


async def holds_page(db: Session, user_id: str, page: PageRequest, status: HoldStatus | None) -> Page[Hold]:
    where = {"user_id": user_id, "status": status.value if status else None}
    condition = "user_id = :user_id AND (:status IS NULL OR status = :status)"
    total = await db.fetchval(f"SELECT count(*) FROM holds WHERE {condition}", where)
    rows = await db.fetch(f"SELECT {HOLD_COLUMNS} FROM holds WHERE {condition} ORDER BY created_at DESC, "
                          "seq DESC LIMIT :limit OFFSET :offset",
                          {**where, "limit": page.per_page, "offset": page.offset})
    return Page(tuple(hold_from(row, STORED) for row in rows), total, page)


async def active_holds(db: Session) -> dict[Currency, int]:
    rows = await db.fetch("SELECT currency, sum(amount) AS held FROM holds WHERE status = 'active' "
                          "GROUP BY currency")
    return {Currency(row["currency"]): int(row["held"]) for row in rows}
