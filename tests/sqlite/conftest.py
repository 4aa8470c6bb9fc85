"""Fixtures for the SQLite-only tests: a fresh database file per test."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from adapters.sqlite import SqliteStorage
from tests.backends.sqlite import storage_factory


@pytest.fixture
def open_storage(tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[SqliteStorage]]:
    return storage_factory(tmp_path)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "hamyon.db")


@pytest.fixture
def until_queued() -> Callable[[SqliteStorage], Awaitable[None]]:
    """Lets other tasks run until one queues for the writing turn (the pool's lock, reached on
    purpose). The loop only guards against a hang; the tests assert the order of outcomes."""

    async def wait(storage: SqliteStorage) -> None:
        turn = storage._pool._writing_turn
        for _ in range(10_000):
            if turn._waiters:
                return
            await asyncio.sleep(0)
        raise AssertionError("no unit queued for the writing turn")

    return wait
