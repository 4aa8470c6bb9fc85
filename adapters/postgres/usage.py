"""Service usage, free or paid, and the counts the charge decision and the reports read.

Each count is its own subquery so that it reads only the slice of the user's rows an index points
at, and all of them travel in one round trip.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from adapters.postgres.pending import USAGE
from adapters.postgres.session import Session
from domain.billing import DOCTOR_VIEW, EVERY_COUNT, FreeReason, Usage, UsageCount, UsageSnapshot
from domain.money import Currency
from domain.records import DailyUsage, ServiceSummary

_REPEAT = FreeReason.REPEAT_VIEW.value
# Each count of the charge decision as a subquery over named values; a snapshot asks for the ones
# it needs in one statement (the storage benchmark issues the whole of it, ``SNAPSHOT_SQL``).
_COUNTS = {
    UsageCount.VIEWED_TODAY: """{related} <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = {user} AND local_date = {day} AND service_type = {service}
                          AND related_object_id = {related})""",
    UsageCount.DISTINCT_TODAY: """(
    SELECT count(DISTINCT NULLIF(related_object_id, '')) + count(*) FILTER (WHERE related_object_id = '')
    FROM usage WHERE user_id = {user} AND local_date = {day} AND service_type = {service})""",
    UsageCount.VIEWS_EVER: f"""(
    SELECT count(*) FROM usage WHERE user_id = {{user}} AND service_type = {{service}}
                                 AND free_reason IS DISTINCT FROM '{_REPEAT}')""",
    UsageCount.DEBITS_LAST_HOUR: """(
    SELECT count(*) FROM usage WHERE user_id = {user} AND transfer_id IS NOT NULL
                                 AND created_at >= {hour_ago})""",
    UsageCount.SPENT_TODAY: """(
    SELECT coalesce(sum(amount), 0)::bigint FROM usage WHERE user_id = {user} AND local_date = {day}
                                                         AND currency = {currency})""",
}
_VALUES = ("user", "service", "related", "day", "hour_ago", "currency")


@lru_cache(maxsize=32)
def snapshot_sql(counts: frozenset[UsageCount]) -> tuple[str, tuple[str, ...]]:
    """One statement answering ``counts``, each in a column named by its snapshot field, and the
    names of its parameters in order ($1, $2, ...: only the values these counts use)."""
    columns = [f"{_COUNTS[count]} AS {count.value}" for count in UsageCount if count in counts]
    used = tuple(name for name in _VALUES if any(f"{{{name}}}" in _COUNTS[count] for count in counts))
    numbers = {name: f"${n}" for n, name in enumerate(used, 1)}
    return "SELECT " + ", ".join(column.format(**numbers) for column in columns), used


SNAPSHOT_SQL, _ = snapshot_sql(EVERY_COUNT)
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
        counts: frozenset[UsageCount] = EVERY_COUNT,
    ) -> UsageSnapshot:
        if not counts:
            return UsageSnapshot()
        sql, used = snapshot_sql(counts)
        values = {"user": user_id, "service": service_type, "related": related_object_id,
                  "day": local_date, "hour_ago": hour_ago, "currency": currency.value}
        row = await self._db.run_alone("fetchrow", sql, *(values[name] for name in used))
        assert row is not None
        return UsageSnapshot.of({count: row[count.value] for count in counts})

    async def daily(self, user_id: str, local_date: date) -> DailyUsage:
        row = await self._db.run_alone("fetchrow", _DAILY, user_id, local_date)
        assert row is not None
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def summary(self, user_id: str, since: datetime) -> ServiceSummary:
        row = await self._db.run_alone("fetchrow", _SUMMARY, user_id, since)
        assert row is not None
        return ServiceSummary(row["views"], row["charges"], row["free_views"])
