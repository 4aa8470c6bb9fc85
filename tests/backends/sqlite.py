"""The SQLite backend for the contract suite: each storage is a fresh, migrated database file."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from adapters.sqlite import SqliteStorage, open_sqlite
from ports.services import Cipher
from ports.storage import UnitOfWork
from tests.backends import opened, until_someone_waits_for


def storage_factory(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[SqliteStorage]]:
    """Each call opens a new database file under ``tmp_path`` (``synchronous=NORMAL``: the tests
    need no durability across power cuts, only speed) and closes it on exit; with ``cipher``, the
    storage encrypts its sealed columns."""
    numbers = itertools.count(1)

    def open_storage(cipher: Cipher | None = None) -> AbstractAsyncContextManager[SqliteStorage]:
        path = tmp_path / f"hamyon-{next(numbers)}.db"
        return opened(open_sqlite, str(path), synchronous="NORMAL", cipher=cipher)

    return open_storage


def reopened(storage: SqliteStorage, cipher: Cipher | None) -> AbstractAsyncContextManager[SqliteStorage]:
    """Another storage on the same database file, with another cipher."""
    return opened(open_sqlite, storage.path, synchronous="NORMAL", migrate=False, cipher=cipher)


async def stored_bytes(storage: SqliteStorage) -> bytes:
    """Everything on disk for this database (the file, its WAL and shared memory), as raw bytes."""
    main = Path(storage.path)
    return b"".join(path.read_bytes() for path in (main, main.with_name(main.name + "-wal"),
                                                    main.with_name(main.name + "-shm"))
                    if path.exists())


async def until_queued(storage: SqliteStorage, holder: UnitOfWork) -> None:
    """Until another writing unit queues for the writing turn (the pool's lock), which ``holder``
    holds."""
    await until_someone_waits_for(storage._pool._writing_turn)
