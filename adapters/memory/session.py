"""One unit of work's transaction over the memory store, and what every repository shares."""

from __future__ import annotations

import asyncio

from adapters.memory.state import Store, Tables
from ports.storage import StorageError


class Session:
    """One unit's transaction: begun on the first repository call, ended by commit or rollback;
    a later call begins a new one."""

    def __init__(self, store: Store, *, write: bool) -> None:
        self._store = store
        self.write = write
        self._tables: Tables | None = None
        self._beginning = asyncio.Lock()

    async def tables(self) -> Tables:
        if self._tables is None:
            # Two calls of one unit awaited together must not both wait for the writer lock.
            async with self._beginning:
                if self._tables is None:
                    await self._begin()
        assert self._tables is not None
        return self._tables

    async def _begin(self) -> None:
        if self._store.closed:
            raise StorageError("the memory storage is closed")
        if self.write:
            await self._store.writer.acquire()
        self._tables = Tables(self._store, write=self.write)

    async def commit(self) -> None:
        self._end(publish=True)

    async def rollback(self) -> None:
        self._end(publish=False)

    async def close(self) -> None:
        self._end(publish=False)

    def _end(self, *, publish: bool) -> None:
        tables, self._tables = self._tables, None
        if tables is None:
            return
        try:
            if publish and self.write:
                tables.publish()
            else:
                tables.discard()
        finally:
            if self.write:
                self._store.writer.release()


class Repository:
    """A repository reads and writes through its unit's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def _tables(self) -> Tables:
        return await self._session.tables()
