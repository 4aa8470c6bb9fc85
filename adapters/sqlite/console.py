"""The console's sign-in links and its dashboard's aggregates, on SQLite (GROUP BY in SQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from adapters.sql.console_rows import COUNTED_TRANSFERS, LINK_COLUMNS, link_from, link_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text
from domain.console import ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.money import Currency

FORGET_AFTER = timedelta(days=1)

_DAILY = f"""
SELECT date(created_at, ?) AS day, kind, currency, count(*) AS n, sum(amount) AS total
FROM transfers WHERE kind IN ('topup', 'charge') AND created_at >= ? AND {COUNTED_TRANSFERS}
GROUP BY day, kind, currency ORDER BY day, kind, currency
"""
# The service is the revenue account's owner: ``revenue:<service>:<currency>``.
_REVENUE = """
SELECT substr(credit_account, 9, length(credit_account) - 8 - length(currency) - 1) AS service,
       currency, count(*) AS n, sum(amount) AS total
FROM transfers WHERE kind = 'charge' AND created_at >= ?
GROUP BY service, currency ORDER BY service, currency
"""
_OUTCOMES = """
SELECT gateway, status, count(*) AS n FROM payments WHERE created_at >= ?
GROUP BY gateway, status ORDER BY gateway, status
"""


class SqliteConsoleLinkRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, link: ConsoleLink) -> None:
        await self._db.execute("DELETE FROM console_links WHERE expires_at <= ?",
                               (time_text(link.created_at - FORGET_AFTER),))
        await self._db.execute(f"INSERT INTO console_links ({LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                               link_row(link, STORED))

    async def redeem(self, token_hash: str, now: datetime) -> ConsoleLink | None:
        rows = await self._db.fetch(
            f"UPDATE console_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            f"AND expires_at > ? RETURNING {LINK_COLUMNS}", (time_text(now), token_hash, time_text(now)))
        return link_from(rows[0], STORED) if rows else None


class SqliteDashboard:
    """The dashboard's reads (``ports.reports``), mixed into ``SqliteReports``."""

    _db: Session

    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        rows = await self._db.fetch(_DAILY, (f"{utc_offset_seconds:+d} seconds", time_text(since)))
        return [DailyTotal(date.fromisoformat(row["day"]), row["kind"], Currency(row["currency"]),
                           row["n"], row["total"]) for row in rows]

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        rows = await self._db.fetch(_REVENUE, (time_text(since),))
        return [ServiceRevenue(row["service"], Currency(row["currency"]), row["n"], row["total"])
                for row in rows]

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        found: dict[str, dict[str, int]] = {}
        for row in await self._db.fetch(_OUTCOMES, (time_text(since),)):
            found.setdefault(row["gateway"], {})[row["status"]] = row["n"]
        return [GatewayOutcomes(gateway, counts) for gateway, counts in found.items()]
