"""The connections of one storage: one writing connection taken in turn, a few reading ones.

SQLite lets one transaction write at a time. Within the process, writing units queue on an asyncio
lock (first come, first served, no polling) and then share the one writing connection (``Writer``:
driven from the loop's thread), units that follow one another closely in one transaction (group
commit: ``adapters.sqlite.batch``); across processes, ``BEGIN IMMEDIATE`` (per batch) and the busy
timeout make them take turns. Reading units each hold their own connection (aiosqlite: a thread
each), so in WAL mode they never wait for a writer and see only committed batches.

A unit that waits longer than the busy timeout for the writing turn gets ``TransientStorageError``,
as it would from another process: a retry may succeed, and a unit opened inside another writing unit
of the same task fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

import aiosqlite

from adapters.sqlite.batch import MAX_SECONDS, Batch
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
        self._batch: Batch | None = None  # the open transaction, shared by the units of a batch
        self._queued = 0  # units waiting for the writing turn: a committing unit hands the batch on
        self._idle_readers: list[aiosqlite.Connection] = []
        self._reader_slots = asyncio.Semaphore(max_readers)
        self._closed = False

    async def open(self) -> None:
        """Open the writing connection now, so that a bad path fails at start, not at first use."""
        async with self._writing_turn:
            await self._writing_connection()

    async def begin_unit(self) -> Writer:
        """The writing connection, once it is this caller's turn: in the open batch's transaction,
        or in a new one (``BEGIN IMMEDIATE``). Before the unit's first write, ``will_write``.
        ``commit_unit`` or ``rollback_unit`` ends the unit and its turn."""
        self._check_open()
        await self._take_writing_turn()
        try:
            writer = await self._writing_connection()
            if self._batch is None:
                await writer.begin()
                self._batch = Batch(asyncio.get_running_loop().time())
        except BaseException:
            await self._leave_batch(None)
            raise
        self._batch.units += 1
        self._batch.in_savepoint = self._batch.unit_wrote = False
        return writer

    def will_write(self, writer: Writer, *, at_commit: bool = False) -> None:
        """The unit is about to write. Its writes must be droppable alone while earlier units of the
        batch wait for its commit: a savepoint, taken now (the batch's first unit needs none:
        dropping its writes is dropping the transaction). ``at_commit``: these are the unit's last
        writes, made as it commits; no savepoint then (SQLite's costs a copy of every page the
        unit changes): if they fail, the whole batch fails, its units retry, nothing is kept."""
        batch = self._open_batch()
        if not (at_commit or batch.in_savepoint) and batch.keeps_something:
            writer.savepoint()
            batch.in_savepoint = True
        batch.unit_wrote = True

    async def commit_unit(self, writer: Writer) -> None:
        """Keep the unit's writes; returns once they are committed (on disk), with the batch they
        joined. A failed commit keeps nothing of the batch: ``TransientStorageError``."""
        batch = self._open_batch()
        if batch.in_savepoint:
            try:
                writer.release_savepoint()
            except BaseException:
                await self.rollback_unit(writer)
                raise
            batch.in_savepoint = False
        if self._queued and not batch.full(asyncio.get_running_loop().time()):
            owed = batch.acknowledgement()
            self._writing_turn.release()  # the next unit goes on in this transaction
            await self._acknowledged(batch, owed)
        else:
            await self._commit_batch(writer, batch)

    async def rollback_unit(self, writer: Writer) -> None:
        """Drop the unit's writes (only them: the earlier units of its batch stay) and end its turn."""
        batch = self._batch
        # A unit that wrote nothing leaves the transaction as it found it, unless an error of its
        # (a full disk, an I/O error, even on a read) made SQLite roll the whole of it back.
        intact = batch is not None and writer.in_transaction and (
            not batch.unit_wrote or (batch.in_savepoint and writer.rolled_back_to_savepoint()))
        if batch is not None:
            batch.in_savepoint = batch.unit_wrote = False
        await self._leave_batch(writer if intact else None)  # None: the whole transaction goes

    async def _leave_batch(self, writer: Writer | None) -> None:
        """End a turn that keeps nothing of its own. ``writer``: the transaction is intact, so the
        batch goes on with the next unit or is committed; None: the transaction is lost (or was
        never begun), the batch fails and is rolled back."""
        batch = self._batch
        if batch is not None and batch.keeps_something and writer is not None:
            if self._queued and not batch.full(asyncio.get_running_loop().time()):
                self._writing_turn.release()
                return
            with contextlib.suppress(Exception):  # the batch's units hear of a failure, not this one
                await self._commit_batch(writer, batch)
            return
        self._batch = None
        if batch is not None:
            batch.failed("an earlier error rolled its transaction back")
        await self._give_back_writer(dirty=True)

    async def _commit_batch(self, writer: Writer, batch: Batch) -> None:
        """``COMMIT`` the batch; the next turn starts the moment it is on disk, not when this task is
        next scheduled (a loop turn later, which under load is most of a writing turn)."""
        self._batch = None
        handed_over = False

        def hand_over() -> None:
            nonlocal handed_over
            handed_over = True
            batch.committed()
            self._writing_turn.release()

        try:
            await writer.commit(then=hand_over)
        except Exception as error:
            batch.failed(str(error))
            raise TransientStorageError(f"the commit failed, nothing was kept: {error}") from error
        finally:
            if not handed_over:  # failed, or cancelled before its outcome was known: roll back
                batch.failed("its commit did not finish")
                await self._give_back_writer(dirty=True)

    async def _acknowledged(self, batch: Batch, owed: asyncio.Future[None]) -> None:
        """Wait for the batch's outcome. The caller hears of a cancel only then (whatever happens, the
        batch is committed or not as a whole). If the turn was handed to a unit that gave up before
        taking it, nobody else may come: the waiting unit then commits the batch itself."""
        cancelled = False
        while not owed.done():
            try:
                await asyncio.wait([owed], timeout=MAX_SECONDS)
                if not owed.done() and self._batch is batch and not self._writing_turn.locked():
                    await self._commit_abandoned(batch)
            except asyncio.CancelledError:
                cancelled = True
        if cancelled:
            raise asyncio.CancelledError
        owed.result()

    async def _commit_abandoned(self, batch: Batch) -> None:
        await self._writing_turn.acquire()
        if self._batch is batch:
            await self._leave_batch(self._writer)
        else:
            self._writing_turn.release()

    def _open_batch(self) -> Batch:
        if self._batch is None:
            raise StorageError("no writing unit is open")
        return self._batch

    async def _give_back_writer(self, *, dirty: bool) -> None:
        """End the writing turn. ``dirty``: a transaction may still be open (a failed, cancelled or
        abandoned unit), so it is rolled back first; a connection that cannot even do that is
        closed and replaced by the next turn."""
        writer = self._writer
        try:
            if dirty and writer is not None and not writer.rolled_back():
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
        has_turn = await self._final_turn()
        try:
            writer, self._writer = self._writer, None
            if writer is not None:
                await writer.close()
        finally:
            if has_turn:
                self._writing_turn.release()

    async def _final_turn(self) -> bool:
        """The writing turn, once no batch is open (units that committed into one wait for it)."""
        while True:
            try:
                await self._take_writing_turn()
            except TransientStorageError:
                return False
            if self._batch is None or self._writer is None:
                return True
            await self._leave_batch(self._writer)

    async def _take_writing_turn(self) -> None:
        if not self._writing_turn.locked():
            await self._writing_turn.acquire()
            return
        self._queued += 1
        try:
            async with asyncio.timeout(self._busy_timeout):  # no task per wait, unlike wait_for
                await self._writing_turn.acquire()
        except TimeoutError:
            raise TransientStorageError(
                "database is locked: another unit of work of this process is still writing"
            ) from None
        finally:
            self._queued -= 1

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
