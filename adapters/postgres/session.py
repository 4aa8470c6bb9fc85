"""One unit of work's connection: every statement passes through here, so that driver errors reach
the application as the storage port's own errors.

The connection is taken from the pool and the transaction begun on the first statement; a unit that
never touches the database costs nothing. After ``commit`` or ``rollback`` the next statement
begins a new transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from ports.storage import Conflict, TransientStorageError

# A retry of the whole unit may succeed where these failed.
_TRANSIENT = (
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.PostgresConnectionError,  # class 08, ConnectionDoesNotExistError among them
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.LockNotAvailableError,
    OSError,  # a refused or dropped socket; TimeoutError is one too
    # The driver lost track of the exchange, as when the server ends a session mid-statement.
    asyncpg.InternalClientError,
)
# After these the transaction is over but the connection is sound: roll back and reuse it.
_CONNECTION_SOUND = (asyncpg.TransactionRollbackError, asyncpg.LockNotAvailableError)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Translate driver errors: a unique key → ``Conflict(name)``, a lost connection or a
    serialization failure → ``TransientStorageError``."""
    try:
        yield
    except asyncpg.UniqueViolationError as error:
        raise Conflict(error.constraint_name or "unique") from error
    except _TRANSIENT as error:
        raise TransientStorageError(str(error) or type(error).__name__) from error
    except asyncpg.InterfaceError as error:
        if "closed" in str(error) or "released" in str(error):
            raise TransientStorageError(str(error)) from error
        raise


Connection = asyncpg.Connection | PoolConnectionProxy


class Session:
    """A lazily opened connection + transaction of one unit of work."""

    def __init__(self, pool: asyncpg.Pool, *, write: bool) -> None:
        self._pool = pool
        self.write = write
        self._connection: Connection | None = None
        self._transaction: asyncpg.transaction.Transaction | None = None
        self._broken = False

    async def _begun(self) -> Connection:
        if self._connection is None:
            self._connection = await self._pool.acquire()
        if self._transaction is None:
            # Read units see one snapshot across their queries (verify compares two of them).
            transaction = self._connection.transaction(
                isolation="read_committed" if self.write else "repeatable_read",
                readonly=not self.write,
            )
            await transaction.start()
            self._transaction = transaction
        return self._connection

    async def execute(self, sql: str, *args: Any) -> str:
        return await self._run("execute", sql, args)

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._run("fetch", sql, args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._run("fetchrow", sql, args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._run("fetchval", sql, args)

    async def _run(self, method: str, sql: str, args: Sequence[Any]) -> Any:
        with self._guarded():
            return await getattr(await self._begun(), method)(sql, *args)

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            with storage_errors():
                yield
        except TransientStorageError as error:
            self._broken = self._broken or not isinstance(error.__cause__, _CONNECTION_SOUND)
            raise

    async def commit(self) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            with self._guarded():
                await transaction.commit()

    async def rollback(self) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            with self._guarded():
                await transaction.rollback()

    async def close(self) -> None:
        """Roll back what was not committed and give the connection back; a connection that failed
        under us is closed instead, so that the pool opens a sound one for the next unit."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._broken:
            self._transaction = None
            with contextlib.suppress(asyncpg.InterfaceError):  # already gone back if it closed itself
                connection.terminate()  # gives its place in the pool back
            return
        try:
            with contextlib.suppress(TransientStorageError, asyncpg.InterfaceError):
                await self.rollback()
        finally:
            self._transaction = None
            with contextlib.suppress(Exception):
                await self._pool.release(connection)
