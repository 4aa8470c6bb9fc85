"""The connection pool: never more than ``max_size`` connections, waiting units served in turn,
failed or cancelled loans give their place back, and closing waits for the connections lent."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from adapters.postgres.pool import ConnectionPool, PoolClosed


async def test_units_beyond_max_size_wait_and_never_open_more_connections(pg_url):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=2)
    busy, most = 0, 0

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
    await pool.close()
    assert most == 2 and len(set(pids)) == 2


async def test_a_connection_the_server_ended_while_idle_is_replaced(pg_url):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=1)
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
    await pool.close()


async def test_a_discarded_connection_lets_a_waiting_unit_open_another(pg_url):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=1)
    failed = await pool.acquire()
    waiting = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.01)
    assert not waiting.done()
    pool.discard(failed)
    connection = await waiting
    assert await connection.fetchval("SELECT 1") == 1 and failed.is_closed()
    pool.release(connection)
    await pool.close()


@pytest.mark.parametrize("handed_first", [False, True])
async def test_a_unit_cancelled_while_waiting_keeps_no_place(pg_url, handed_first):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=1)
    held = await pool.acquire()
    cancelled = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.01)
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
    await pool.close()


async def test_closing_waits_for_lent_connections_and_refuses_new_loans(pg_url):
    pool = await ConnectionPool.open(pg_url, min_size=1, max_size=2)
    lent = await pool.acquire()
    closing = asyncio.create_task(pool.close())
    await asyncio.sleep(0.01)
    assert not closing.done()
    with pytest.raises(PoolClosed):
        await pool.acquire()
    pool.release(lent)
    await asyncio.wait_for(closing, timeout=5)
    assert lent.is_closed()
