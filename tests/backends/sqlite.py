"""The SQLite backend for the contract suite: each storage is a fresh, migrated database file."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from adapters.sqlite import SqliteStorage, open_sqlite
from ports.services import Cipher


def storage_factory(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[SqliteStorage]]:
    """Each call opens a new database file under ``tmp_path`` (``synchronous=NORMAL``: the tests
    need no durability across power cuts, only speed) and closes it on exit; with ``cipher``, the
    storage encrypts its sealed columns."""
    numbers = itertools.count(1)

    @contextlib.asynccontextmanager
    async def open_storage(cipher: Cipher | None = None) -> AsyncIterator[SqliteStorage]:
        path = tmp_path / f"hamyon-{next(numbers)}.db"
        storage = await open_sqlite(str(path), synchronous="NORMAL", cipher=cipher)
        try:
            yield storage
        finally:
            await storage.close()

    return open_storage


@contextlib.asynccontextmanager
async def reopened(storage: SqliteStorage, cipher: Cipher | None) -> AsyncIterator[SqliteStorage]:
    """Another storage on the same database file, with another cipher."""
    again = await open_sqlite(storage.path, synchronous="NORMAL", migrate=False, cipher=cipher)
    try:
        yield again
    finally:
        await again.close()


async def stored_bytes(storage: SqliteStorage) -> bytes:
    """Everything on disk for this database (the file, its WAL and shared memory), as raw bytes."""
    main = Path(storage.path)
    return b"".join(path.read_bytes() for path in (main, main.with_name(main.name + "-wal"),
                                                    main.with_name(main.name + "-shm"))
                    if path.exists())
