"""Holds, the same repository on both SQL storages: ``lock`` holds the row until the unit ends
(``Dialect.lock``). The pages and totals of ``ports.reports`` are read here too."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.dialect import Dialect, Queries, Reads, parameters
from adapters.sql.hold_rows import HOLD_COLUMNS, HOLD_UPDATES, hold_from, hold_row
from domain.holds import Hold, HoldStatus
from domain.money import Currency
from domain.paging import Page, PageRequest

_SAVE = f"INSERT INTO holds ({HOLD_COLUMNS}) VALUES ({parameters(12)}) ON CONFLICT (id) DO UPDATE SET " \
        f"{HOLD_UPDATES}"
_OF_USER = "user_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2)"  # $2 a status, or NULL: any


class SqlHoldRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values
        self._lock = f"SELECT {HOLD_COLUMNS} FROM holds WHERE id = $1{dialect.lock}"

    async def add(self, hold: Hold) -> None:
        await self.save(hold)

    async def lock(self, hold_id: UUID) -> Hold | None:
        row = await self._db.fetchrow(self._lock, self._v.uuid(hold_id))
        return hold_from(row, self._v) if row else None

    async def save(self, hold: Hold) -> None:
        await self._db.execute(_SAVE, *hold_row(hold, self._v))

    async def due_for_expiry(self, now: datetime, limit: int, user_id: str | None = None) -> list[UUID]:
        if user_id is None:
            rows = await self._db.fetch("SELECT id FROM holds WHERE status = 'active' AND expires_at <= $1 "
                                        "ORDER BY expires_at LIMIT $2", self._v.time(now), limit)
        else:
            rows = await self._db.fetch("SELECT id FROM holds WHERE user_id = $1 AND status = 'active' "
                                        "AND expires_at <= $2 ORDER BY expires_at LIMIT $3",
                                        user_id, self._v.time(now), limit)
        return [self._v.read_uuid(row["id"]) for row in rows]

    async def held(self, user_id: str, currency: Currency) -> int:
        total = await self._db.fetchval("SELECT coalesce(sum(amount), 0) FROM holds WHERE user_id = $1 "
                                        "AND currency = $2 AND status = 'active'", user_id, currency.value)
        return int(total)


class HoldReports:
    """The holds of ``ports.reports``."""

    def __init__(self, db: Reads, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values

    async def holds(self, user_id: str, page: PageRequest, *,
                    status: HoldStatus | None = None) -> Page[Hold]:
        state = status.value if status else None
        total = await self._db.fetchval(f"SELECT count(*) FROM holds WHERE {_OF_USER}", user_id, state)
        rows = await self._db.fetch(f"SELECT {HOLD_COLUMNS} FROM holds WHERE {_OF_USER} "
                                    "ORDER BY created_at DESC, seq DESC LIMIT $3 OFFSET $4",
                                    user_id, state, page.per_page, page.offset)
        return Page(tuple(hold_from(row, self._v) for row in rows), total, page)

    async def active_holds(self) -> dict[Currency, int]:
        rows = await self._db.fetch("SELECT currency, sum(amount) AS held FROM holds WHERE status = 'active' "
                                    "GROUP BY currency")
        return {Currency(row["currency"]): int(row["held"]) for row in rows}
