"""One unit of work's transaction: every statement passes through here.

The connection is taken and the transaction begun on the first statement, so a unit that never
touches the database costs nothing. A writing unit begins with ``BEGIN IMMEDIATE``: it holds
SQLite's write lock from its first statement to its end, which is what makes ``lock`` hold a row
(every other writer, in this process or another, waits). A reading unit begins a deferred
transaction: all its queries see the same moment. ``commit`` and ``rollback`` end the transaction
and give the connection back; a later statement begins a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

from adapters.sqlite.connections import storage_errors
from adapters.sqlite.pool import ConnectionPool

Params = Sequence[Any] | dict[str, Any]


class Session:
    def __init__(self, pool: ConnectionPool, *, write: bool) -> None:
        self._pool = pool
        self.write = write
        self._connection: aiosqlite.Connection | None = None

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        connection = await self._begun()
        with storage_errors():
            return list(await connection.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return row[0] if row is not None else None

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self.fetch(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        connection = await self._begun()
        with storage_errors():
            await connection.executemany(sql, rows)

    async def commit(self) -> None:
        await self._finish("COMMIT")

    async def rollback(self) -> None:
        await self._finish("ROLLBACK")

    async def _begun(self) -> aiosqlite.Connection:
        if self._connection is not None:
            return self._connection
        connection = await self._pool.acquire(write=self.write)
        begun = False
        try:
            with storage_errors():
                await connection.execute_fetchall("BEGIN IMMEDIATE" if self.write else "BEGIN")
            begun = True
        finally:
            if not begun:
                await self._pool.release(connection, write=self.write, dirty=True)
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
            await self._pool.release(connection, write=self.write, dirty=not finished)
