"""Service usage, free or paid, and the counts a charge decision asks for (``domain.usage``).

Each count is its own subquery over the slice of the user's rows an index points at (the two of
today's doctors share one); all of them come back in one query. The daily and summary reports
are in ``adapters.sqlite.reports``.
"""

from __future__ import annotations

from functools import lru_cache

from adapters.sql.money_rows import USAGE_COLUMNS, usage_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, date_text, time_text
from domain.usage import (
    DOCTORS_TODAY,
    NOTHING_COUNTED,
    FreeReason,
    Usage,
    UsageCount,
    UsageQuery,
    UsageSnapshot,
)

_INSERT = f"INSERT INTO usage ({USAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_REPEAT = FreeReason.REPEAT_VIEW.value
# Today's accesses of the service, in one pass: the doctors they named, and those naming none.
_TODAY = """(
    SELECT count(DISTINCT nullif(related_object_id, '')) AS named,
           count(CASE WHEN related_object_id = '' THEN 1 END) AS unnamed
    FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service) AS today"""
_COUNTS = {
    UsageCount.VIEWED_TODAY: """:related <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = :user AND local_date = :day AND service_type = :service
                          AND related_object_id = :related)""",
    UsageCount.NAMED_DOCTORS_TODAY: "today.named",
    UsageCount.UNNAMED_TODAY: "today.unnamed",
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


@lru_cache(maxsize=64)
def snapshot_sql(counts: frozenset[UsageCount]) -> str:
    """One statement answering ``counts``, each in a column named by its ``UsageCount`` value."""
    columns = ", ".join(f"{_COUNTS[count]} AS {count.value}" for count in UsageCount if count in counts)
    return f"SELECT {columns} FROM {_TODAY}" if counts & DOCTORS_TODAY else f"SELECT {columns}"


class SqliteUsageRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, usage: Usage) -> None:
        await self._db.hold(_INSERT, usage_row(usage, STORED))

    async def snapshot(self, query: UsageQuery) -> UsageSnapshot:
        if not query.counts:
            return NOTHING_COUNTED
        row = await self._db.fetchone(snapshot_sql(query.counts), {
            "user": query.user_id, "service": query.service_type, "related": query.related_object_id,
            "day": date_text(query.local_date), "hour_ago": time_text(query.hour_ago),
            "currency": query.currency.value,
        })
        assert row is not None
        return UsageSnapshot.of({count: row[count.value] for count in query.counts})
