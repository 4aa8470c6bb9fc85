"""The console's sign-in links and its dashboard's aggregates (GROUP BY in SQL), the same on both SQL
storages but for the day a transfer falls on in the platform's time zone (``LocalDays``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from attrs import frozen

from adapters.sql.console_rows import LINK_COLUMNS, link_from, link_row
from adapters.sql.dialect import Dialect, Queries, Reads, parameters
from domain.console import ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.money import Currency

FORGET_AFTER = timedelta(days=1)

_ADD = f"INSERT INTO console_links ({LINK_COLUMNS}) VALUES ({parameters(5)})"
_REDEEM = f"UPDATE console_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL " \
          f"AND expires_at > $1 RETURNING {LINK_COLUMNS}"
# The service is the revenue account's owner: ``revenue:<service>:<currency>``.
_REVENUE = """
SELECT substr(credit_account, 9, length(credit_account) - 8 - length(currency) - 1) AS service,
       currency, count(*) AS n, CAST(sum(amount) AS BIGINT) AS total
FROM transfers WHERE kind = 'charge' AND created_at >= $1
GROUP BY service, currency ORDER BY service, currency
"""
_OUTCOMES = """
SELECT gateway, status, count(*) AS n FROM payments WHERE created_at >= $1
GROUP BY gateway, status ORDER BY gateway, status
"""


_SIGN_OUT = "INSERT INTO console_sign_outs (session_hash, expires_at) VALUES ($1, $2) " \
            "ON CONFLICT (session_hash) DO NOTHING"


class SqlConsoleLinkRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values

    async def add(self, link: ConsoleLink) -> None:
        await self._db.execute("DELETE FROM console_links WHERE expires_at <= $1",
                               self._v.time(link.created_at - FORGET_AFTER))
        await self._db.execute(_ADD, *link_row(link, self._v))

    async def redeem(self, token_hash: str, now: datetime) -> ConsoleLink | None:
        row = await self._db.fetchrow(_REDEEM, self._v.time(now), token_hash)
        return link_from(row, self._v) if row else None

    async def sign_out(self, session_hash: str, expires_at: datetime, now: datetime) -> None:
        await self._db.execute("DELETE FROM console_sign_outs WHERE expires_at <= $1", self._v.time(now))
        await self._db.execute(_SIGN_OUT, session_hash, self._v.time(expires_at))

    async def signed_out(self, session_hash: str) -> bool:
        row = await self._db.fetchrow("SELECT 1 AS found FROM console_sign_outs WHERE session_hash = $1",
                                      session_hash)
        return row is not None


@frozen
class LocalDays:
    """A backend's count of the counted transfers (``COUNTED_TRANSFERS``) by the day they fall on at
    a UTC offset: ``sql`` over (the offset as ``offset`` writes it, since), ``day`` read back."""

    sql: str
    offset: Callable[[int], Any]
    day: Callable[[Any], date]


class Dashboard:
    """The dashboard's reads (``ports.reports``)."""

    def __init__(self, db: Reads, dialect: Dialect, days: LocalDays) -> None:
        self._db = db
        self._v = dialect.values
        self._days = days

    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        days = self._days
        rows = await self._db.fetch(days.sql, days.offset(utc_offset_seconds), self._v.time(since))
        return [DailyTotal(days.day(row["day"]), row["kind"], Currency(row["currency"]), row["n"],
                           row["total"]) for row in rows]

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        rows = await self._db.fetch(_REVENUE, self._v.time(since))
        return [ServiceRevenue(row["service"], Currency(row["currency"]), row["n"], row["total"])
                for row in rows]

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        found: dict[str, dict[str, int]] = {}
        for row in await self._db.fetch(_OUTCOMES, self._v.time(since)):
            found.setdefault(row["gateway"], {})[row["status"]] = row["n"]
        return [GatewayOutcomes(gateway, counts) for gateway, counts in found.items()]
