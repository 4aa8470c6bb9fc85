"""The writing connection: a plain ``sqlite3`` connection driven from the event loop's own thread.

Writers take turns anyway (one write lock per database file), so a writing unit's statements run
right on the loop, each in microseconds, without a hop to a worker thread and back per statement;
only what waits on something outside the process runs elsewhere:

- ``BEGIN IMMEDIATE`` is tried without waiting (busy timeout 0 for that one statement); while
  another process holds the write lock it is tried again after short sleeps, until the busy
  timeout, so the loop goes on serving meanwhile. Past the timeout: ``TransientStorageError``.
- ``COMMIT`` (the disk flush under ``synchronous=FULL``) and closing run in the connection's own
  thread, so the loop stays free while the disk works.

Several units may share one transaction (``adapters.sqlite.batch``), each in a savepoint of its own.
The user (the pool's writing turn) makes sure one unit at a time uses the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from adapters.sqlite.connections import connect_now, is_busy, storage_error, storage_errors
from ports.storage import TransientStorageError

Params = Any  # a sequence of values or a dict of named ones, as sqlite3 takes them
T = TypeVar("T")

# Sleeps between attempts at the write lock held by another process (SQLite's own busy handler
# waits alike: short at first, then longer).
_PAUSES = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05)
_LONGEST_PAUSE = 0.1


class Writer:
    def __init__(self, connection: sqlite3.Connection, thread: ThreadPoolExecutor,
                 busy_timeout: float) -> None:
        self._connection, self._thread, self._busy_timeout = connection, thread, busy_timeout
        self._waiting = f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}"

    @classmethod
    async def open(cls, path: str, synchronous: str, busy_timeout: float) -> Writer:
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hamyon-sqlite-writer")
        try:
            connection = await asyncio.get_running_loop().run_in_executor(
                thread, connect_now, path, synchronous, busy_timeout)
        except BaseException:
            thread.shutdown(wait=False)
            raise
        return cls(connection, thread, busy_timeout)

    async def begin(self) -> None:
        """``BEGIN IMMEDIATE``: the write lock, waited for without blocking the loop."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._busy_timeout
        pauses = itertools.chain(_PAUSES, itertools.repeat(_LONGEST_PAUSE))
        while True:
            try:
                return self._begin_now()
            except sqlite3.OperationalError as error:
                left = deadline - loop.time()
                if not is_busy(error):
                    raise
                if left <= 0:
                    raise TransientStorageError(str(error)) from error
            await asyncio.sleep(min(next(pauses), left))

    def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        self._check_in_transaction()
        try:
            return self._connection.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            translated = storage_error(error)
            if translated is None:
                raise
            raise translated from error

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self._check_in_transaction()
        try:
            self._connection.executemany(sql, rows)
        except sqlite3.Error as error:
            translated = storage_error(error)
            if translated is None:
                raise
            raise translated from error

    @property
    def in_transaction(self) -> bool:
        """False once an error made SQLite roll the whole transaction back on its own."""
        return self._connection.in_transaction

    def savepoint(self) -> None:
        """Open the unit's savepoint: ``rolled_back_to_savepoint`` drops this unit's writes only.
        Outside a transaction, SAVEPOINT would begin one of its own, which its RELEASE commits
        apart from the batch: refused instead."""
        self._check_in_transaction()
        with storage_errors():
            self._connection.execute("SAVEPOINT unit")

    def release_savepoint(self) -> None:
        """Keep the unit's writes in the transaction (committed with it)."""
        with storage_errors():
            self._connection.execute("RELEASE unit")

    def rolled_back_to_savepoint(self) -> bool:
        """Drop the unit's writes, keep the rest of the transaction; False if that could not be done
        (the transaction is gone or the connection broken): nothing of the transaction may be kept."""
        try:
            self._connection.execute("ROLLBACK TO unit")
            self._connection.execute("RELEASE unit")
        except Exception:
            return False
        return self._connection.in_transaction

    async def commit(self, then: Callable[[], None]) -> None:
        """``COMMIT`` in the connection's thread; ``then`` runs on the loop as soon as it succeeded,
        before the caller resumes (and even if the caller was cancelled meanwhile)."""
        loop = asyncio.get_running_loop()

        def commit_now() -> None:
            with storage_errors():
                self._connection.execute("COMMIT")
            loop.call_soon_threadsafe(then)

        await self._in_thread(commit_now)

    def rolled_back(self) -> bool:
        """Roll back whatever is open (in WAL mode that only drops pages from memory); True if the
        connection is still usable."""
        try:
            self._connection.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            return "no transaction is active" in str(error)
        except Exception:
            return False
        return True

    async def close(self) -> None:
        """Close the connection (the last one on the file checkpoints it) and end its thread."""
        try:
            with contextlib.suppress(Exception):
                await self._in_thread(self._connection.close)
        finally:
            self._thread.shutdown(wait=False)

    def _check_in_transaction(self) -> None:
        # Some errors (a full disk, no memory) make SQLite roll back the whole transaction; a later
        # statement would then run on its own and be kept, outside the batch and its outcome.
        if not self._connection.in_transaction:
            raise TransientStorageError("the transaction was rolled back by an earlier error")

    def _begin_now(self) -> None:
        self._connection.execute("PRAGMA busy_timeout = 0")
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        finally:
            self._connection.execute(self._waiting)

    async def _in_thread(self, work: Callable[[], T]) -> T:
        done = asyncio.get_running_loop().run_in_executor(self._thread, work)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # The work goes on in its thread whatever happens here: nobody may touch the connection
            # (roll back, reuse, close) before it ends, so the caller hears of the cancel only then.
            while not done.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait([done])
            raise
