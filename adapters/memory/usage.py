"""Service usage, free or paid, and the counts a charge decision asks for (``domain.usage``);
the daily and summary reports are in ``adapters.memory.reports``."""

from __future__ import annotations

from collections.abc import Callable

from adapters.memory.session import Repository
from domain.usage import NOTHING_COUNTED, Usage, UsageCount, UsageQuery, UsageSnapshot


class MemoryUsageRepository(Repository):
    async def add(self, usage: Usage) -> None:
        (await self._tables()).append("usage", usage)

    async def snapshot(self, query: UsageQuery) -> UsageSnapshot:
        if not query.counts:
            return NOTHING_COUNTED
        q = query
        mine = (await self._tables()).filed("usage", q.user_id)
        today = [u for u in mine if u.local_date == q.local_date]
        service_today = [u for u in today if u.service_type == q.service_type]
        named = {u.related_object_id for u in service_today if u.related_object_id}
        counters: dict[UsageCount, Callable[[], int | bool]] = {
            UsageCount.VIEWED_TODAY: lambda: q.related_object_id != "" and q.related_object_id in named,
            UsageCount.NAMED_DOCTORS_TODAY: lambda: len(named),
            UsageCount.UNNAMED_TODAY: lambda: sum(1 for u in service_today if not u.related_object_id),
            UsageCount.VIEWS_EVER:
                lambda: sum(1 for u in mine if u.service_type == q.service_type and not u.is_repeat),
            UsageCount.DEBITS_LAST_HOUR:
                lambda: sum(1 for u in mine if u.charged and u.created_at >= q.hour_ago),
            UsageCount.SPENT_TODAY: lambda: sum(u.amount for u in today if u.currency is q.currency),
        }
        return UsageSnapshot.of({count: counters[count]() for count in q.counts})
