"""Console dashboard benchmark (issue 16): what the admin console's dashboard costs over a big
ledger, next to a plain ``SELECT count(*) FROM transfers`` of the same table in the same run.

    python bench/console_dashboard.py [--charges 100000] [--repeat 7] [--postgres-url URL]

Each backend gets a fresh database (a SQLite file in a temporary directory; a Postgres database
``bench_<hex>``, dropped afterwards), migrated and seeded through the storage's own repositories in
big units of work: ``--charges`` charges (transfer + usage, as the charge use case records them)
spread over 35 days, several users and every default service, plus top-up payments through
several gateways in several states (a completed one credits the wallet and the commission). Postgres
is then vacuumed and analysed, as autovacuum would have done for a table this size.

Timed, alternating, ``--repeat`` times after one warm-up pass: ``console.dashboard()`` (the use
case the dashboard page calls: one reading unit with the three reports below; it does no gateway
probe, which the page asks ``gateways.statuses`` for apart); each of its three reports alone, in a
reading unit of its own; the count, through the same storage's reading unit
(``reports.transfer_count``, exactly that statement); and ``admin.verify_ledger``, the other storage
read the page makes (shown apart, not in the ratio). The table shows medians in milliseconds; the
ratio is dashboard / count. Then the plan of each query (SQLite: EXPLAIN QUERY PLAN; Postgres:
EXPLAIN): its first line, and the line that reads the table when that is another. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from attrs import frozen

from adapters.postgres.reports import REPORT_SQL as POSTGRES_REPORTS
from adapters.sql import console as sql_console
from adapters.sqlite.queries import sqlite_text
from adapters.sqlite.reports import REPORT_SQL as SQLITE_REPORTS
from adapters.sqlite.values import time_text
from application.config import ServiceConfig
from application.console import DASHBOARD_DAYS, Dashboard
from application.hamyon import Hamyon
from domain.billing import default_rules
from domain.ledger import Account, Transfer, TransferKind, VerifyReport, Wallet, post
from domain.money import Currency, Money
from domain.payments import Payment, PaymentStatus
from domain.usage import DOCTOR_VIEW, Usage
from entrypoints.bootstrap import bootstrap, open_storage, storage_cipher
from ports.storage import Storage, UnitOfWork

UZS = Currency.UZS
SPAN = timedelta(days=35)  # more than the dashboard's 30 days: its index has something to skip
UNIT = 10_000  # charges and payments per seeding unit of work
GATEWAYS = ("click", "payme", "uzcard", "humo", "sandbox")
OUTCOMES = {PaymentStatus.COMPLETED: 80, PaymentStatus.FAILED: 8, PaymentStatus.CANCELLED: 6,
            PaymentStatus.EXPIRED: 4, PaymentStatus.PENDING: 2}
SERVICE_WEIGHTS = {DOCTOR_VIEW: 40, "chat_message": 30, "consultation": 10,
                   "ai_diagnosis": 12, "prescription": 8}
COUNT = "SELECT count(*) FROM transfers"


# --- the seed ----------------------------------------------------------------------------------

@frozen
class Seeded:
    charges: int
    payments: int
    transfers: int


@frozen
class Moment:
    """One row to seed, in time order: a charge (``price`` set) or a top-up payment."""

    at: datetime
    user: str
    service: str = ""
    price: int = 0
    payment: Payment | None = None


def plan_seed(args: argparse.Namespace, now: datetime) -> list[Moment]:
    """Charges over ``SPAN``; per user, one completed top-up before them all covering them, then
    one payment per 40 charges at random moments, gateways and outcomes."""
    rng = random.Random(16)
    users = [f"bench-console-{n}" for n in range(args.users)]
    prices = {rule.service_type: rule.price.minor for rule in default_rules()}
    services = rng.choices(list(SERVICE_WEIGHTS), list(SERVICE_WEIGHTS.values()), k=args.charges)
    moments = [Moment(now - SPAN * rng.random(), rng.choice(users), service, prices[service])
               for service in services]
    owed: dict[str, int] = {}
    for moment in moments:
        owed[moment.user] = owed.get(moment.user, 0) + moment.price
    first = now - SPAN - timedelta(hours=1)
    moments += [Moment(first, user, payment=_payment(user, first, "click", PaymentStatus.COMPLETED, total))
                for user, total in owed.items()]
    for _ in range(args.charges // 40):
        at, user = now - SPAN * rng.random(), rng.choice(users)
        status = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
        amount = rng.choice((50_000, 100_000, 200_000, 500_000)) * 100
        moments.append(Moment(at, user, payment=_payment(user, at, rng.choice(GATEWAYS), status, amount)))
    return sorted(moments, key=lambda moment: moment.at)


def _payment(user: str, at: datetime, gateway: str, status: PaymentStatus, amount: int) -> Payment:
    done = at + timedelta(minutes=2) if status is PaymentStatus.COMPLETED else None
    return Payment(uuid.uuid4(), f"PAY-{int(at.timestamp())}-{secrets.token_hex(4).upper()}", user,
                   gateway, Money(amount, UZS), Money(amount // 100, UZS), at, at + timedelta(minutes=30),
                   status, completed_at=done, updated_at=done or at)


async def seed(storage: Storage, moments: list[Moment], config: ServiceConfig) -> Seeded:
    transfers = 0
    for start in range(0, len(moments), UNIT):
        async with storage.unit_of_work() as uow:
            wallets: dict[str, Wallet] = {}
            for moment in moments[start:start + UNIT]:
                if moment.user not in wallets:
                    wallets[moment.user] = await uow.wallets.lock(moment.user, UZS, moment.at)
                transfers += await _record(uow, moment, wallets[moment.user], config)
            await uow.commit()
    charges = sum(1 for moment in moments if moment.payment is None)
    return Seeded(charges, len(moments) - charges, transfers)


async def _record(uow: UnitOfWork, moment: Moment, wallet: Wallet, config: ServiceConfig) -> int:
    """What the charge use case or a completed top-up writes (``application.billing``,
    ``application.settlement``); returns the transfers recorded."""
    paid = moment.payment
    if paid is None:
        moved = Transfer(uuid.uuid4(), wallet.account, Account.revenue(moment.service, UZS),
                         Money(moment.price, UZS), TransferKind.CHARGE, moment.service, f"{moment.service}:",
                         moment.at)
        await uow.ledger.record(post(moved, {wallet.account: wallet}))
        await uow.usage.add(Usage(uuid.uuid4(), moment.user, moment.service, 1, UZS,
                                  moment.at.astimezone(config.zone).date(), moment.at, "", moment.price,
                                  moved.id))
        return 1
    await uow.payments.add(paid)
    if paid.status is not PaymentStatus.COMPLETED:
        return 0
    clearing = Account.clearing(paid.gateway, UZS)
    for credit, amount in ((wallet.account, paid.amount), (Account.commission(UZS), paid.commission)):
        moved = Transfer(uuid.uuid4(), clearing, credit, amount, TransferKind.TOPUP,
                         f"Hamyon to'ldirish - {paid.gateway.capitalize()}", str(paid.id), moment.at)
        await uow.ledger.record(post(moved, {wallet.account: wallet}))
    return 2


# --- the timings -------------------------------------------------------------------------------

def dashboard_window(config: ServiceConfig) -> tuple[datetime, int]:
    """``since`` and the UTC offset the dashboard use case computes (``application.console``)."""
    local_now = datetime.now(UTC).astimezone(config.zone)
    offset = int((local_now.utcoffset() or timedelta()).total_seconds())
    first_day = local_now.date() - timedelta(days=DASHBOARD_DAYS - 1)
    return datetime.combine(first_day, datetime.min.time(), config.zone), offset


def calls(hamyon: Hamyon, storage: Storage) -> dict[str, Callable[[], Awaitable[Any]]]:
    since, offset = dashboard_window(hamyon.config)

    def reading(report: Callable[[Any], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def call() -> Any:
            async with storage.unit_of_work(write=False) as uow:
                return await report(uow.reports)
        return call

    return {"dashboard": hamyon.console.dashboard,
            "count": reading(lambda reports: reports.transfer_count()),
            "daily": reading(lambda reports: reports.daily_totals(since, offset)),
            "revenue": reading(lambda reports: reports.service_revenue(since)),
            "outcomes": reading(lambda reports: reports.gateway_outcomes(since)),
            "ledger check": hamyon.admin.verify_ledger}


async def medians(timed: dict[str, Callable[[], Awaitable[Any]]], repeat: int) -> dict[str, float]:
    """Milliseconds, the median of ``repeat`` rounds; every call in each round, in turn."""
    for call in timed.values():  # warm-up: caches, prepared statements, pages in memory
        await call()
    spent: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(repeat):
        for name, call in timed.items():
            start = time.perf_counter()
            await call()
            spent[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in spent.items()}


def checked(figures: Dashboard, moments: list[Moment], ledger: VerifyReport, since: datetime) -> str:
    """The dashboard counted every seeded charge of its window, and the ledger verifies."""
    shown = sum(total.count for total in figures.daily if total.kind == "charge")
    seeded = sum(1 for moment in moments if moment.payment is None and moment.at >= since)
    notes = [f"{shown:,} charges shown {'=' if shown == seeded else '≠'} {seeded:,} seeded in the window"]
    notes.append("ledger ok" if ledger.ok else "LEDGER VIOLATIONS")
    return "; ".join(notes)


# --- the plans ---------------------------------------------------------------------------------

def plan_lines(lines: list[str]) -> str:
    """The first line; and the line that reads a table (an index, if one is read), when another."""
    reads = [line for line in lines if any(word in line for word in ("SCAN", "SEARCH", " Scan "))]
    chosen = ([line for line in reads if reads_an_index(line)] or reads or lines)[0]
    first = lines[0].strip()
    return first if chosen is lines[0] else f"{first}  …  {chosen.strip()}"


def reads_an_index(plan: str) -> bool:
    return "INDEX" in plan or "Index" in plan


def sqlite_plans(path: str, since: datetime, offset: int) -> dict[str, str]:
    days = SQLITE_REPORTS.local_days
    queries = {"daily": (days.sql, (days.offset(offset), time_text(since))),
               "revenue": (sqlite_text(sql_console._REVENUE), (time_text(since),)),
               "outcomes": (sqlite_text(sql_console._OUTCOMES), (time_text(since),)), "count": (COUNT, ())}
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {name: plan_lines([row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", values)])
                for name, (sql, values) in queries.items()}


async def postgres_plans(url: str, since: datetime, offset: int) -> dict[str, str]:
    """Each query's plan for these values; for one with parameters, also the plan its prepared
    statement settles on after five runs (Postgres may then switch to a generic plan: what the
    storage's cached statements run); and, when neither reads an index, the plan with sequential
    scans off (the index usable, but dearer in the planner's costs)."""
    days = POSTGRES_REPORTS.local_days
    queries = {"daily": (days.sql, (days.offset(offset), since)),
               "revenue": (sql_console._REVENUE, (since,)), "outcomes": (sql_console._OUTCOMES, (since,)),
               "count": (COUNT, ())}
    connection = await asyncpg.connect(url)
    try:
        plans = {}
        for name, (sql, values) in queries.items():
            found = [plan_lines([row[0] for row in await connection.fetch(f"EXPLAIN {sql}", *values)])]
            plans[name] = found[0]
            if values:
                plans[f"{name}, prepared"] = await _settled_plan(connection, name, sql, values)
                found.append(plans[f"{name}, prepared"])
            if not any(reads_an_index(plan) for plan in found):
                async with connection.transaction():
                    await connection.execute("SET LOCAL enable_seqscan = off")
                    forced = await connection.fetch(f"EXPLAIN {sql}", *values)
                plans[f"{name}, seqscan off"] = plan_lines([row[0] for row in forced])
        return plans
    finally:
        await connection.close()


async def _settled_plan(connection: asyncpg.Connection, name: str, sql: str, values: tuple[Any, ...]) -> str:
    arguments = ", ".join(f"'{value.isoformat()}'" if isinstance(value, datetime) else repr(value)
                          for value in values)
    await connection.execute(f"PREPARE {name} AS {sql}")
    for _ in range(5):  # plan_cache_mode auto: five custom plans, then perhaps the generic one
        await connection.execute(f"EXECUTE {name}({arguments})")
    return plan_lines([row[0] for row in await connection.fetch(f"EXPLAIN EXECUTE {name}({arguments})")])


# --- the databases -----------------------------------------------------------------------------

@contextlib.contextmanager
def fresh_sqlite() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="hamyon-bench-console-")
    try:
        yield os.path.join(directory, "hamyon.db")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.asynccontextmanager
async def fresh_postgres(url: str) -> AsyncIterator[str]:
    """A new database ``bench_<hex>`` on the server of ``url``, dropped on exit."""
    name = f"bench_{secrets.token_hex(6)}"
    server = await asyncpg.connect(url)
    try:
        await server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlsplit(url)._replace(path=f"/{name}").geturl()
        finally:
            await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await server.close()


async def vacuumed(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


@frozen
class Result:
    label: str
    seeded: Seeded
    seed_seconds: float
    times: dict[str, float]
    plans: dict[str, str]
    checks: str


async def measure(label: str, url: str, args: argparse.Namespace) -> Result:
    config = ServiceConfig()
    moments = plan_seed(args, datetime.now(UTC))
    storage = await open_storage(url, migrate=True, cipher=storage_cipher())
    hamyon = await bootstrap(url, storage=storage, config=config)  # closes the storage
    try:
        start = time.perf_counter()
        seeded = await seed(storage, moments, config)
        if label == "Postgres":
            await vacuumed(url)
        seed_seconds = time.perf_counter() - start
        times = await medians(calls(hamyon, storage), args.repeat)
        since, offset = dashboard_window(config)
        checks = checked(await hamyon.console.dashboard(), moments, await hamyon.admin.verify_ledger(), since)
    finally:
        await hamyon.close()
    plans = sqlite_plans(url.removeprefix("sqlite:///"), since, offset) if label == "SQLite" \
        else await postgres_plans(url, since, offset)
    return Result(label, seeded, seed_seconds, times, plans, checks)


def print_results(results: list[Result], args: argparse.Namespace) -> None:
    print(f"\nadmin console dashboard over {args.charges:,} charges ({args.users} users, 35 days), "
          f"median of {args.repeat} after a warm-up, ms; load average "
          f"{', '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'backend':<9} {'transfers':>9} {'payments':>8} {'dashboard':>9} {'count':>7} {'ratio':>6} "
          f"{'daily':>7} {'revenue':>7} {'outcomes':>8} {'ledger check':>12}  seeded in; checks")
    for result in results:
        t = result.times
        print(f"{result.label:<9} {result.seeded.transfers:>9,} {result.seeded.payments:>8,} "
              f"{t['dashboard']:>9.1f} {t['count']:>7.1f} {t['dashboard'] / t['count']:>6.1f} "
              f"{t['daily']:>7.1f} {t['revenue']:>7.1f} {t['outcomes']:>8.1f} {t['ledger check']:>12.1f}"
              f"  {result.seed_seconds:.0f} s; {result.checks}")
    print("(dashboard: console.dashboard(), one reading unit with the daily, revenue and outcomes "
          "reports, no gateway probe; count: SELECT count(*) FROM transfers through the same "
          "storage's reading unit; ratio: dashboard / count; daily, revenue, outcomes: each report "
          "in a reading unit of its own; ledger check: admin.verify_ledger, which the page also runs)")
    print("\nplans (SQLite: EXPLAIN QUERY PLAN; Postgres: EXPLAIN): first line  …  the table's read; "
          "on Postgres also the plan a prepared statement settles on after five runs, and, when "
          "neither reads an index, the plan with enable_seqscan off")
    for result in results:
        for name, plan in result.plans.items():
            print(f"  {result.label:<9} {name:<22} {plan}")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--charges", type=int, default=100_000, help="charges seeded (default 100000)")
    parser.add_argument("--users", type=int, default=200, help="users they are spread over")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds, median shown (default 7)")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "HAMYON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a Postgres server where a fresh database is made ('' skips Postgres)")
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false", help="skip SQLite")
    return parser.parse_args()


async def main() -> None:
    args = arguments()
    results = []
    if args.sqlite:
        with fresh_sqlite() as path:
            results.append(await measure("SQLite", f"sqlite:///{path}", args))
    if args.postgres_url:
        async with fresh_postgres(args.postgres_url) as url:
            results.append(await measure("Postgres", url, args))
    print_results(results, args)


if __name__ == "__main__":
    asyncio.run(main())
