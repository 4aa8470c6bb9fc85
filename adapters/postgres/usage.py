"""Service usage, free or paid, and the counts the charge decision and the reports read.

Each count is its own subquery so that it reads only the slice of the user's rows an index points
at, and all of them travel in one round trip.
"""

from __future__ import annotations

from datetime import date, datetime

from adapters.postgres.pending import USAGE
from adapters.postgres.session import Session
from domain.billing import DOCTOR_VIEW, FreeReason, Usage, UsageSnapshot
from domain.money import Currency
from domain.records import DailyUsage, ServiceSummary

_REPEAT = FreeReason.REPEAT_VIEW.value
# $1 user, $2 service type, $3 related object, $4 local date, $5 hour ago, $6 currency
# The charge decision's usage counts in one statement (the storage benchmark issues it too).
SNAPSHOT_SQL = f"""
SELECT
  $3 <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = $1 AND local_date = $4 AND service_type = $2
                          AND related_object_id = $3) AS viewed,
  (SELECT count(DISTINCT NULLIF(related_object_id, '')) + count(*) FILTER (WHERE related_object_id = '')
     FROM usage WHERE user_id = $1 AND local_date = $4 AND service_type = $2) AS distinct_today,
  (SELECT count(*) FROM usage WHERE user_id = $1 AND service_type = $2
                                AND free_reason IS DISTINCT FROM '{_REPEAT}') AS views_ever,
  (SELECT count(*) FROM usage WHERE user_id = $1 AND transfer_id IS NOT NULL
                                AND created_at >= $5) AS debits_last_hour,
  (SELECT coalesce(sum(amount), 0)::bigint FROM usage
     WHERE user_id = $1 AND local_date = $4 AND currency = $6) AS spent_today
"""
_DOCTOR_VIEWS = f"service_type = '{DOCTOR_VIEW}' AND free_reason IS DISTINCT FROM '{_REPEAT}'"
_DAILY = f"""
SELECT count(*) FILTER (WHERE {_DOCTOR_VIEWS} AND transfer_id IS NULL) AS free_views,
       count(*) FILTER (WHERE service_type = '{DOCTOR_VIEW}' AND transfer_id IS NOT NULL) AS paid_views,
       coalesce(sum(amount), 0)::bigint AS spent
FROM usage WHERE user_id = $1 AND local_date = $2
"""
_SUMMARY = f"""
SELECT count(*) AS views, coalesce(sum(amount), 0)::bigint AS charges,
       count(*) FILTER (WHERE transfer_id IS NULL) AS free_views
FROM usage WHERE user_id = $1 AND created_at >= $2 AND {_DOCTOR_VIEWS}
"""


class PgUsageRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, usage: Usage) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold(USAGE, [(
            usage.id, usage.user_id, usage.service_type, usage.quantity, usage.currency.value,
            usage.local_date, usage.created_at, usage.related_object_id, usage.amount, usage.transfer_id,
            usage.free_reason.value if usage.free_reason else None,
        )])

    async def snapshot(
        self, user_id: str, service_type: str, related_object_id: str, *,
        currency: Currency, local_date: date, hour_ago: datetime,
    ) -> UsageSnapshot:
        row = await self._db.fetchrow(
            SNAPSHOT_SQL, user_id, service_type, related_object_id, local_date, hour_ago, currency.value
        )
        assert row is not None
        return UsageSnapshot(row["viewed"], row["distinct_today"], row["views_ever"],
                             row["debits_last_hour"], row["spent_today"])

    async def daily(self, user_id: str, local_date: date) -> DailyUsage:
        row = await self._db.fetchrow(_DAILY, user_id, local_date)
        assert row is not None
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def summary(self, user_id: str, since: datetime) -> ServiceSummary:
        row = await self._db.fetchrow(_SUMMARY, user_id, since)
        assert row is not None
        return ServiceSummary(row["views"], row["charges"], row["free_views"])
