"""Fixtures for the Postgres-only tests (skipped without HAMYON_TEST_POSTGRES_URL, failed in CI)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import asyncpg
import pytest

from adapters.postgres import PostgresStorage, PostgresUnitOfWork
from tests.backends.postgres import postgres_url, storage_factory

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> str:
    return postgres_url()


@pytest.fixture
def open_storage(tmp_path: Path) -> Callable[[], AbstractAsyncContextManager[PostgresStorage]]:
    return storage_factory(tmp_path)


async def backend_pid(uow: PostgresUnitOfWork) -> int:
    """The server process behind a unit (the adapter's session, reached on purpose in these tests)."""
    return int(await uow.session.fetchval("SELECT pg_backend_pid()"))


@pytest.fixture
def until_blocked(pg_url: str) -> Callable[[PostgresUnitOfWork], Awaitable[None]]:
    """Waits until some other session queues behind a lock that the given unit holds. The loop only
    guards against a hang; what the tests assert is the order of outcomes, never a duration."""

    async def wait(holder: PostgresUnitOfWork) -> None:
        pid = await backend_pid(holder)
        monitor = await asyncpg.connect(pg_url)
        try:
            for _ in range(2000):
                if await monitor.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", pid
                ):
                    return
                await asyncio.sleep(0.005)
            raise AssertionError("no session queued behind the lock")
        finally:
            await monitor.close()

    return wait
