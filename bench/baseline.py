"""The baseline: the statements one paid charge issues through the application, issued by hand.

Read off the adapters (``bench/storage.py --show-statements`` prints what the application really
sends): begin a writing transaction; read the billing rule, the wallet (locked), the usage snapshot
and the billing settings; insert the transfer and its two entries; write the wallet's new balance;
insert the usage row; commit. Here they run in a plain loop on the bare driver (sqlite3, asyncpg)
with the values computed inline: no use case, no repository, no domain objects.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from report import Stopwatch, Timing

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
# The usage snapshot, as each adapter writes it (one round trip, five counts).
_SQLITE_SNAPSHOT = """
SELECT
  :related <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service
                          AND related_object_id = :related) AS viewed,
  (SELECT count(DISTINCT nullif(related_object_id, '')) + count(CASE WHEN related_object_id = '' THEN 1 END)
     FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service) AS distinct_today,
  (SELECT count(*) FROM usage WHERE user_id = :user AND service_type = :service
                                AND free_reason IS NOT 'repeat_view') AS views_ever,
  (SELECT count(*) FROM usage WHERE user_id = :user AND transfer_id IS NOT NULL
                                AND created_at >= :hour_ago) AS debits_last_hour,
  (SELECT coalesce(sum(amount), 0) FROM usage
     WHERE user_id = :user AND local_date = :day AND currency = :currency) AS spent_today
"""
_PG_SNAPSHOT = """
SELECT
  $3 <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = $1 AND local_date = $4 AND service_type = $2
                          AND related_object_id = $3) AS viewed,
  (SELECT count(DISTINCT NULLIF(related_object_id, '')) + count(*) FILTER (WHERE related_object_id = '')
     FROM usage WHERE user_id = $1 AND local_date = $4 AND service_type = $2) AS distinct_today,
  (SELECT count(*) FROM usage WHERE user_id = $1 AND service_type = $2
                                AND free_reason IS DISTINCT FROM 'repeat_view') AS views_ever,
  (SELECT count(*) FROM usage WHERE user_id = $1 AND transfer_id IS NOT NULL
                                AND created_at >= $5) AS debits_last_hour,
  (SELECT coalesce(sum(amount), 0)::bigint FROM usage
     WHERE user_id = $1 AND local_date = $4 AND currency = $6) AS spent_today
"""
_PG_APPEND = """
WITH transfer AS (
    INSERT INTO transfers (id, user_id, debit_account, credit_account, amount, currency, kind,
                           description, reference, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
)
INSERT INTO entries (transfer_id, user_id, account, currency, amount, balance_after, created_at)
SELECT $1, e.user_id, e.account, $6, e.amount, e.balance_after, e.created_at
FROM unnest($11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::timestamptz[])
     WITH ORDINALITY AS e(user_id, account, amount, balance_after, created_at, position)
ORDER BY e.position
"""


def _text(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def sqlite_charge(db: sqlite3.Connection, user: str) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(ZONE).date()
    db.execute("BEGIN IMMEDIATE")
    rule = db.execute(_RULE.format(**_SQLITE), (SERVICE,)).fetchone()
    wallet = db.execute(_WALLET.format(**_SQLITE), (user, rule[2])).fetchone()
    hour_ago = _text(now - timedelta(hours=1))
    db.execute(_SQLITE_SNAPSHOT, {"user": user, "service": SERVICE, "related": "", "currency": rule[2],
                                  "day": day.isoformat(), "hour_ago": hour_ago}).fetchone()
    db.execute(_SETTINGS).fetchone()
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
                       "foreign_keys = ON"):
            db.execute(f"PRAGMA {pragma}").fetchall()
        for n in range(warmup):
            sqlite_charge(db, users[n % len(users)])
        watch = Stopwatch()
        for n in range(charges):
            sqlite_charge(db, users[n % len(users)])
        return watch.stop(charges)
    finally:
        db.close()


async def postgres_charge(db: asyncpg.Connection, user: str) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(ZONE).date()
    await db.execute("BEGIN ISOLATION LEVEL READ COMMITTED;")
    rule = await db.fetchrow(_RULE.format(**_PG).replace("service_names,", "service_names::text,"), SERVICE)
    wallet = await db.fetchrow(_WALLET.format(**_PG) + " FOR UPDATE", user, rule[2])
    await db.fetchrow(_PG_SNAPSHOT, user, SERVICE, "", day, now - timedelta(hours=1), rule[2])
    await db.fetchrow(_SETTINGS)
    price, balance = rule[1], wallet[2]
    if balance < price:
        raise RuntimeError("the benchmark's wallet ran dry")
    transfer_id, account = uuid.uuid4(), f"wallet:{user}:UZS"
    revenue = f"revenue:{SERVICE}:UZS"
    await db.execute(_PG_APPEND, transfer_id, user, account, revenue, price, "UZS", "charge",
                     json.loads(rule[3])["uz"], f"{SERVICE}:", now, [user, None], [account, revenue],
                     [-price, price], [balance - price, None], [now, now])
    await db.execute(_WALLET_SAVE.format(**_PG), user, "UZS", balance - price, wallet[3], wallet[4])
    await db.execute(_USAGE.format(**_PG), uuid.uuid4(), user, SERVICE, 1, "UZS", day, now, "", price,
                     transfer_id, None)
    await db.execute("COMMIT;")


async def postgres_rate(dsn: str, schema: str, users: list[str], charges: int, tasks: int,
                        warmup: int) -> Timing:
    """Charges from ``tasks`` connections (a multiple of them), each a plain loop over its share."""
    connections = [await asyncpg.connect(dsn, server_settings={"search_path": schema})
                   for _ in range(tasks)]

    async def loop(task: int, count: int) -> None:
        for n in range(count):
            await postgres_charge(connections[task], users[n % len(users)] if tasks == 1 else users[task])

    try:
        await asyncio.gather(*(loop(task, warmup // tasks) for task in range(tasks)))
        watch = Stopwatch()
        await asyncio.gather(*(loop(task, charges // tasks) for task in range(tasks)))
        return watch.stop(charges)
    finally:
        for connection in connections:
            await connection.close()
