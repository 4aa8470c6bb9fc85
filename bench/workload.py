"""The application side of the benchmark: paid charges through ``Hamyon.charge``, on a database
prepared the same way for the application and for the baseline (migrated, seeded, wallets funded).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import aiosqlite
import asyncpg
from report import Stopwatch, Timing

from adapters.sqlite.writer import Writer
from application.billing import ChargeRequest
from application.hamyon import Hamyon
from entrypoints.bootstrap import bootstrap

SERVICE, PRICE = "consultation", 50_000  # UZS, no discount: every charge is paid


def users(count: int) -> list[str]:
    return [f"bench-{n}" for n in range(count)]


@contextlib.asynccontextmanager
async def facade(url: str, options: dict[str, Any]) -> AsyncIterator[Hamyon]:
    hamyon = await bootstrap(url, storage_options=options)
    try:
        yield hamyon
    finally:
        await hamyon.close()


async def prepare(url: str, options: dict[str, Any], people: list[str], charges: int) -> None:
    """Migrate and seed the database, and fund every wallet for ``charges`` charges."""
    async with facade(url, {**options, "migrate": True}) as hamyon:
        for user in people:
            await hamyon.wallets.adjust(user, Decimal(PRICE * charges), "UZS", "benchmark funding",
                                       actor="bench")


def user_for(people: list[str], tasks: int, task: int, n: int) -> str:
    """Sequential runs go round the users; concurrent ones give each task its own user (so tasks
    never wait on one another's wallet lock)."""
    return people[n % len(people)] if tasks == 1 else people[task % len(people)]


async def charge_loop(hamyon: Hamyon, people: list[str], tasks: int, task: int, count: int) -> None:
    for n in range(count):
        await hamyon.billing.charge(ChargeRequest(user_for(people, tasks, task, n), SERVICE))


async def app_rate(url: str, options: dict[str, Any], people: list[str], charges: int, tasks: int,
                   warmup: int) -> Timing:
    """Charges through the application layer, ``tasks`` concurrent tasks (a multiple of them)."""
    async with facade(url, options) as hamyon:
        await asyncio.gather(*(charge_loop(hamyon, people, tasks, t, warmup // tasks) for t in range(tasks)))
        watch = Stopwatch()
        await asyncio.gather(*(charge_loop(hamyon, people, tasks, t, charges // tasks) for t in range(tasks)))
        return watch.stop(charges)


async def ledger_ok(url: str, options: dict[str, Any], expected_transfers: int) -> bool:
    async with facade(url, options) as hamyon:
        report = await hamyon.admin.verify_ledger()
    return report.ok and report.transfers == expected_transfers


# SQLite's writing units run their statements on the loop through the adapter's Writer (plain
# sqlite3); reading units go through aiosqlite.
_DRIVERS = ((aiosqlite.Connection, ("execute_fetchall", "executemany")),
            (Writer, ("fetch", "executemany")),
            (asyncpg.connection.Connection, ("execute", "fetch", "fetchrow", "fetchval", "executemany")))


@contextlib.contextmanager
def traced_statements(log: list[str]) -> Iterator[None]:
    """Every statement the drivers are handed, first 60 characters, while inside (a counting pass
    only: the wrapping costs time)."""
    saved = [(cls, name, getattr(cls, name)) for cls, names in _DRIVERS for name in names]

    def wrapped(original: Any) -> Any:
        if not inspect.iscoroutinefunction(original):
            def call_now(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
                log.append(" ".join(str(sql).split())[:60])
                return original(self, sql, *args, **kwargs)
            return call_now

        async def call(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
            log.append(" ".join(str(sql).split())[:60])
            return await original(self, sql, *args, **kwargs)
        return call

    for cls, name, original in saved:
        setattr(cls, name, wrapped(original))
    # The Writer's own BEGIN IMMEDIATE and COMMIT (the Postgres ones pass through ``execute``).
    begin, commit = Writer.begin, Writer.commit

    async def traced_begin(self: Writer) -> None:
        log.append("BEGIN IMMEDIATE")
        await begin(self)

    async def traced_commit(self: Writer, then: Any) -> None:
        log.append("COMMIT")
        await commit(self, then)

    Writer.begin, Writer.commit = traced_begin, traced_commit  # type: ignore[method-assign]
    saved += [(Writer, "begin", begin), (Writer, "commit", commit)]
    try:
        yield
    finally:
        for cls, name, original in saved:
            setattr(cls, name, original)


async def statements_of_one_charge(url: str, options: dict[str, Any], people: list[str]) -> list[str]:
    log: list[str] = []
    async with facade(url, options) as hamyon:
        await hamyon.billing.charge(ChargeRequest(people[0], SERVICE))
        with traced_statements(log):
            await hamyon.billing.charge(ChargeRequest(people[0], SERVICE))
    return log
