"""The storage's connections: at most ``max_size`` asyncpg connections, each lent to one unit at a
time.

A unit borrows a connection for its first statement and gives it back when it ends, so lending
is on every request's path; asyncpg's own pool spends more on a loan (a proxy object per loan, a
task to shield each release) than a charge spends on a statement. This one is a list of idle
connections and a queue of waiting units:

- ``acquire`` takes an idle connection (skipping any the server has closed), else opens a new
  one while fewer than ``max_size`` are open, else waits for a ``release`` or a ``discard``;
- ``release`` hands the connection to the first waiting unit, or keeps it idle;
- ``discard`` closes a connection that failed under its unit; a waiting unit then opens its own;
- ``close`` refuses new loans, waits until every lent connection is back, and closes them all.

Units leave no session state behind (their locks end with their transactions), so a connection
is lent again as it comes back, without a reset query.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Mapping

import asyncpg

# What a waiting unit is handed: a connection, or None for the place of one that was discarded.
_Loan = asyncio.Future[asyncpg.Connection | None]


class PoolClosed(asyncpg.InterfaceError):
    """The storage is closing: no more connections are lent."""


class ConnectionPool:
    def __init__(self, dsn: str, *, max_size: int,
                 server_settings: Mapping[str, str] | None = None) -> None:
        self._dsn, self._max_size = dsn, max_size
        self._settings = dict(server_settings or {})
        self._idle: list[asyncpg.Connection] = []
        self._open = 0  # connections open or being opened, lent or idle
        self._lent = 0
        self._waiting: deque[_Loan] = deque()
        self._closing = False
        self._all_back = asyncio.Event()

    @classmethod
    async def open(cls, dsn: str, *, min_size: int = 1, max_size: int = 10,
                   server_settings: Mapping[str, str] | None = None) -> ConnectionPool:
        """A pool with ``min_size`` connections open already (a bad DSN fails here)."""
        pool = cls(dsn, max_size=max_size, server_settings=server_settings)
        for connection in [await pool.acquire() for _ in range(min(min_size, max_size))]:
            pool.release(connection)
        return pool

    async def acquire(self) -> asyncpg.Connection:
        if self._closing:
            raise PoolClosed("the storage is closing")
        while self._idle:
            connection = self._idle.pop()
            if not connection.is_closed():
                self._lent += 1
                return connection
            self._open -= 1  # the server ended it while it was idle
        if self._open < self._max_size:
            self._open += 1
            return await self._connected()
        loan: _Loan = asyncio.get_running_loop().create_future()
        self._waiting.append(loan)
        try:
            connection = await loan
        except asyncio.CancelledError:
            if loan.done() and not loan.cancelled():  # handed over just as the unit was cancelled
                given = loan.result()
                if given is None:
                    self._open -= 1
                    self._place_freed()
                else:
                    self.release(given)
            raise
        if connection is None:  # the place of a discarded connection: open one in it
            return await self._connected()
        return connection

    def release(self, connection: asyncpg.Connection) -> None:
        """Take back a connection whose unit ended cleanly (no transaction left open)."""
        self._lent -= 1
        if connection.is_closed():
            self._open -= 1
            self._place_freed()
        elif not self._handed_over(connection):
            self._idle.append(connection)
        self._check_all_back()

    def discard(self, connection: asyncpg.Connection) -> None:
        """Close a connection that failed under its unit (it is not lent again)."""
        with contextlib.suppress(Exception):
            connection.terminate()
        self._lent -= 1
        self._open -= 1
        self._place_freed()
        self._check_all_back()

    async def close(self) -> None:
        """Lend nothing more; wait for every lent connection, then close them all."""
        self._closing = True
        for loan in self._waiting:
            if not loan.done():
                loan.set_exception(PoolClosed("the storage is closing"))
        self._waiting.clear()
        self._check_all_back()
        await self._all_back.wait()
        idle, self._idle = self._idle, []
        for connection in idle:
            with contextlib.suppress(Exception):
                await connection.close(timeout=5)
        self._open = 0

    async def _connected(self) -> asyncpg.Connection:
        """A new connection in a place already counted in ``_open``."""
        try:
            connection = await asyncpg.connect(self._dsn, server_settings=self._settings or None)
        except BaseException:
            self._open -= 1
            self._place_freed()
            raise
        self._lent += 1
        return connection

    def _handed_over(self, connection: asyncpg.Connection) -> bool:
        """Lend ``connection`` to the first waiting unit, if any (lent from now, though the unit
        wakes later)."""
        while self._waiting:
            loan = self._waiting.popleft()
            if not loan.done():
                self._lent += 1
                loan.set_result(connection)
                return True
        return False

    def _place_freed(self) -> None:
        """A place under ``max_size`` came free: the first waiting unit opens a connection in it."""
        while self._waiting:
            loan = self._waiting.popleft()
            if not loan.done():
                self._open += 1
                loan.set_result(None)
                return

    def _check_all_back(self) -> None:
        if self._closing and self._lent == 0:
            self._all_back.set()
