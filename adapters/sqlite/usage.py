"""Service usage, free or paid, and the counts the charge decision and the reports read.

Each count is its own subquery over the slice of the user's rows an index points at; all of them
come back in one query.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from adapters.sqlite.session import Session
from adapters.sqlite.values import date_text, optional_uuid_text, time_text, uuid_text
from domain.billing import DOCTOR_VIEW, EVERY_COUNT, FreeReason, Usage, UsageCount, UsageSnapshot
from domain.money import Currency
from domain.records import DailyUsage, ServiceSummary

_REPEAT = FreeReason.REPEAT_VIEW.value
_COLUMNS = "id, user_id, service_type, quantity, currency, local_date, created_at, related_object_id, " \
           "amount, transfer_id, free_reason"
# Each count of the charge decision as a subquery; a snapshot asks for the ones it needs in one
# statement (the storage benchmark issues the whole of it, ``SNAPSHOT_SQL``).
_COUNTS = {
    UsageCount.VIEWED_TODAY: """:related <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service
                          AND related_object_id = :related)""",
    UsageCount.DISTINCT_TODAY: """(
    SELECT count(DISTINCT nullif(related_object_id, '')) + count(CASE WHEN related_object_id = '' THEN 1 END)
    FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service)""",
    UsageCount.VIEWS_EVER: f"""(
    SELECT count(*) FROM usage WHERE user_id = :user AND service_type = :service
                                 AND free_reason IS NOT '{_REPEAT}')""",
    UsageCount.DEBITS_LAST_HOUR: """(
    SELECT count(*) FROM usage WHERE user_id = :user AND transfer_id IS NOT NULL
                                 AND created_at >= :hour_ago)""",
    UsageCount.SPENT_TODAY: """(
    SELECT coalesce(sum(amount), 0) FROM usage WHERE user_id = :user AND local_date = :day
                                                 AND currency = :currency)""",
}


@lru_cache(maxsize=32)
def snapshot_sql(counts: frozenset[UsageCount]) -> str:
    """One statement answering ``counts``, each in a column named by its snapshot field."""
    return "SELECT " + ", ".join(f"{_COUNTS[count]} AS {count.value}"
                                 for count in UsageCount if count in counts)


SNAPSHOT_SQL = snapshot_sql(EVERY_COUNT)
_DOCTOR_VIEWS = f"service_type = '{DOCTOR_VIEW}' AND free_reason IS NOT '{_REPEAT}'"
_DAILY = f"""
SELECT count(CASE WHEN {_DOCTOR_VIEWS} AND transfer_id IS NULL THEN 1 END) AS free_views,
       count(CASE WHEN service_type = '{DOCTOR_VIEW}' AND transfer_id IS NOT NULL THEN 1 END) AS paid_views,
       coalesce(sum(amount), 0) AS spent
FROM usage WHERE user_id = ? AND local_date = ?
"""
_SUMMARY = f"""
SELECT count(*) AS views, coalesce(sum(amount), 0) AS charges,
       count(CASE WHEN transfer_id IS NULL THEN 1 END) AS free_views
FROM usage WHERE user_id = ? AND created_at >= ? AND {_DOCTOR_VIEWS}
"""


class SqliteUsageRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, usage: Usage) -> None:
        u = usage
        await self._db.hold(
            f"INSERT INTO usage ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid_text(u.id), u.user_id, u.service_type, u.quantity, u.currency.value,
             date_text(u.local_date), time_text(u.created_at), u.related_object_id, u.amount,
             optional_uuid_text(u.transfer_id), u.free_reason.value if u.free_reason else None),
        )

    async def snapshot(
        self, user_id: str, service_type: str, related_object_id: str, *,
        currency: Currency, local_date: date, hour_ago: datetime,
        counts: frozenset[UsageCount] = EVERY_COUNT,
    ) -> UsageSnapshot:
        if not counts:
            return UsageSnapshot()
        row = await self._db.fetchone(snapshot_sql(counts), {
            "user": user_id, "service": service_type, "related": related_object_id,
            "day": date_text(local_date), "hour_ago": time_text(hour_ago), "currency": currency.value,
        })
        assert row is not None
        return UsageSnapshot.of({count: row[count.value] for count in counts})

    async def daily(self, user_id: str, local_date: date) -> DailyUsage:
        row = await self._db.fetchone(_DAILY, (user_id, date_text(local_date)))
        assert row is not None
        free, paid = row["free_views"], row["paid_views"]
        return DailyUsage(free, paid, free + paid, row["spent"])

    async def summary(self, user_id: str, since: datetime) -> ServiceSummary:
        row = await self._db.fetchone(_SUMMARY, (user_id, time_text(since)))
        assert row is not None
        return ServiceSummary(row["views"], row["charges"], row["free_views"])
