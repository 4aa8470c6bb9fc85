"""The Postgres backend for the contract suite: each storage lives in its own fresh schema.

``HAMYON_TEST_POSTGRES_URL`` names the server. Without it the Postgres tests are skipped on a
developer's machine, but fail in CI (``CI`` set), where they must run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import asyncpg
import pytest

from adapters.postgres import PostgresStorage, PostgresUnitOfWork, open_postgres
from ports.services import Cipher
from tests.backends import opened

URL_VARIABLE = "HAMYON_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL; skips the test without one, except in CI where that is an error."""
    url = os.environ.get(URL_VARIABLE, "")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{URL_VARIABLE} is not set: in CI the Postgres tests must run, not skip")
    pytest.skip(f"{URL_VARIABLE} is not set")


def fresh_schema() -> str:
    return f"t_{uuid.uuid4().hex}"


async def drop_schema(url: str, schema: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def schema_on(url: str) -> AsyncIterator[str]:
    """A unique schema name, dropped (with all it holds) on leaving."""
    schema = fresh_schema()
    try:
        yield schema
    finally:
        await drop_schema(url, schema)


def storage_factory(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[PostgresStorage]]:
    """Each call opens a migrated storage in a new schema (small pool: tests run in parallel), and
    on exit closes the pool and drops the schema; with ``cipher``, the storage encrypts its sealed
    columns."""
    url = postgres_url()

    @contextlib.asynccontextmanager
    async def open_storage(cipher: Cipher | None = None) -> AsyncIterator[PostgresStorage]:
        async with schema_on(url) as schema, opened(open_postgres, url, schema=schema, migrate=True,
                                                     min_size=1, max_size=4, cipher=cipher) as storage:
            yield storage

    return open_storage


def reopened(storage: PostgresStorage,
             cipher: Cipher | None) -> AbstractAsyncContextManager[PostgresStorage]:
    """Another storage on the same schema, with another cipher."""
    return opened(open_postgres, postgres_url(), schema=storage.schema, min_size=1, max_size=2,
                  cipher=cipher)


async def stored_bytes(storage: PostgresStorage) -> bytes:
    """Every row of every table of the storage's schema, as Postgres prints it."""
    connection = await asyncpg.connect(postgres_url(), server_settings={"search_path": storage.schema})
    try:
        tables = await connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", storage.schema)
        rows = [await connection.fetch(f'SELECT t::text AS row FROM "{table["table_name"]}" AS t')
                for table in tables]
    finally:
        await connection.close()
    return "\n".join(row["row"] for table_rows in rows for row in table_rows).encode()


async def backend_pid(uow: PostgresUnitOfWork) -> int:
    """The server process behind a unit (the adapter's session, reached on purpose in these tests)."""
    return int(await uow.session.fetchval("SELECT pg_backend_pid()"))


async def until_blocked(holder: PostgresUnitOfWork) -> None:
    """Waits until some other session queues behind a lock that ``holder`` holds. The loop only
    guards against a hang; what the tests assert is the order of outcomes, never a duration."""
    pid = await backend_pid(holder)
    monitor = await asyncpg.connect(postgres_url())
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


async def until_queued(storage: PostgresStorage, holder: PostgresUnitOfWork) -> None:
    """Until another unit waits for a row lock that ``holder`` holds."""
    await until_blocked(holder)
