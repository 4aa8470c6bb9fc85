"""The sealed columns as key rotation (``adapters.sql.rotation``) reads and writes them here: a
batch is written back by one ``UPDATE ... FROM unnest(...)`` in a short transaction."""

from __future__ import annotations

from typing import Any

from adapters.postgres.pool import ConnectionPool
from adapters.postgres.session import Session
from adapters.sealed import SEALED_COLUMNS, SealedColumn
from adapters.sql.rotation import Resealed

_KEY_TYPES = {"payment_logs": "bigint", "payments": "uuid", "doctors": "text", "secrets": "text",
              "webhook_endpoints": "uuid"}


class PgSealedTables:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    async def count(self) -> int:
        session = Session(self._pool, write=False)
        try:
            counts = [await session.fetchval(f"SELECT count(*) FROM {c.table} WHERE {c.column} <> ''")
                      for c in SEALED_COLUMNS]
        finally:
            await session.close()
        return int(sum(counts))

    async def batch(self, column: SealedColumn, after: Any, size: int) -> list[tuple[Any, str]]:
        c = column
        after_key, args = ("", (size,)) if after is None else (f"AND {c.key} > $2", (size, after))
        session = Session(self._pool, write=False)
        try:
            rows = await session.fetch(f"SELECT {c.key}, {c.column} FROM {c.table} WHERE {c.column} <> '' "
                                       f"{after_key} ORDER BY {c.key} LIMIT $1", *args)
        finally:
            await session.close()
        return [(row[0], row[1]) for row in rows]

    async def write(self, column: SealedColumn, changed: list[Resealed]) -> None:
        c = column
        keys, old, new = (list(values) for values in zip(*changed, strict=True))
        session = Session(self._pool, write=True)
        try:
            await session.execute(
                f"UPDATE {c.table} AS t SET {c.column} = u.new "
                f"FROM unnest($1::{_KEY_TYPES[c.table]}[], $2::text[], $3::text[]) AS u(key, old, new) "
                f"WHERE t.{c.key} = u.key AND t.{c.column} = u.old", keys, old, new,
            )
            await session.commit()
        finally:
            await session.close()
