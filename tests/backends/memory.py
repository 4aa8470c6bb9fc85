"""The memory backend for the contract suite: each storage is a new, empty ``MemoryStorage``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from adapters.memory import MemoryStorage
from ports.storage import UnitOfWork
from tests.backends import until_someone_waits_for


def storage_factory(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[MemoryStorage]]:
    """Each call opens a fresh storage (no I/O: ``tmp_path`` is unused) and closes it on exit. A
    ``cipher`` is accepted and unused: the memory storage keeps objects, never ciphertext."""

    @contextlib.asynccontextmanager
    async def open_storage(cipher: object = None) -> AsyncIterator[MemoryStorage]:
        storage = MemoryStorage()
        try:
            yield storage
        finally:
            await storage.close()

    return open_storage


async def until_queued(storage: MemoryStorage, holder: UnitOfWork) -> None:
    """Until another writing unit waits for the storage's one writer lock, which ``holder`` holds."""
    await until_someone_waits_for(storage._store.writer)
