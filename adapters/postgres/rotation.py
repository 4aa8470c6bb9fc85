"""Key rotation: every sealed value re-encrypted with the cipher's current key, in batches.

Each batch is read, re-sealed outside any transaction, and written back in one short transaction
with a compare-and-set (``WHERE column = <what was read>``): no row stays locked while Fernet
works, and a value a server changed meanwhile (sealed with its current key already) is left as the
server wrote it. Plain text written before encryption was on is sealed.
"""

from __future__ import annotations

from typing import Any

from adapters.postgres.pool import ConnectionPool
from adapters.postgres.session import Session
from adapters.sealed import ROTATION_BATCH, SEALED_COLUMNS, Progress, SealedColumn, reseal
from ports.services import Cipher

_KEY_TYPES = {"payment_logs": "bigint", "payments": "uuid", "doctors": "text", "secrets": "text"}


async def rotate_keys(pool: ConnectionPool, cipher: Cipher, progress: Progress | None = None, *,
                      batch: int = ROTATION_BATCH) -> int:
    """Re-seal every sealed column; returns how many values were re-encrypted."""
    total = await _count(pool)
    done = 0
    for column in SEALED_COLUMNS:
        last: Any = None
        while rows := await _batch(pool, column, last, batch):
            await _write(pool, column, [(key, stored, reseal(cipher, column.purpose, stored))
                                        for key, stored in rows])
            last, done = rows[-1][0], done + len(rows)
            if progress is not None:
                progress(done, max(total, done))
    return done


async def _count(pool: ConnectionPool) -> int:
    session = Session(pool, write=False)
    try:
        counts = [await session.fetchval(f"SELECT count(*) FROM {c.table} WHERE {c.column} <> ''")
                  for c in SEALED_COLUMNS]
    finally:
        await session.close()
    return int(sum(counts))


async def _batch(pool: ConnectionPool, column: SealedColumn, after: Any, size: int) -> list[tuple[Any, str]]:
    c = column
    session = Session(pool, write=False)
    try:
        if after is None:
            rows = await session.fetch(f"SELECT {c.key}, {c.column} FROM {c.table} WHERE {c.column} <> '' "
                                       f"ORDER BY {c.key} LIMIT $1", size)
        else:
            rows = await session.fetch(f"SELECT {c.key}, {c.column} FROM {c.table} WHERE {c.column} <> '' "
                                       f"AND {c.key} > $1 ORDER BY {c.key} LIMIT $2", after, size)
    finally:
        await session.close()
    return [(row[0], row[1]) for row in rows]


async def _write(pool: ConnectionPool, column: SealedColumn, changed: list[tuple[Any, str, str]]) -> None:
    c = column
    keys, old, new = (list(values) for values in zip(*changed, strict=True))
    session = Session(pool, write=True)
    try:
        await session.execute(
            f"UPDATE {c.table} AS t SET {c.column} = u.new "
            f"FROM unnest($1::{_KEY_TYPES[c.table]}[], $2::text[], $3::text[]) AS u(key, old, new) "
            f"WHERE t.{c.key} = u.key AND t.{c.column} = u.old", keys, old, new,
        )
        await session.commit()
    finally:
        await session.close()
