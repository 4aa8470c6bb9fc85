"""One unit of work's transaction: every statement passes through here.

The connection is taken and the transaction begun on the first statement, so a unit that never
touches the database costs nothing. A writing unit holds SQLite's write lock (``BEGIN IMMEDIATE``)
from its first statement to its end, which is what makes ``lock`` hold a row (every other writer, in
this process or another, waits), in a transaction it may share with the units of this process just
before and after it (group commit, ``adapters.sqlite.batch``). The writes nobody reads back (ledger,
wallet saves, usage, payment logs, audit: ``hold``) wait until the unit commits or reads next; any
other write, and those flushed before a read, go in the unit's savepoint (``will_write``). Its
statements run on the loop's thread, only the batch's ``COMMIT`` in a thread of its own
(``Writer``). A reading unit begins a deferred transaction on a connection of its own: all its
queries see the same moment. ``commit`` and ``rollback`` end the unit and give the connection back;
a later statement begins a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import aiosqlite

from adapters.sqlite.connections import storage_errors
from adapters.sqlite.pool import ConnectionPool
from adapters.sqlite.writer import Writer

Params = Sequence[Any] | dict[str, Any]


def session_for(pool: ConnectionPool, *, write: bool) -> Session:
    return WritingSession(pool) if write else ReadingSession(pool)


@lru_cache(maxsize=256)
def _reads_only(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class Session:
    """What the repositories use; ``fetch``, ``executemany``, ``hold`` and the ends are the kinds'
    own."""

    write: bool

    async def hold(self, sql: str, params: Params | Iterable[Params], *, many: bool = False) -> None:
        """A write whose outcome nobody reads: run with the unit's next read, or as it commits."""
        raise NotImplementedError

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        """End the unit: what was not committed is rolled back."""
        await self.rollback()

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return row[0] if row is not None else None

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self.fetch(sql, params)


class WritingSession(Session):
    write = True

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool
        self._writer: Writer | None = None
        self._held: list[tuple[str, Any, bool]] = []

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        writer = self._writer or await self._begun()
        self._write_held(writer)  # the statement sees them
        if not _reads_only(sql):
            self._pool.will_write(writer)
        return writer.fetch(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        writer = self._writer or await self._begun()
        self._write_held(writer)
        self._pool.will_write(writer)
        writer.executemany(sql, rows)

    async def hold(self, sql: str, params: Params | Iterable[Params], *, many: bool = False) -> None:
        self._held.append((sql, params, many))

    async def commit(self) -> None:
        writer = self._writer or (await self._begun() if self._held else None)
        self._writer = None
        if writer is None:
            return
        if self._held:
            try:
                self._write_held(writer, at_commit=True)
            except BaseException:
                await self._pool.rollback_unit(writer)
                raise
        await self._pool.commit_unit(writer)

    async def rollback(self) -> None:
        self._held = []
        writer, self._writer = self._writer, None
        if writer is not None:
            await self._pool.rollback_unit(writer)

    def _write_held(self, writer: Writer, *, at_commit: bool = False) -> None:
        held, self._held = self._held, []
        if not held:
            return
        self._pool.will_write(writer, at_commit=at_commit)
        for sql, params, many in held:
            if many:
                writer.executemany(sql, params)
            else:
                writer.fetch(sql, params)

    async def _begun(self) -> Writer:
        self._writer = writer = await self._pool.begin_unit()
        return writer


class ReadingSession(Session):
    write = False

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool
        self._connection: aiosqlite.Connection | None = None

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        connection = self._connection or await self._begun()
        with storage_errors():
            return list(await connection.execute_fetchall(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        connection = self._connection or await self._begun()
        with storage_errors():
            await connection.executemany(sql, rows)

    async def hold(self, sql: str, params: Params | Iterable[Params], *, many: bool = False) -> None:
        """Run at once (in a reading unit, to be refused there as any write is)."""
        if many:
            await self.executemany(sql, params)  # type: ignore[arg-type]
        else:
            await self.fetch(sql, params)  # type: ignore[arg-type]

    async def commit(self) -> None:
        await self._finish("COMMIT")

    async def rollback(self) -> None:
        await self._finish("ROLLBACK")

    async def _begun(self) -> aiosqlite.Connection:
        connection = await self._pool.acquire_reader()
        begun = False
        try:
            with storage_errors():
                await connection.execute_fetchall("BEGIN")
            begun = True
        finally:
            if not begun:
                await self._pool.release_reader(connection, dirty=True)
        self._connection = connection
        return connection

    async def _finish(self, statement: str) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        finished = False
        try:
            with storage_errors():
                await connection.execute_fetchall(statement)
            finished = True
        finally:
            await self._pool.release_reader(connection, dirty=not finished)
