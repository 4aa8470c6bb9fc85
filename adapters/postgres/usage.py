"""Service usage, free or paid, and the counts a charge decision asks for (``domain.usage``).

Each count is its own subquery so that it reads only the slice of the user's rows an index points
at (the two of today's doctors share one), and all of them travel in one round trip. The daily and
summary reports are in ``adapters.postgres.reports``.
"""

from __future__ import annotations

from functools import lru_cache

from adapters.postgres.pending import USAGE
from adapters.postgres.session import Session
from adapters.sql.money_rows import usage_row
from adapters.sql.values import NATIVE
from domain.usage import (
    DOCTORS_TODAY,
    NOTHING_COUNTED,
    FreeReason,
    Usage,
    UsageCount,
    UsageQuery,
    UsageSnapshot,
)

_REPEAT = FreeReason.REPEAT_VIEW.value
# Today's accesses of the service, in one pass: the doctors they named, and those naming none.
_TODAY = """(
    SELECT count(DISTINCT NULLIF(related_object_id, '')) AS named,
           count(*) FILTER (WHERE related_object_id = '') AS unnamed
    FROM usage WHERE user_id = {user} AND local_date = {day} AND service_type = {service}) AS today"""
# Each count as a subquery over named values; a snapshot asks for the ones it needs in one statement.
_COUNTS = {
    UsageCount.VIEWED_TODAY: """{related} <> '' AND EXISTS (
    SELECT 1 FROM usage WHERE user_id = {user} AND local_date = {day} AND service_type = {service}
                          AND related_object_id = {related})""",
    UsageCount.NAMED_DOCTORS_TODAY: "today.named",
    UsageCount.UNNAMED_TODAY: "today.unnamed",
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


@lru_cache(maxsize=64)
def snapshot_sql(counts: frozenset[UsageCount]) -> tuple[str, tuple[str, ...]]:
    """One statement answering ``counts``, each in a column named by its ``UsageCount`` value, and
    the names of its parameters in order ($1, $2, ...: only the values these counts use)."""
    columns = ", ".join(f"{_COUNTS[count]} AS {count.value}" for count in UsageCount if count in counts)
    sql = f"SELECT {columns} FROM {_TODAY}" if counts & DOCTORS_TODAY else f"SELECT {columns}"
    used = tuple(name for name in _VALUES if f"{{{name}}}" in sql)
    return sql.format(**{name: f"${n}" for n, name in enumerate(used, 1)}), used


class PgUsageRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, usage: Usage) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold(USAGE, [usage_row(usage, NATIVE)])

    async def snapshot(self, query: UsageQuery) -> UsageSnapshot:
        if not query.counts:
            return NOTHING_COUNTED
        sql, used = snapshot_sql(query.counts)
        values = {"user": query.user_id, "service": query.service_type, "related": query.related_object_id,
                  "day": query.local_date, "hour_ago": query.hour_ago, "currency": query.currency.value}
        row = await self._db.run_alone("fetchrow", sql, *(values[name] for name in used))
        assert row is not None
        return UsageSnapshot.of({count: row[count.value] for count in query.counts})
