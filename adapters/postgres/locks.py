"""Job locks on Postgres: one session advisory lock per background job.

Every ``serve`` (and ``worker``) process runs the same periodic jobs; the lock makes them take
turns, so that at any moment at most one process in the whole cluster runs a given job.
``hold(name)`` tries the lock without waiting (``pg_try_advisory_lock``): a process that finds it
taken skips that round. The lock lives on one dedicated connection; if that connection (or the
process) dies, Postgres frees the lock by itself, so a crashed holder never blocks the others.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg

from adapters.postgres.migrate import checked_schema
from adapters.postgres.session import storage_errors

# First half of every two-key advisory lock a job takes ("HYJB"); the other Hamyon locks use
# other first halves, so a job lock never collides with a migration or idempotency lock.
JOB_LOCK = 0x48594A42
_KEY = "hashtext(coalesce(current_schema(), '') || ':' || $2)"


class PostgresJobLocks:
    def __init__(self, dsn: str, *, schema: str | None = None) -> None:
        self._dsn = dsn
        self._schema = checked_schema(schema) if schema else None
        self._connection: asyncpg.Connection | None = None
        self._turn = asyncio.Lock()  # one statement at a time on the shared connection

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[bool]:
        """Yield True with the job's lock held (released on exit), or False when another
        session holds it."""
        if not await self._fetch(f"SELECT pg_try_advisory_lock($1, {_KEY})", name):
            yield False
            return
        try:
            yield True
        finally:
            with contextlib.suppress(Exception):  # a lost connection has freed the lock already
                await self._fetch(f"SELECT pg_advisory_unlock($1, {_KEY})", name)

    async def close(self) -> None:
        async with self._turn:
            if self._connection is not None:
                await self._connection.close()
                self._connection = None

    async def _fetch(self, query: str, name: str) -> bool:
        async with self._turn:
            connection = await self._connect()
            try:
                with storage_errors():
                    return bool(await connection.fetchval(query, JOB_LOCK, name))
            except Exception:
                await self._drop()  # reconnect next time; the server freed this session's locks
                raise

    async def _connect(self) -> asyncpg.Connection:
        if self._connection is None or self._connection.is_closed():
            settings = {"search_path": self._schema} if self._schema else {}
            with storage_errors():
                self._connection = await asyncpg.connect(self._dsn, server_settings=settings)
        return self._connection

    async def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.terminate()
            self._connection = None
