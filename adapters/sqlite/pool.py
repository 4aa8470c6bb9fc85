"""The connections of one storage: one writing connection taken in turn, a few reading ones.

SQLite lets one transaction write at a time. Within the process, writing units queue on an asyncio
lock (first come, first served, no polling) and then share the one writing connection; across
processes, ``BEGIN IMMEDIATE`` and the busy timeout make them take turns. Reading units each hold
their own connection, so in WAL mode they never wait for a writer.

A unit that waits longer than the busy timeout for the writing turn gets ``TransientStorageError``,
as it would from another process: a retry may succeed, and a unit opened inside another writing unit
of the same task fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

import aiosqlite

from adapters.sqlite.connections import BUSY_TIMEOUT_SECONDS, connect
from ports.storage import StorageError, TransientStorageError

MAX_READERS = 8


class ConnectionPool:
    def __init__(
        self, path: str, synchronous: str = "FULL", *, busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        max_readers: int = MAX_READERS,
    ) -> None:
        self._path, self._synchronous, self._busy_timeout = path, synchronous, busy_timeout
        self._writing_turn = asyncio.Lock()
        self._writer: aiosqlite.Connection | None = None
        self._idle_readers: list[aiosqlite.Connection] = []
        self._reader_slots = asyncio.Semaphore(max_readers)
        self._closed = False

    async def open(self) -> None:
        """Open the writing connection now, so that a bad path fails at start, not at first use."""
        async with self._writing_turn:
            await self._writing_connection()

    async def acquire(self, *, write: bool) -> aiosqlite.Connection:
        if self._closed:
            raise StorageError("the SQLite storage is closed")
        if write:
            await self._take_writing_turn()
            try:
                return await self._writing_connection()
            except BaseException:
                self._writing_turn.release()
                raise
        await self._reader_slots.acquire()
        try:
            return self._idle_readers.pop() if self._idle_readers else await self._open()
        except BaseException:
            self._reader_slots.release()
            raise

    async def release(self, connection: aiosqlite.Connection, *, write: bool, dirty: bool) -> None:
        """Give a connection back. ``dirty``: its transaction may still be open (a failed or cancelled
        commit), so it is rolled back first; one that cannot even do that is closed and replaced."""
        try:
            healthy = not dirty or await _rolled_back(connection)
            if not healthy or (self._closed and not write):
                await _close_quietly(connection)
                if write:
                    self._writer = None
            elif not write:
                self._idle_readers.append(connection)
        finally:
            if write:
                self._writing_turn.release()
            else:
                self._reader_slots.release()

    async def close(self) -> None:
        """Close every connection; a writing unit in flight is waited for (up to the busy timeout)."""
        self._closed = True
        idle, self._idle_readers = self._idle_readers, []
        for connection in idle:
            await _close_quietly(connection)
        has_turn = False
        with contextlib.suppress(TransientStorageError):
            await self._take_writing_turn()
            has_turn = True
        try:
            writer, self._writer = self._writer, None
            if writer is not None:
                await _close_quietly(writer)
        finally:
            if has_turn:
                self._writing_turn.release()

    async def _take_writing_turn(self) -> None:
        if not self._writing_turn.locked():
            await self._writing_turn.acquire()
            return
        try:
            await asyncio.wait_for(self._writing_turn.acquire(), self._busy_timeout)
        except TimeoutError:
            raise TransientStorageError(
                "database is locked: another unit of work of this process is still writing"
            ) from None

    async def _writing_connection(self) -> aiosqlite.Connection:
        if self._writer is None:
            self._writer = await self._open()
        return self._writer

    async def _open(self) -> aiosqlite.Connection:
        return await connect(self._path, self._synchronous, self._busy_timeout)


async def _rolled_back(connection: aiosqlite.Connection) -> bool:
    """Roll back whatever is open; True if the connection is still usable."""
    try:
        await connection.execute_fetchall("ROLLBACK")
    except sqlite3.OperationalError as error:
        return "no transaction is active" in str(error)
    except Exception:
        return False
    return True


async def _close_quietly(connection: aiosqlite.Connection) -> None:
    with contextlib.suppress(Exception):
        await connection.close()
