"""Opening one SQLite connection the way Hamyon needs it, and translating the driver's errors.

Every connection runs in autocommit mode (transactions are begun explicitly by the session), with
the WAL journal (readers never wait for the writer), ``synchronous=FULL`` unless NORMAL or EXTRA is
asked for, a busy timeout (other processes writing make us wait, not fail at once) and foreign keys.
Switching a new file to WAL may be refused at once while another connection opens it (SQLite
answers busy there without waiting): that pragma is tried again, after short pauses, until the busy
timeout. A path made by ``read_only`` opens an existing file without writing to it (no journal
switch: a read-only connection reads the file in the mode it is in).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import aiosqlite

from ports.storage import Conflict, TransientStorageError

SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")  # OFF would lose committed money on a power cut
BUSY_TIMEOUT_SECONDS = 10.0
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

# SQLite names a broken unique key by its columns; the port names it by what it means.
_UNIQUE_KEYS = {
    "attempts.gateway, attempts.external_id": "attempt_external_id",
    "idempotency.user_id, idempotency.key, idempotency.method, idempotency.path": "idempotency_key",
    "payments.reference_number": "payment_reference",
}
_UNIQUE_FAILED = "UNIQUE constraint failed: "


def checked_synchronous(synchronous: str) -> str:
    """The ``synchronous`` pragma value, upper-cased; anything but FULL, NORMAL or EXTRA is refused."""
    mode = synchronous.strip().upper() if isinstance(synchronous, str) else ""
    if mode not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}, not {synchronous!r}")
    return mode


def checked_path(path: str) -> str:
    # Every connection of the pool must see the same database: an in-memory one is per connection.
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        raise ValueError("SQLite storage needs a database file path, not an in-memory database")
    return path


_READ_ONLY = "?mode=ro"


def read_only(path: str) -> str:
    """A path that ``connect`` and ``connect_now`` open read-only: a ``file:`` URI with
    ``mode=ro``. SQLite then refuses every write, and a missing file instead of creating it."""
    return Path(path).resolve().as_uri() + _READ_ONLY


def _is_read_only(path: str) -> bool:
    """Made by ``read_only`` (any other path is a file name, even one that looks like a URI)."""
    return path.startswith("file:") and path.endswith(_READ_ONLY)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """A unique key → ``Conflict(name)``; a locked or busy database → ``TransientStorageError``."""
    try:
        yield
    except sqlite3.Error as error:
        translated = storage_error(error)
        if translated is None:
            raise
        raise translated from error


def storage_error(error: sqlite3.Error) -> Exception | None:
    """What ``storage_errors`` turns ``error`` into (None: raised as it is). For the statements on
    every request's path, which catch the driver's errors themselves rather than enter a context
    manager per statement."""
    if isinstance(error, sqlite3.IntegrityError):
        message = str(error)
        if message.startswith(_UNIQUE_FAILED):
            columns = message.removeprefix(_UNIQUE_FAILED)
            return Conflict(_UNIQUE_KEYS.get(columns, columns))
    elif isinstance(error, sqlite3.OperationalError) and is_busy(error):
        return TransientStorageError(str(error))
    return None


def is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(error) or "busy" in str(error)


async def connect(
    path: str, synchronous: str = "FULL", busy_timeout: float = BUSY_TIMEOUT_SECONDS
) -> aiosqlite.Connection:
    """A new connection to ``path`` (the file is created if missing) with Hamyon's pragmas, each of
    its statements run in its own thread (aiosqlite)."""
    mode = checked_synchronous(synchronous)
    with storage_errors():
        connection = await _opened(aiosqlite.connect(
            checked_path(path), isolation_level=None, timeout=busy_timeout, uri=_is_read_only(path)
        ))
        try:
            connection.row_factory = sqlite3.Row
            deadline = time.monotonic() + busy_timeout
            for pragma in _pragmas(mode, busy_timeout, read_only=_is_read_only(path)):
                while True:
                    try:
                        _check(pragma, await connection.execute_fetchall(pragma))
                        break
                    except sqlite3.OperationalError as error:
                        _raise_unless_busy(error, deadline)
                    await asyncio.sleep(_RETRY_PAUSE)
        except BaseException:
            await connection.close()
            raise
    return connection


async def _opened(pending: aiosqlite.Connection) -> aiosqlite.Connection:
    """``pending``, open. When opening fails, aiosqlite stops the connection's thread, which then
    calls into the event loop once more: wait for the thread, so that it never calls into a loop
    the caller has closed meanwhile (an "Event loop is closed" traceback after the error)."""
    try:
        return await pending
    except BaseException:
        thread = getattr(pending, "_thread", None)
        if thread is not None:
            await asyncio.to_thread(thread.join, BUSY_TIMEOUT_SECONDS)
        raise


def connect_now(path: str, synchronous: str = "FULL", busy_timeout: float = BUSY_TIMEOUT_SECONDS
                ) -> sqlite3.Connection:
    """The same as ``connect``, but a plain blocking connection, usable from any thread (its user
    makes sure that one thread at a time touches it)."""
    mode = checked_synchronous(synchronous)
    with storage_errors():
        connection = sqlite3.connect(checked_path(path), isolation_level=None, timeout=busy_timeout,
                                     check_same_thread=False, uri=_is_read_only(path))
        try:
            connection.row_factory = sqlite3.Row
            deadline = time.monotonic() + busy_timeout
            for pragma in _pragmas(mode, busy_timeout, writer=True, read_only=_is_read_only(path)):
                while True:
                    try:
                        _check(pragma, connection.execute(pragma).fetchall())
                        break
                    except sqlite3.OperationalError as error:
                        _raise_unless_busy(error, deadline)
                    time.sleep(_RETRY_PAUSE)
        except BaseException:
            connection.close()
            raise
    return connection


_RETRY_PAUSE = 0.005


def _raise_unless_busy(error: sqlite3.OperationalError, deadline: float) -> None:
    """A pragma's error, raised unless it is busy and the deadline is still ahead (then: try again)."""
    if not is_busy(error) or time.monotonic() >= deadline:
        raise error


# Pages the WAL may hold before a commit copies them into the database file (SQLite's default is
# 1,000): a page written by many commits in between (a wallet, the tail of an index) is copied once
# per checkpoint, so checkpoints ten times rarer copy far fewer pages in all. The WAL file then
# grows to about 40 MB (4 KiB pages) before it is reused.
WAL_AUTOCHECKPOINT_PAGES = 10_000


# The writing connection's page cache (SQLite's default is 2 MB): random ids spread each commit's
# index inserts over the whole file, and once it outgrows the cache every insert reads pages back
# (in-process charges: from 285 µs of CPU on a fresh file to 445 µs past 15,000 charges; flat at
# about 300 µs with this cache). Memory is taken only as pages are read.
WRITER_CACHE_KIB = 65_536


def _pragmas(synchronous: str, busy_timeout: float, *, writer: bool = False,
             read_only: bool = False) -> list[str]:
    journal = [] if read_only else ["PRAGMA journal_mode = WAL"]
    return [f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}", *journal,
            f"PRAGMA synchronous = {synchronous}", "PRAGMA foreign_keys = ON",
            f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}",
            *([f"PRAGMA cache_size = -{WRITER_CACHE_KIB}"] if writer else [])]


def _check(pragma: str, rows: Iterable[sqlite3.Row]) -> None:
    if pragma.endswith("WAL"):
        journal_mode = next(iter(rows))[0]
        if str(journal_mode).lower() != "wal":
            raise sqlite3.OperationalError(
                f"cannot use the WAL journal here (journal_mode is {journal_mode})")
