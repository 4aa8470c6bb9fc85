"""A SQLite session as the repositories shared with Postgres use it (``adapters.sql.dialect``):
parameters passed one by one, ``$1`` written ``?1`` (SQLite's numbered parameter, which may also
stand twice in a statement)."""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from typing import Any

from adapters.sql.dialect import Dialect
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED

SQLITE = Dialect(STORED, lock="", claim="")

_NUMBERED = re.compile(r"\$(\d+)")


@lru_cache(maxsize=512)  # the shared statements are a few dozen texts, each rewritten once
def sqlite_text(sql: str) -> str:
    return _NUMBERED.sub(r"?\1", sql)


class SqliteQueries:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def fetch(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return await self._db.fetch(sqlite_text(sql), args)

    async def fetchrow(self, sql: str, *args: Any) -> sqlite3.Row | None:
        return await self._db.fetchone(sqlite_text(sql), args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._db.fetchval(sqlite_text(sql), args)

    async def execute(self, sql: str, *args: Any) -> None:
        await self._db.execute(sqlite_text(sql), args)
