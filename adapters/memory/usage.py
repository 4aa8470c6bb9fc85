"""Service usage, free or paid, and the counts the charge decision and the reports read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from adapters.memory.session import Repository
from domain.billing import DOCTOR_VIEW, EVERY_COUNT, Usage, UsageCount, UsageSnapshot
from domain.money import Currency
from domain.records import DailyUsage, ServiceSummary


def _doctor_view(usage: Usage) -> bool:
    """A doctor view that counts: repeats of a doctor already seen that day do not."""
    return usage.service_type == DOCTOR_VIEW and not usage.is_repeat


class MemoryUsageRepository(Repository):
    async def add(self, usage: Usage) -> None:
        (await self._tables()).append("usage", usage)

    async def snapshot(
        self, user_id: str, service_type: str, related_object_id: str, *,
        currency: Currency, local_date: date, hour_ago: datetime,
        counts: frozenset[UsageCount] = EVERY_COUNT,
    ) -> UsageSnapshot:
        """Repeat today, distinct doctors today (each unnamed access counts as one), views ever
        (repeats excepted), charges since ``hour_ago`` (any service and currency), and minor units
        of ``currency`` spent on ``local_date``: those of ``counts``."""
        if not counts:
            return UsageSnapshot()
        mine = await self._of(user_id)
        today = [u for u in mine if u.local_date == local_date]
        service_today = [u for u in today if u.service_type == service_type]
        named = {u.related_object_id for u in service_today if u.related_object_id}
        counters: dict[UsageCount, Callable[[], int | bool]] = {
            UsageCount.VIEWED_TODAY: lambda: related_object_id != "" and related_object_id in named,
            UsageCount.DISTINCT_TODAY:
                lambda: len(named) + sum(1 for u in service_today if not u.related_object_id),
            UsageCount.VIEWS_EVER:
                lambda: sum(1 for u in mine if u.service_type == service_type and not u.is_repeat),
            UsageCount.DEBITS_LAST_HOUR:
                lambda: sum(1 for u in mine if u.charged and u.created_at >= hour_ago),
            UsageCount.SPENT_TODAY: lambda: sum(u.amount for u in today if u.currency is currency),
        }
        return UsageSnapshot.of({count: counters[count]() for count in counts})

    async def daily(self, user_id: str, local_date: date) -> DailyUsage:
        today = [u for u in await self._of(user_id) if u.local_date == local_date]
        free = sum(1 for u in today if _doctor_view(u) and not u.charged)
        paid = sum(1 for u in today if u.service_type == DOCTOR_VIEW and u.charged)
        return DailyUsage(free, paid, free + paid, sum(u.amount for u in today))

    async def summary(self, user_id: str, since: datetime) -> ServiceSummary:
        views = [u for u in await self._of(user_id) if _doctor_view(u) and u.created_at >= since]
        return ServiceSummary(len(views), sum(u.amount for u in views),
                              sum(1 for u in views if not u.charged))

    async def _of(self, user_id: str) -> list[Usage]:
        return (await self._tables()).filed("usage", user_id)
