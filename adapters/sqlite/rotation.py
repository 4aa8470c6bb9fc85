"""The sealed columns as key rotation (``adapters.sql.rotation``) reads and writes them here: the
write lock is held only for a batch's updates."""

from __future__ import annotations

from typing import Any

from adapters.sealed import SEALED_COLUMNS, SealedColumn
from adapters.sql.rotation import Resealed
from adapters.sqlite.pool import ConnectionPool
from adapters.sqlite.session import session_for


class SqliteSealedTables:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    async def count(self) -> int:
        session = session_for(self._pool, write=False)
        try:
            counts = [await session.fetchval(f"SELECT count(*) FROM {c.table} WHERE {c.column} <> ''")
                      for c in SEALED_COLUMNS]
        finally:
            await session.rollback()
        return sum(counts)

    async def batch(self, column: SealedColumn, after: Any, size: int) -> list[tuple[Any, str]]:
        c = column
        after_key = "" if after is None else f"AND {c.key} > ?"
        session = session_for(self._pool, write=False)
        try:
            rows = await session.fetch(
                f"SELECT {c.key}, {c.column} FROM {c.table} WHERE {c.column} <> '' {after_key} "
                f"ORDER BY {c.key} LIMIT ?", (size,) if after is None else (after, size),
            )
        finally:
            await session.rollback()
        return [(row[0], row[1]) for row in rows]

    async def write(self, column: SealedColumn, changed: list[Resealed]) -> None:
        c = column
        session = session_for(self._pool, write=True)
        try:
            await session.executemany(
                f"UPDATE {c.table} SET {c.column} = ? WHERE {c.key} = ? AND {c.column} = ?",
                [(new, key, old) for key, old, new in changed])
            await session.commit()
        finally:
            await session.rollback()
