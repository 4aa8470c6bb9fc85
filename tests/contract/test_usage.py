"""Usage: the counts the charge decision reads (repeat, quota, new-user views, hourly and daily
limits) and the daily and summary reports."""

from __future__ import annotations

from datetime import timedelta

from domain.money import Currency
from domain.reports import DailyUsage, ServiceSummary
from domain.usage import EVERY_COUNT, FreeReason, UsageCount, UsageQuery, UsageSnapshot
from tests.contract.builders import NOW, TODAY, UZS, minutes, paid_usage, usage

YESTERDAY = TODAY - timedelta(days=1)
USD = Currency.USD
QUOTA, REPEAT = FreeReason.DAILY_QUOTA, FreeReason.REPEAT_VIEW


async def _record(s, *usages) -> None:
    async with s.unit_of_work() as uow:
        for each in usages:
            await uow.usage.add(each)
        await uow.commit()


async def _snapshot(s, related="doc-1", *, service="doctor_view", currency=UZS, user="u1",
                    counts=EVERY_COUNT):
    async with s.unit_of_work(write=False) as uow:
        return await uow.usage.snapshot(UsageQuery(user, service, related, currency, TODAY, minutes(-60),
                                                   counts))


async def test_a_user_without_usage_has_an_empty_snapshot(storage):
    async with storage() as s:
        assert await _snapshot(s) == UsageSnapshot()


async def test_a_doctor_viewed_today_is_a_repeat_and_no_other_is(storage):
    async with storage() as s:
        await _record(s, usage(related_object_id="doc-1", free_reason=QUOTA),
                      usage(related_object_id="doc-2", local_date=YESTERDAY),
                      usage(related_object_id="doc-3", service_type="consultation"),
                      usage("u2", "doc-4"), usage(related_object_id=""))
        assert (await _snapshot(s, "doc-1")).viewed_this_doctor_today is True
        for other in ("doc-2", "doc-3", "doc-4", ""):
            assert (await _snapshot(s, other)).viewed_this_doctor_today is False, other


async def test_distinct_doctors_today_count_each_unnamed_access_as_one(storage):
    async with storage() as s:
        await _record(s, usage(related_object_id="doc-1", free_reason=QUOTA),
                      usage(related_object_id="doc-1", free_reason=REPEAT),
                      paid_usage(related_object_id="doc-2"), usage(related_object_id=""),
                      usage(related_object_id=""), usage(related_object_id="doc-3", local_date=YESTERDAY),
                      usage(related_object_id="doc-4", service_type="consultation"), usage("u2", "doc-5"))
        assert (await _snapshot(s)).distinct_doctors_today == 4
        named = await _snapshot(s, counts=frozenset({UsageCount.NAMED_DOCTORS_TODAY}))
        unnamed = await _snapshot(s, counts=frozenset({UsageCount.UNNAMED_TODAY}))
        assert (named.distinct_doctors_today, unnamed.distinct_doctors_today) == (2, 2)


async def test_only_the_counts_asked_are_counted_and_no_count_asked_reads_nothing(storage):
    async with storage() as s:
        await _record(s, paid_usage(related_object_id="doc-2"), usage(related_object_id="doc-1"))
        assert await _snapshot(s, counts=frozenset()) == UsageSnapshot()
        limits = await _snapshot(s, counts=frozenset({UsageCount.DEBITS_LAST_HOUR, UsageCount.SPENT_TODAY}))
        assert limits == UsageSnapshot(debits_last_hour=1, spent_today=500_000)


async def test_views_ever_count_every_day_but_not_repeats(storage):
    async with storage() as s:
        await _record(s, usage(local_date=YESTERDAY, free_reason=QUOTA),
                      usage(local_date=YESTERDAY, free_reason=REPEAT),
                      paid_usage(related_object_id="doc-2"), usage(free_reason=FreeReason.NEW_USER),
                      usage(service_type="consultation"), usage("u2"))
        snapshot = await _snapshot(s)
        assert snapshot.views_ever == 3
        assert (await _snapshot(s, service="consultation")).views_ever == 1


async def test_debits_last_hour_count_charges_of_any_service_since_an_hour_ago(storage):
    async with storage() as s:
        await _record(s, paid_usage(created_at=minutes(-70)), paid_usage(created_at=minutes(-60)),
                      paid_usage(service_type="chat_message", created_at=minutes(-5)),
                      usage(created_at=minutes(-1), free_reason=QUOTA), paid_usage("u2", created_at=NOW))
        assert (await _snapshot(s)).debits_last_hour == 2


async def test_spent_today_sums_every_service_in_the_wallets_currency(storage):
    async with storage() as s:
        await _record(s, paid_usage(amount=500_000), paid_usage(service_type="chat_message", amount=100_000),
                      paid_usage(amount=300, currency=Currency.USD),
                      paid_usage(amount=700_000, local_date=YESTERDAY), paid_usage("u2", amount=1))
        assert (await _snapshot(s)).spent_today == 600_000
        assert (await _snapshot(s, currency=Currency.USD)).spent_today == 300
        assert (await _snapshot(s, currency=Currency.EUR)).spent_today == 0


async def test_a_day_of_usage_counts_free_and_paid_doctor_views_and_the_days_spending(storage):
    async with storage() as s:
        await _record(s, usage(related_object_id="doc-1", free_reason=QUOTA),
                      usage(related_object_id="doc-2", free_reason=QUOTA),
                      usage(related_object_id="doc-1", free_reason=REPEAT),
                      paid_usage(related_object_id="doc-3", amount=500_000),
                      paid_usage(related_object_id="", service_type="chat_message", amount=100_000),
                      paid_usage(related_object_id="", service_type="report", amount=500, currency=USD),
                      paid_usage(local_date=YESTERDAY), paid_usage("u2"))
        async with s.unit_of_work(write=False) as uow:
            daily = uow.reports.daily_usage
            assert await daily("u1", TODAY, UZS) == DailyUsage(2, 1, 3, 600_000)
            # Another currency's spending is its own, never added to the tiyin.
            assert await daily("u1", TODAY, USD) == DailyUsage(2, 1, 3, 500)
            assert await daily("u1", TODAY + timedelta(days=1), UZS) == DailyUsage(0, 0, 0, 0)


async def test_the_service_summary_counts_doctor_views_since_a_moment(storage):
    async with storage() as s:
        await _record(s, usage(related_object_id="doc-1", free_reason=QUOTA),
                      usage(related_object_id="doc-2", free_reason=FreeReason.NEW_USER),
                      usage(related_object_id="doc-1", free_reason=REPEAT),
                      paid_usage(related_object_id="doc-3", amount=500_000, created_at=minutes(1)),
                      paid_usage(service_type="chat_message", amount=100_000),
                      paid_usage(amount=400_000, created_at=minutes(-1)), paid_usage("u2"),
                      paid_usage(related_object_id="doc-4", amount=700, currency=USD, created_at=minutes(2)))
        async with s.unit_of_work(write=False) as uow:
            summary = uow.reports.service_summary
            assert await summary("u1", NOW, UZS) == ServiceSummary(4, 500_000, 2)
            assert await summary("u1", NOW, USD) == ServiceSummary(4, 700, 2)
            assert await summary("nobody", NOW, UZS) == ServiceSummary(0, 0, 0)


async def test_usage_recorded_in_the_unit_counts_in_its_own_snapshot(storage):
    async with storage() as s, s.unit_of_work() as uow:
        await uow.usage.add(usage(free_reason=QUOTA))
        snapshot = await uow.usage.snapshot(UsageQuery("u1", "doctor_view", "doc-1", UZS, TODAY,
                                                       minutes(-60)))
        assert (snapshot.viewed_this_doctor_today, snapshot.distinct_doctors_today) == (True, 1)
