"""One lane per user in this process (issue 17): concurrent charges of one wallet go one after
another here, instead of racing the storage's optimistic wallet check, where every loser pays for
a failed write and a retry. Only storages that say they gain from it get lanes (Postgres); on
SQLite one writer already orders the writes, and its group commit wants them together.

A lane is taken only outside any unit of work: a charge that joins an open unit (an idempotent
request's) holds a pooled connection, and waiting in a lane with it could starve the lane's
holder of one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Lanes:
    def __init__(self) -> None:
        self._lanes: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lane(self, key: str) -> AsyncIterator[None]:
        """Hold ``key``'s lane for the block; the lane is forgotten when nobody holds or waits."""
        lock, users = self._lanes.get(key, (asyncio.Lock(), 0))
        self._lanes[key] = lock, users + 1
        try:
            async with lock:
                yield
        finally:
            lock, users = self._lanes[key]
            if users == 1:
                del self._lanes[key]
            else:
                self._lanes[key] = lock, users - 1

    def __len__(self) -> int:
        return len(self._lanes)


class NoLanes:
    """For storages whose writes gain nothing from a lane: every block runs at once."""

    @asynccontextmanager
    async def lane(self, key: str) -> AsyncIterator[None]:
        yield
