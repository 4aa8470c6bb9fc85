"""Key rotation: every sealed value (``adapters.sealed``) re-encrypted with the cipher's current
key, in batches, the same walk on both SQL storages.

Each batch is read in a reading unit, re-sealed outside any transaction, and written back in one
short writing unit with a compare-and-set (``WHERE column = <what was read>``): no row stays locked
while Fernet works, and a value a server changed meanwhile (sealed with its current key already)
is left as the server wrote it. Plain text written before encryption was on is sealed.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from adapters.sealed import SEALED_COLUMNS, Progress, SealedColumn, reseal
from ports.services import Cipher


class Resealed(NamedTuple):
    key: Any  # the row's key (``SealedColumn.key``)
    old: str  # what was read
    new: str  # the same value sealed with the current key


class SealedTables(Protocol):
    """One storage's reads and writes of its sealed columns, each in a short unit of its own."""

    async def count(self) -> int:
        """How many non-empty sealed values there are in all."""
        ...

    async def batch(self, column: SealedColumn, after: Any, size: int) -> list[tuple[Any, str]]:
        """Up to ``size`` (key, stored value) of ``column``, non-empty, by key, past ``after``
        (from the start when None)."""
        ...

    async def write(self, column: SealedColumn, changed: list[Resealed]) -> None:
        """Store each new value where the old one is still stored."""
        ...


async def rotate_keys(tables: SealedTables, cipher: Cipher | None, progress: Progress | None, *,
                      batch: int) -> int:
    """Re-seal every sealed column, calling ``progress(done, total)`` after each batch; returns
    how many values were re-encrypted. Old values must open with one of the cipher's keys."""
    if cipher is None:
        raise ValueError("rotate_keys needs a cipher: this storage was opened without one")
    total, done = await tables.count(), 0
    for column in SEALED_COLUMNS:
        last: Any = None
        while rows := await tables.batch(column, last, batch):
            await tables.write(column, [Resealed(key, stored, reseal(cipher, column.purpose, stored))
                                        for key, stored in rows])
            last, done = rows[-1][0], done + len(rows)
            if progress is not None:
                progress(done, max(total, done))
    return done
