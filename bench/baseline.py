"""The baseline: the statements one paid charge issues through the application, issued by hand.

Read off the adapters (``bench/storage.py`` prints what the application really sends, and what
this file sends, for one charge). The charged service has no free quota and the settings set no
limit, so the decision asks no usage count (``domain.billing.usage_query``). On SQLite: begin a
writing transaction; read the wallet; write the posting (the transfer, its two entries in one
``executemany``, the wallet's new balance) and the usage row; commit. On Postgres the charge is a
unit the application retries, so the session is optimistic (``adapters.postgres.session``): read
the wallet and its version, then ONE statement that raises the
version where unchanged and only then writes the rest; no BEGIN, no COMMIT. The billing rule and
settings are read only when the application reads them: it keeps them for ``catalog_ttl_seconds``
(``application.catalog``), so ``Catalog`` here keeps them as long. They run in a plain loop on the
bare driver (sqlite3, asyncpg) with the values computed inline: no use case, no repository, no
domain objects.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import asyncpg
from report import Stopwatch, Timing

from adapters.postgres.pending import ENTRIES, TRANSFERS, USAGE, held_writes_statement
from adapters.sqlite.connections import WAL_AUTOCHECKPOINT_PAGES, WRITER_CACHE_KIB
from application.config import ServiceConfig

ZONE = ZoneInfo("Asia/Tashkent")
SERVICE = "consultation"

_RULE = ("SELECT service_type, price, currency, service_names, discount_percentage, "
         "min_quantity_for_discount, is_active FROM billing_rules WHERE service_type = {p1}")
_WALLET = "SELECT user_id, currency, balance, is_blocked, created_at FROM wallets " \
          "WHERE user_id = {p1} AND currency = {p2}"
_SETTINGS = ("SELECT currency, enable_billing, maintenance_mode, free_views_per_day, "
             "free_views_for_new_users, new_user_days, min_wallet_topup, max_wallet_balance, "
             "max_debits_per_hour, daily_spending_limit FROM billing_settings")
_WALLET_SAVE = ("INSERT INTO wallets (user_id, currency, balance, is_blocked, created_at) "
                "VALUES ({p1}, {p2}, {p3}, {p4}, {p5}) ON CONFLICT (user_id, currency) "
                "DO UPDATE SET balance = excluded.balance, is_blocked = excluded.is_blocked")
_USAGE = ("INSERT INTO usage (id, user_id, service_type, quantity, currency, local_date, created_at, "
          "related_object_id, amount, transfer_id, free_reason) "
          "VALUES ({p1}, {p2}, {p3}, {p4}, {p5}, {p6}, {p7}, {p8}, {p9}, {p10}, {p11})")
_SQLITE = {f"p{n}": "?" for n in range(1, 12)}
_PG = {f"p{n}": f"${n}" for n in range(1, 12)}
# Postgres's checked writes are the adapter's own statement text (the wallet travels in its check).
_PG_HELD = held_writes_statement(((TRANSFERS, 1), (ENTRIES, 2), (USAGE, 1)), checked=1)
Rule = tuple  # the rule's row: service_type, price, currency, service_names, ...


class Catalog:
    """The rule's row and the settings' row, read again once ``ttl`` seconds have passed: the
    application's ``application.catalog`` in a few lines (one per run, shared by its connections)."""

    def __init__(self, ttl: float = ServiceConfig().catalog_ttl_seconds) -> None:
        self._ttl = ttl
        self._rule: Rule | None = None
        self._read_at = 0.0

    def rule(self, read: Callable[[], Rule]) -> Rule:
        now = time.monotonic()
        if self._rule is None or self._ttl <= 0 or now - self._read_at >= self._ttl:
            self._rule, self._read_at = read(), now
        return self._rule

    async def rule_async(self, read: Callable[[], Awaitable[Rule]]) -> Rule:
        now = time.monotonic()
        if self._rule is None or self._ttl <= 0 or now - self._read_at >= self._ttl:
            self._rule, self._read_at = await read(), now
        return self._rule


def _text(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _sqlite_catalog(db: sqlite3.Connection) -> Rule:
    rule = db.execute(_RULE.format(**_SQLITE), (SERVICE,)).fetchone()
    db.execute(_SETTINGS).fetchone()
    return tuple(rule)


def sqlite_charge(db: sqlite3.Connection, user: str, catalog: Catalog) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(ZONE).date()
    db.execute("BEGIN IMMEDIATE")
    rule = catalog.rule(lambda: _sqlite_catalog(db))
    wallet = db.execute(_WALLET.format(**_SQLITE), (user, rule[2])).fetchone()
    price, balance = rule[1], wallet[2]
    if balance < price:
        raise RuntimeError("the benchmark's wallet ran dry")
    transfer_id, at = str(uuid.uuid4()), _text(now)
    name = json.loads(rule[3])["uz"]
    db.execute("INSERT INTO transfers (id, user_id, debit_account, credit_account, amount, currency, kind, "
               "description, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (transfer_id, user, f"wallet:{user}:UZS", f"revenue:{SERVICE}:UZS", price, "UZS", "charge",
                name, f"{SERVICE}:", at))
    db.executemany("INSERT INTO entries (transfer_id, user_id, account, currency, amount, balance_after, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(transfer_id, user, f"wallet:{user}:UZS", "UZS", -price, balance - price, at),
                    (transfer_id, None, f"revenue:{SERVICE}:UZS", "UZS", price, None, at)])
    db.execute(_WALLET_SAVE.format(**_SQLITE), (user, "UZS", balance - price, wallet[3], wallet[4]))
    db.execute(_USAGE.format(**_SQLITE), (str(uuid.uuid4()), user, SERVICE, 1, "UZS", day.isoformat(), at,
                                          "", price, transfer_id, None))
    db.execute("COMMIT")


def sqlite_rate(path: str, synchronous: str, users: list[str], charges: int, warmup: int) -> Timing:
    """Charges per second on one sqlite3 connection with Hamyon's pragmas."""
    db = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        for pragma in ("busy_timeout = 10000", "journal_mode = WAL", f"synchronous = {synchronous}",
                       "foreign_keys = ON", f"wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}",
                       f"cache_size = -{WRITER_CACHE_KIB}"):
            db.execute(f"PRAGMA {pragma}").fetchall()
        catalog = Catalog()
        for n in range(warmup):
            sqlite_charge(db, users[n % len(users)], catalog)
        watch = Stopwatch()
        for n in range(charges):
            sqlite_charge(db, users[n % len(users)], catalog)
        return watch.stop(charges)
    finally:
        db.close()


async def _postgres_catalog(db: asyncpg.Connection) -> Rule:
    rule = await db.fetchrow(_RULE.format(**_PG).replace("service_names,", "service_names::text,"), SERVICE)
    await db.fetchrow(_SETTINGS)
    return tuple(rule)


async def postgres_charge(db: asyncpg.Connection, user: str, catalog: Catalog) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(ZONE).date()
    rule = await catalog.rule_async(lambda: _postgres_catalog(db))
    wallet = await db.fetchrow(_WALLET.format(**_PG).replace(" FROM", ", version FROM"), user, rule[2])
    price, balance = rule[1], wallet[2]
    if balance < price:
        raise RuntimeError("the benchmark's wallet ran dry")
    transfer_id, account = uuid.uuid4(), f"wallet:{user}:UZS"
    revenue = f"revenue:{SERVICE}:UZS"
    unchanged = await db.fetchval(
        _PG_HELD,
        user, "UZS", wallet[5], balance - price, wallet[3],  # the wallet, checked
        transfer_id, user, account, revenue, price, "UZS", "charge", json.loads(rule[3])["uz"],
        f"{SERVICE}:", now,  # the transfer
        transfer_id, user, account, "UZS", -price, balance - price, now,  # its two entries
        transfer_id, None, revenue, "UZS", price, None, now,
        uuid.uuid4(), user, SERVICE, 1, "UZS", day, now, "", price, transfer_id, None,  # the usage row
    )
    if not unchanged:
        raise RuntimeError("two of the baseline's loops charged one wallet at once")


async def postgres_rate(dsn: str, schema: str, users: list[str], charges: int, tasks: int,
                        warmup: int) -> Timing:
    """Charges from ``tasks`` connections (a multiple of them), each a plain loop over its share."""
    connections = [await asyncpg.connect(dsn, server_settings={"search_path": schema})
                   for _ in range(tasks)]

    catalog = Catalog()

    async def loop(task: int, count: int) -> None:
        for n in range(count):
            await postgres_charge(connections[task], users[n % len(users)] if tasks == 1 else users[task],
                                  catalog)

    try:
        await asyncio.gather(*(loop(task, warmup // tasks) for task in range(tasks)))
        watch = Stopwatch()
        await asyncio.gather(*(loop(task, charges // tasks) for task in range(tasks)))
        return watch.stop(charges)
    finally:
        for connection in connections:
            await connection.close()


class Recorder:
    """A connection that notes each statement it is handed (the counting pass only)."""

    def __init__(self, db: object, log: list[str]) -> None:
        self._db, self._log = db, log

    def __getattr__(self, name: str) -> Callable[..., object]:
        method = getattr(self._db, name)

        def call(sql: str, *args: object) -> object:
            self._log.append(" ".join(sql.split())[:60])
            return method(sql, *args)
        return call


def sqlite_statements(path: str, user: str) -> list[str]:
    """The statements of this file's second charge (the first one read the catalogue)."""
    db, log = sqlite3.connect(path, isolation_level=None, timeout=10), []
    try:
        catalog = Catalog()
        sqlite_charge(db, user, catalog)
        sqlite_charge(Recorder(db, log), user, catalog)  # type: ignore[arg-type]
    finally:
        db.close()
    return log


async def postgres_statements(dsn: str, schema: str, user: str) -> list[str]:
    db, log = await asyncpg.connect(dsn, server_settings={"search_path": schema}), []
    try:
        catalog = Catalog()
        await postgres_charge(db, user, catalog)
        await postgres_charge(Recorder(db, log), user, catalog)  # type: ignore[arg-type]
    finally:
        await db.close()
    return log
