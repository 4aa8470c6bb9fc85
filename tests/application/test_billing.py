"""Charges through the use cases: free quotas by the platform's day, new users, 402, 429, 503."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.billing import ChargeRequest
from domain.errors import (
    BillingLimitExceeded,
    BillingMaintenance,
    InsufficientFunds,
    ValidationError,
    WalletBlocked,
)
from domain.usage import FreeReason
from tests.application.conftest import uzs


def view(doctor: object, user: str = "u1") -> ChargeRequest:
    return ChargeRequest(user, "doctor_view", 1, doctor)


async def make_old_user(w, user: str = "u1") -> None:
    """A wallet older than new_user_days, so only the daily quota applies."""
    await w.hamyon.wallets.get(user)
    w.clock.advance(days=8)


async def test_three_free_views_a_day_then_paid(world):
    async with world() as w:
        await make_old_user(w)
        await w.fund("u1", "100000")
        results = [await w.hamyon.billing.charge(view(doctor)) for doctor in (1, 2, 3, 4)]
        assert [r.charged for r in results] == [False, False, False, True]
        assert results[3].amount_charged == uzs("5000")
        assert results[3].balance_after == uzs("95000")
        assert results[3].description == "Shifokor profilini ko'rish (ID: 4)"


async def test_repeat_view_of_a_doctor_today_is_free_and_counts_no_new_view(world):
    async with world() as w:
        await make_old_user(w)
        await w.fund("u1", "100000")
        for doctor in (1, 2, 3, 4):
            await w.hamyon.billing.charge(view(doctor))
        repeat = await w.hamyon.billing.charge(view(4))
        assert not repeat.charged and repeat.free_reason is FreeReason.REPEAT_VIEW
        daily = await w.hamyon.billing.daily_usage("u1")
        assert (daily.free_views_used, daily.paid_views, daily.total_views) == (3, 1, 4)
        assert daily.free_views_remaining == 0
        assert daily.spending_today == uzs("5000")


async def test_quota_resets_at_midnight_in_tashkent_not_utc(world):
    async with world() as w:
        await make_old_user(w)
        await w.fund("u1", "100000")
        w.clock.set(datetime(2026, 3, 1, 18, 59, tzinfo=UTC))  # 23:59 in Tashkent
        day_one = [await w.hamyon.billing.charge(view(d)) for d in (1, 2, 3, 4)]
        w.clock.set(datetime(2026, 3, 1, 19, 0, tzinfo=UTC))  # 00:00 next day in Tashkent
        day_two = await w.hamyon.billing.charge(view(5))
        repeat_of_yesterday = await w.hamyon.billing.charge(view(4))
        assert [r.charged for r in day_one] == [False, False, False, True]
        assert not day_two.charged and day_two.free_reason is FreeReason.DAILY_QUOTA
        assert repeat_of_yesterday.free_reason is FreeReason.DAILY_QUOTA


async def test_new_users_first_paid_view_is_the_sixth_distinct_doctor(world):
    async with world() as w:
        await w.fund("u1", "100000")
        results = [await w.hamyon.billing.charge(view(d)) for d in range(1, 8)]
        assert [r.charged for r in results] == [False] * 5 + [True, True]
        assert [r.free_reason for r in results[3:5]] == [FreeReason.NEW_USER] * 2


async def test_insufficient_balance_is_402_with_amounts_and_changes_nothing(world):
    async with world() as w:
        await w.fund("u1", "1000")
        with pytest.raises(InsufficientFunds) as refused:
            await w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))
        assert refused.value.details == {"current_balance": uzs("1000").amount,
                                          "required_amount": uzs("50000").amount, "currency": "UZS"}
        assert await w.balance("u1") == uzs("1000")
        assert (await w.hamyon.billing.daily_usage("u1")).total_views == 0


async def test_volume_discount_applies_from_threshold(world):
    async with world() as w:
        await w.fund("u1", "100000")
        result = await w.hamyon.billing.charge(ChargeRequest("u1", "chat_message", 10))
        assert result.amount_charged == uzs("9000")


async def test_disabled_billing_is_free_and_maintenance_is_503(world):
    async with world() as w:
        await w.hamyon.admin.update_settings({"enable_billing": False}, actor="admin")
        free = await w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))
        assert not free.charged and free.free_reason is FreeReason.BILLING_DISABLED
        await w.hamyon.admin.update_settings({"enable_billing": True, "maintenance_mode": True},
                                       actor="admin")
        with pytest.raises(BillingMaintenance):
            await w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))


async def test_hourly_and_daily_limits_are_429(world):
    async with world() as w:
        await w.fund("u1", "500000")
        await w.hamyon.admin.update_settings({"max_debits_per_hour": 2}, actor="admin")
        for _ in range(2):
            await w.hamyon.billing.charge(ChargeRequest("u1", "ai_diagnosis"))
        with pytest.raises(BillingLimitExceeded):
            await w.hamyon.billing.charge(ChargeRequest("u1", "ai_diagnosis"))
        w.clock.advance(hours=1, seconds=1)
        await w.hamyon.admin.update_settings({"daily_spending_limit": "25000"}, actor="admin")
        with pytest.raises(BillingLimitExceeded):
            await w.hamyon.billing.charge(ChargeRequest("u1", "ai_diagnosis"))


async def test_blocked_wallet_takes_no_charge_not_even_free(world):
    async with world() as w:
        await w.hamyon.wallets.set_blocked("u1", True, actor="admin")
        with pytest.raises(WalletBlocked):
            await w.hamyon.billing.charge(view(1))
        access = await w.hamyon.billing.check_access(view(1))
        assert not access.can_access and access.code == "wallet_blocked"


async def test_check_access_moves_nothing(world):
    async with world() as w:
        await w.fund("u1", "60000")
        access = await w.hamyon.billing.check_access(ChargeRequest("u1", "consultation"))
        assert access.can_access and access.price == uzs("50000")
        poor = await w.hamyon.billing.check_access(ChargeRequest("u1", "consultation", 2))
        assert not poor.can_access and poor.code == "insufficient_balance"
        assert await w.balance("u1") == uzs("60000")


@pytest.mark.parametrize("request_", [
    ChargeRequest("u1", "teleportation"), ChargeRequest("u1", "consultation", 0),
    ChargeRequest("u1", "consultation", True), ChargeRequest("u1", "doctor_view", 1, ["x"]),
])
async def test_bad_charge_requests_are_refused_naming_the_field(world, request_):
    async with world() as w:
        with pytest.raises(ValidationError) as refused:
            await w.hamyon.billing.charge(request_)
        assert refused.value.field in {"service_type", "quantity", "related_object_id"}


async def test_summary_counts_payments_services_and_wallet(world):
    async with world() as w:
        await w.paid_topup("u1", "50000")
        await make_old_user(w)
        for doctor in (1, 2, 3, 4, 5):
            await w.hamyon.billing.charge(view(doctor))
        summary = await w.hamyon.billing.summary("u1", 30)
        assert (summary.payments.total_payments, summary.payments.completed_payments) == (1, 1)
        assert (summary.services.doctor_views, summary.services.free_doctor_views) == (5, 3)
        assert summary.services.doctor_view_charges == 1000000
        assert summary.totals.total_credited == 5000000 and summary.totals.total_debited == 1000000


async def test_todays_spending_counts_the_answers_currency_only(world):
    # 5.00 USD is 500 cents: added to the tiyin it would read as 5.00 UZS more spent.
    async with world() as w:
        await w.hamyon.admin.save_rule("usd_report", {"price": "5", "currency": "USD"},
                                       actor="admin", create=True)
        await w.fund("u1", "100000")
        await w.fund("u1", "20", "USD")
        await w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))  # 50,000 UZS
        await w.hamyon.billing.charge(ChargeRequest("u1", "usd_report"))
        overview = await w.hamyon.wallets.overview("u1", "UZS")
        daily = await w.hamyon.billing.daily_usage("u1", "UZS")
        assert (overview.today_spending, daily.spending_today) == (uzs("50000"), uzs("50000"))
        assert (await w.hamyon.billing.daily_usage("u1", "USD")).spending_today.minor == 500
