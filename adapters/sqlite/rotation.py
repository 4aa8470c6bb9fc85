"""Key rotation: every sealed value re-encrypted with the cipher's current key, in batches.

Each batch is read in a reading unit, re-sealed outside any transaction, and written back in a
short writing unit with a compare-and-set (``WHERE column = <what was read>``): the write lock is
held only for the updates, and a value a server changed meanwhile (sealed with its current key
already) is left as the server wrote it. Plain text written before encryption was on is sealed.
"""

from __future__ import annotations

from typing import Any

from adapters.sealed import ROTATION_BATCH, SEALED_COLUMNS, Progress, SealedColumn, reseal
from adapters.sqlite.pool import ConnectionPool
from adapters.sqlite.session import session_for
from ports.services import Cipher


async def rotate_keys(pool: ConnectionPool, cipher: Cipher, progress: Progress | None = None, *,
                      batch: int = ROTATION_BATCH) -> int:
    """Re-seal every sealed column; returns how many values were re-encrypted."""
    total = await _count(pool)
    done = 0
    for column in SEALED_COLUMNS:
        last: Any = None
        while rows := await _batch(pool, column, last, batch):
            changed = [(reseal(cipher, column.purpose, stored), key, stored) for key, stored in rows]
            await _write(pool, column, changed)
            last, done = rows[-1][0], done + len(rows)
            if progress is not None:
                progress(done, max(total, done))
    return done


async def _count(pool: ConnectionPool) -> int:
    session = session_for(pool, write=False)
    try:
        counts = [await session.fetchval(f"SELECT count(*) FROM {c.table} WHERE {c.column} <> ''")
                  for c in SEALED_COLUMNS]
    finally:
        await session.rollback()
    return sum(counts)


async def _batch(pool: ConnectionPool, column: SealedColumn, after: Any, size: int) -> list[tuple[Any, str]]:
    c = column
    after_key = "" if after is None else f"AND {c.key} > ?"
    session = session_for(pool, write=False)
    try:
        rows = await session.fetch(
            f"SELECT {c.key}, {c.column} FROM {c.table} WHERE {c.column} <> '' {after_key} "
            f"ORDER BY {c.key} LIMIT ?", (size,) if after is None else (after, size),
        )
    finally:
        await session.rollback()
    return [(row[0], row[1]) for row in rows]


async def _write(pool: ConnectionPool, column: SealedColumn, changed: list[tuple[str, Any, str]]) -> None:
    c = column
    session = session_for(pool, write=True)
    try:
        await session.executemany(
            f"UPDATE {c.table} SET {c.column} = ? WHERE {c.key} = ? AND {c.column} = ?", changed)
        await session.commit()
    finally:
        await session.rollback()
