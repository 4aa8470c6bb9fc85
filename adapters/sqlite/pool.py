"""The connections of one storage: one writing connection taken in turn, a few reading ones.

SQLite lets one transaction write at a time. Within the process, writing units queue on an asyncio
lock (first come, first served, no polling) and then share the one writing connection (``Writer``:
driven from the loop's thread); across processes, ``BEGIN IMMEDIATE`` and the busy timeout make them
take turns. Reading units each hold their own connection (aiosqlite: a thread each), so in WAL mode
they never wait for a writer.

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
from adapters.sqlite.writer import Writer
from ports.storage import StorageError, TransientStorageError

MAX_READERS = 8


class ConnectionPool:
    def __init__(
        self, path: str, synchronous: str = "FULL", *, busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        max_readers: int = MAX_READERS,
    ) -> None:
        self._path, self._synchronous, self._busy_timeout = path, synchronous, busy_timeout
        self._writing_turn = asyncio.Lock()
        self._writer: Writer | None = None
        self._idle_readers: list[aiosqlite.Connection] = []
        self._reader_slots = asyncio.Semaphore(max_readers)
        self._closed = False

    async def open(self) -> None:
        """Open the writing connection now, so that a bad path fails at start, not at first use."""
        async with self._writing_turn:
            await self._writing_connection()

    async def take_writer(self) -> Writer:
        """The writing connection, once it is this caller's turn; ``give_back_writer`` ends the turn."""
        self._check_open()
        await self._take_writing_turn()
        try:
            return await self._writing_connection()
        except BaseException:
            self._writing_turn.release()
            raise

    async def commit_and_give_back(self, writer: Writer) -> None:
        """Commit the writing unit and end its turn. The next writer's turn starts the moment the
        commit is on disk, not when the committing task is next scheduled (a loop turn later, which
        under load is most of a writing turn); a failed commit is rolled back first."""
        handed_over = False

        def hand_over() -> None:
            nonlocal handed_over
            handed_over = True
            self._writing_turn.release()

        try:
            await writer.commit(then=hand_over)
        finally:
            if not handed_over:  # the commit failed (or its outcome is unknown): roll back first
                await self.give_back_writer(writer, dirty=True)

    async def give_back_writer(self, writer: Writer, *, dirty: bool) -> None:
        """End the writing turn. ``dirty``: a transaction may still be open (a failed, cancelled or
        abandoned unit), so it is rolled back first; a connection that cannot even do that is
        closed and replaced by the next turn."""
        try:
            if dirty and not writer.rolled_back():
                self._writer = None
                await writer.close()
        finally:
            self._writing_turn.release()

    async def acquire_reader(self) -> aiosqlite.Connection:
        self._check_open()
        await self._reader_slots.acquire()
        try:
            return self._idle_readers.pop() if self._idle_readers else await self._open_reader()
        except BaseException:
            self._reader_slots.release()
            raise

    async def release_reader(self, connection: aiosqlite.Connection, *, dirty: bool) -> None:
        """Give a reading connection back, its transaction rolled back first when ``dirty``."""
        try:
            healthy = not dirty or await _rolled_back(connection)
            if healthy and not self._closed:
                self._idle_readers.append(connection)
            else:
                await _close_quietly(connection)
        finally:
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
                await writer.close()
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

    async def _writing_connection(self) -> Writer:
        if self._writer is None:
            self._writer = await Writer.open(self._path, self._synchronous, self._busy_timeout)
        return self._writer

    async def _open_reader(self) -> aiosqlite.Connection:
        return await connect(self._path, self._synchronous, self._busy_timeout)

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("the SQLite storage is closed")


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
