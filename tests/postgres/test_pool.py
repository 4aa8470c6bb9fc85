"""The connection pool: never more than ``max_size`` connections, waiting units served in turn,
failed or cancelled loans give their place back, and closing waits for the connections lent."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

import asyncpg
import pytest

from adapters.postgres.pool import ConnectionPool, PoolClosed

T = TypeVar("T")


@contextlib.asynccontextmanager
async def open_pool(url: str, max_size: int) -> AsyncIterator[ConnectionPool]:
    """A pool that keeps one connection open from the start, closed on leaving."""
    pool = await ConnectionPool.open(url, min_size=1, max_size=max_size)
    try:
        yield pool
    finally:
        await pool.close()


async def started(waiting: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """``waiting`` as a task, given the time to reach the point where it waits."""
    task = asyncio.create_task(waiting)
    await asyncio.sleep(0.01)
    return task


async def test_units_beyond_max_size_wait_and_never_open_more_connections(pg_url):
    busy, most = 0, 0
    async with open_pool(pg_url, max_size=2) as pool:
        async def unit() -> int:
            nonlocal busy, most
            connection = await pool.acquire()
            busy += 1
            most = max(most, busy)
            try:
                return int(await connection.fetchval("SELECT pg_backend_pid()"))
            finally:
                await asyncio.sleep(0.01)
                busy -= 1
                pool.release(connection)

        pids = await asyncio.gather(*(unit() for _ in range(12)))
    assert most == 2 and len(set(pids)) == 2


async def test_a_connection_the_server_ended_while_idle_is_replaced(pg_url):
    async with open_pool(pg_url, max_size=1) as pool:
        connection = await pool.acquire()
        pid = await connection.fetchval("SELECT pg_backend_pid()")
        pool.release(connection)
        admin = await asyncpg.connect(pg_url)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
            for _ in range(200):  # until the client has seen the connection end
                if connection.is_closed():
                    break
                await asyncio.sleep(0.01)
        finally:
            await admin.close()
        fresh = await pool.acquire()
        assert await fresh.fetchval("SELECT pg_backend_pid()") != pid
        pool.release(fresh)


async def test_a_discarded_connection_lets_a_waiting_unit_open_another(pg_url):
    async with open_pool(pg_url, max_size=1) as pool:
        failed = await pool.acquire()
        waiting = await started(pool.acquire())
        assert not waiting.done()
        pool.discard(failed)
        connection = await waiting
        assert await connection.fetchval("SELECT 1") == 1 and failed.is_closed()
        pool.release(connection)


@pytest.mark.parametrize("handed_first", [False, True])
async def test_a_unit_cancelled_while_waiting_keeps_no_place(pg_url, handed_first):
    async with open_pool(pg_url, max_size=1) as pool:
        held = await pool.acquire()
        cancelled = await started(pool.acquire())
        if handed_first:  # handed the connection, then cancelled before it woke: it must come back
            pool.release(held)
            cancelled.cancel()
        else:
            cancelled.cancel()
            pool.release(held)
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        again = await asyncio.wait_for(pool.acquire(), timeout=5)
        pool.release(again)


async def test_closing_waits_for_lent_connections_and_refuses_new_loans(pg_url):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=2)
    lent = await pool.acquire()
    closing = await started(pool.close())
    assert not closing.done()
    with pytest.raises(PoolClosed):
        await pool.acquire()
    pool.release(lent)
    await asyncio.wait_for(closing, timeout=5)
    assert lent.is_closed()
