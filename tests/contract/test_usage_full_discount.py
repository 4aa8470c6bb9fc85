"""A fully discounted access is stored with its own free reason and counts like any free view on
every backend: a view (not a repeat), a free one, no debit, nothing spent."""

from __future__ import annotations

from datetime import timedelta

from domain.reports import DailyUsage, ServiceSummary
from domain.usage import FreeReason, UsageQuery
from tests.contract.builders import NOW, TODAY, UZS, minutes, usage

FULL = FreeReason.FULL_DISCOUNT


async def test_every_free_reason_is_stored_and_read_back_by_the_counts(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            for n, reason in enumerate(FreeReason):
                await uow.usage.add(usage(f"u-{reason.value}", f"doc-{n}", free_reason=reason))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            for n, reason in enumerate(FreeReason):
                daily = await uow.reports.daily_usage(f"u-{reason.value}", TODAY, UZS)
                assert daily == DailyUsage(0 if reason is FreeReason.REPEAT_VIEW else 1, 0,
                                           0 if reason is FreeReason.REPEAT_VIEW else 1, 0), reason
                snapshot = await uow.usage.snapshot(UsageQuery(
                    f"u-{reason.value}", "doctor_view", f"doc-{n}", UZS, TODAY, minutes(-60)))
                assert snapshot.viewed_this_doctor_today is True, reason


async def test_a_fully_discounted_view_counts_as_a_free_view_and_no_debit(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await uow.usage.add(usage(related_object_id="doc-1", free_reason=FULL))
            await uow.usage.add(usage(related_object_id="doc-2", free_reason=FULL,
                                      local_date=TODAY - timedelta(days=1)))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            snapshot = await uow.usage.snapshot(UsageQuery("u1", "doctor_view", "doc-1", UZS, TODAY,
                                                           minutes(-60)))
            daily = await uow.reports.daily_usage("u1", TODAY, UZS)
            summary = await uow.reports.service_summary("u1", NOW - timedelta(days=2), UZS)
        assert (snapshot.viewed_this_doctor_today, snapshot.distinct_doctors_today,
                snapshot.views_ever, snapshot.debits_last_hour, snapshot.spent_today) == \
            (True, 1, 2, 0, 0)
        assert daily == DailyUsage(1, 0, 1, 0)
        assert summary == ServiceSummary(2, 0, 2)
