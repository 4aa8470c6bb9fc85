"""One unit of work's transaction: every statement passes through here.

The connection is taken and the transaction begun on the first statement, so a unit that never
touches the database costs nothing. A writing unit holds SQLite's write lock (``BEGIN IMMEDIATE``)
from its first statement to its end, which is what makes ``lock`` hold a row (every other writer, in
this process or another, waits); it runs in a savepoint of a transaction it may share with the units
of this process just before and after it (group commit, ``adapters.sqlite.batch``). Its statements
run on the loop's thread, only the batch's ``COMMIT`` in a thread of its own (``Writer``). A reading
unit begins a deferred transaction on a connection of its own: all its queries see the same moment.
``commit`` and ``rollback`` end the unit and give the connection back; a later statement begins a
new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

from adapters.sqlite.connections import storage_errors
from adapters.sqlite.pool import ConnectionPool
from adapters.sqlite.writer import Writer

Params = Sequence[Any] | dict[str, Any]


def session_for(pool: ConnectionPool, *, write: bool) -> Session:
    return WritingSession(pool) if write else ReadingSession(pool)


class Session:
    """What the repositories use; ``fetch``, ``executemany`` and the ends are the kinds' own."""

    write: bool

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        raise NotImplementedError

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

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return (self._writer or await self._begun()).fetch(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        (self._writer or await self._begun()).executemany(sql, rows)

    async def commit(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await self._pool.commit_unit(writer)

    async def rollback(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await self._pool.rollback_unit(writer)

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
