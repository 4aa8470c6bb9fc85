"""The SQLite backend for the contract suite: each storage is a fresh, migrated database file."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from adapters.sqlite import SqliteStorage, open_sqlite


def storage_factory(tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[SqliteStorage]]:
    """Each call opens a new database file under ``tmp_path`` (``synchronous=NORMAL``: the tests
    need no durability across power cuts, only speed) and closes it on exit."""
    numbers = itertools.count(1)

    @contextlib.asynccontextmanager
    async def open_storage() -> AsyncIterator[SqliteStorage]:
        path = tmp_path / f"hamyon-{next(numbers)}.db"
        storage = await open_sqlite(str(path), synchronous="NORMAL")
        try:
            yield storage
        finally:
            await storage.close()

    return open_storage
