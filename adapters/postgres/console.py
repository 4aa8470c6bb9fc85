"""The console's sign-in links and its dashboard's aggregates, on Postgres (GROUP BY in SQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.postgres.session import Session
from adapters.sql.console_rows import COUNTED_TRANSFERS, LINK_COLUMNS, link_from, link_row
from adapters.sql.values import NATIVE
from domain.console import ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.money import Currency

FORGET_AFTER = timedelta(days=1)

_DAILY = f"""
SELECT ((created_at AT TIME ZONE 'UTC') + make_interval(secs => $1))::date AS day, kind, currency,
       count(*) AS n, sum(amount)::bigint AS total
FROM transfers WHERE kind IN ('topup', 'charge') AND created_at >= $2 AND {COUNTED_TRANSFERS}
GROUP BY day, kind, currency ORDER BY day, kind, currency
"""
# The service is the revenue account's owner: ``revenue:<service>:<currency>``.
_REVENUE = """
SELECT substr(credit_account, 9, length(credit_account) - 8 - length(currency) - 1) AS service,
       currency, count(*) AS n, sum(amount)::bigint AS total
FROM transfers WHERE kind = 'charge' AND created_at >= $1
GROUP BY service, currency ORDER BY service, currency
"""
_OUTCOMES = """
SELECT gateway, status, count(*) AS n FROM payments WHERE created_at >= $1
GROUP BY gateway, status ORDER BY gateway, status
"""


class PgConsoleLinkRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, link: ConsoleLink) -> None:
        await self._db.execute("DELETE FROM console_links WHERE expires_at <= $1",
                               link.created_at - FORGET_AFTER)
        await self._db.execute(f"INSERT INTO console_links ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5)",
                               *link_row(link, NATIVE))

    async def redeem(self, token_hash: str, now: datetime) -> ConsoleLink | None:
        row = await self._db.fetchrow(
            f"UPDATE console_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL "
            f"AND expires_at > $1 RETURNING {LINK_COLUMNS}", now, token_hash)
        return link_from(row, NATIVE) if row else None


class PgDashboard:
    """The dashboard's reads (``ports.reports``), mixed into ``PgReports``."""

    _db: Session

    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        rows = await self._db.fetch(_DAILY, float(utc_offset_seconds), since)
        return [DailyTotal(row["day"], row["kind"], Currency(row["currency"]), row["n"], row["total"])
                for row in rows]

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        rows = await self._db.fetch(_REVENUE, since)
        return [ServiceRevenue(row["service"], Currency(row["currency"]), row["n"], row["total"])
                for row in rows]

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        found: dict[str, dict[str, int]] = {}
        for row in await self._db.fetch(_OUTCOMES, since):
            found.setdefault(row["gateway"], {})[row["status"]] = row["n"]
        return [GatewayOutcomes(gateway, counts) for gateway, counts in found.items()]
