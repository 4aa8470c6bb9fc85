"""Postgres as the repositories shared with SQLite see it (``adapters.sql.dialect``): the unit's
``Session`` runs their statements as it is; ``Alone`` runs plain reads on their own while the unit
watches its wallets (``Session.run_alone``)."""

from __future__ import annotations

from typing import Any

import asyncpg

from adapters.postgres.session import Session
from adapters.sql.dialect import Dialect
from adapters.sql.values import NATIVE

POSTGRES = Dialect(NATIVE, lock=" FOR UPDATE", claim=" FOR UPDATE SKIP LOCKED")


class Alone:
    """The reads of reports and settings: none of them begins a transaction the unit does not need."""

    def __init__(self, session: Session) -> None:
        self._db = session

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self._db.run_alone("fetch", sql, *args)
        return rows

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._db.run_alone("fetchrow", sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._db.run_alone("fetchval", sql, *args)
