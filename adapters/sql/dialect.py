"""What a repository written once for both SQL storages (``adapters.sql``) needs of the one it runs
on: how it sends a statement (``Queries``) and what differs in the statement (``Dialect``).

The shared statements number their parameters as Postgres does (``$1``, ``$2``, ...; a number may
stand twice) and pass them one by one; SQLite's runner writes them ``?1``, ``?2``, ..., which SQLite
reads the same way (``adapters.sqlite.queries``). A shared statement has no ``$`` followed by a digit
anywhere else (no string literal holds one).
"""

from __future__ import annotations

from typing import Any, Protocol

from attrs import frozen

from adapters.sql.values import Row, Values


class Reads(Protocol):
    async def fetch(self, sql: str, *args: Any) -> list[Row]: ...

    async def fetchrow(self, sql: str, *args: Any) -> Row | None: ...

    async def fetchval(self, sql: str, *args: Any) -> Any: ...


class Queries(Reads, Protocol):
    async def execute(self, sql: str, *args: Any) -> object:
        """Run a statement whose answer nobody reads (a count of deleted rows is asked for with
        ``DELETE ... RETURNING``)."""
        ...


@frozen
class Dialect:
    values: Values
    # After a SELECT that keeps the rows it reads from other writers until the unit ends: Postgres
    # takes row locks; a SQLite writing unit holds the database's one write lock already.
    lock: str
    # After a SELECT of work that units in several processes share out: each takes rows no other
    # unit holds, and none waits for another.
    claim: str


def parameters(count: int) -> str:
    """``$1, $2, ..., $count``: the values of an INSERT of ``count`` columns."""
    return ", ".join(f"${n}" for n in range(1, count + 1))
