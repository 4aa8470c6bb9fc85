"""Billing (SPEC §5): prices and discounts, default rules and settings, the charge decision in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from domain.billing import (
    DOCTOR_VIEW,
    BillingRule,
    BillingSettings,
    FreeReason,
    UsageSnapshot,
    decide_charge,
    default_rules,
    ensure_quantity,
)
from domain.errors import (
    AmountOutOfRange,
    BillingLimitExceeded,
    BillingMaintenance,
    InsufficientFunds,
    ValidationError,
    WalletBlocked,
)
from domain.ledger import Wallet
from domain.money import Currency, Money

UZS, USD = Currency.UZS, Currency.USD
NOW = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), UZS)


def rule(service_type: str = DOCTOR_VIEW, price: str = "5000", discount: str = "10",
         from_quantity: int = 5, currency: Currency = UZS) -> BillingRule:
    return BillingRule(service_type, Money.of(Decimal(price), currency), {"uz": service_type},
                       Decimal(discount), from_quantity)


DOCTOR = rule()
CONSULTATION = rule("consultation", "50000", "0", 0)


# --- prices -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("quantity", "unit", "total"), [
    (1, "5000.00", "5000.00"),
    (4, "5000.00", "20000.00"),
    (5, "4500.00", "22500.00"),
    (10, "4500.00", "45000.00"),
])
def test_doctor_view_prices_with_ten_percent_from_five(quantity: int, unit: str, total: str) -> None:
    assert DOCTOR.unit_price(quantity) == uzs(unit)
    assert DOCTOR.total(quantity) == uzs(total)
    assert DOCTOR.total(quantity).amount == Decimal(total)


def test_a_discounted_total_is_rounded_once_not_per_unit() -> None:
    cheap = rule("sms", "1.05", "10", 2)  # 0.945 a unit
    assert cheap.unit_price(10) == uzs("0.95")  # the shown unit price is rounded half up
    assert cheap.total(10) == uzs("9.45")  # 0.945 × 10, not 0.95 × 10 = 9.50
    assert cheap.total(3) == uzs("2.84")  # 2.835 → half up once
    assert cheap.total(1) == uzs("1.05")


def test_effective_prices_at_one_the_threshold_and_twice_it() -> None:
    assert DOCTOR.effective_prices() == {"1": uzs("5000"), "5": uzs("4500"), "10": uzs("4500")}
    chat = rule("chat_message", "1000", "10", 10)
    assert chat.effective_prices() == {"1": uzs("1000"), "10": uzs("900"), "20": uzs("900")}


@pytest.mark.parametrize(("discount", "from_quantity"), [("0", 0), ("10", 0), ("0", 5)])
def test_effective_prices_without_a_discount_list_only_one(discount: str, from_quantity: int) -> None:
    plain = rule("consultation", "50000", discount, from_quantity)
    assert not plain.has_discount
    assert plain.effective_prices() == {"1": uzs("50000")}
    assert plain.total(100) == uzs("5000000")


def test_service_names_fall_back_to_uzbek_then_any_then_the_type() -> None:
    named = BillingRule("x", uzs("1"), {"uz": "Ko'rish", "ru": "Просмотр"})
    assert (named.service_name("ru"), named.service_name("en")) == ("Просмотр", "Ko'rish")
    assert BillingRule("x", uzs("1"), {"en": "View"}).service_name("fa") == "View"
    assert BillingRule("x", uzs("1")).service_name() == "x"


# --- defaults ---------------------------------------------------------------------------------

def test_default_rules_match_the_spec() -> None:
    table = {r.service_type: (r.price, r.discount_percentage, r.min_quantity_for_discount, r.is_active)
             for r in default_rules()}
    assert table == {
        "doctor_view": (uzs("5000"), Decimal("10"), 5, True),
        "consultation": (uzs("50000"), Decimal("0"), 0, True),
        "chat_message": (uzs("1000"), Decimal("10"), 10, True),
        "ai_diagnosis": (uzs("10000"), Decimal("0"), 0, True),
        "prescription": (uzs("5000"), Decimal("0"), 0, True),
    }
    for seeded in default_rules():
        assert {"uz", "ru", "en"} <= set(seeded.service_names)


def test_default_rules_are_fresh_copies() -> None:
    first = default_rules()
    first[0].service_names["uz"] = "changed"
    assert default_rules()[0].service_names["uz"] != "changed"


def test_default_settings_match_the_spec() -> None:
    defaults = BillingSettings()
    assert (defaults.currency, defaults.enable_billing, defaults.maintenance_mode) == (UZS, True, False)
    assert (defaults.free_views_per_day, defaults.free_views_for_new_users, defaults.new_user_days) == (
        3, 5, 7)
    assert (defaults.min_wallet_topup, defaults.max_wallet_balance) == (uzs("10000"), uzs("1000000"))
    assert defaults.max_debits_per_hour is None and defaults.daily_spending_limit is None


def test_settings_amounts_are_in_their_own_currency() -> None:
    usd = BillingSettings(currency=USD)
    assert usd.min_wallet_topup == Money.of(10_000, USD) and usd.binds(USD) and not usd.binds(UZS)


def test_the_minimum_top_up_binds_only_the_default_currency() -> None:
    BillingSettings().ensure_topup_allowed(uzs("10000"))
    BillingSettings().ensure_topup_allowed(Money.of(1, USD))
    with pytest.raises(AmountOutOfRange):
        BillingSettings().ensure_topup_allowed(uzs("9999.99"))


# --- the charge decision ----------------------------------------------------------------------

def wallet(balance: str = "100000", *, age: timedelta = timedelta(days=30), blocked: bool = False,
           currency: Currency = UZS) -> Wallet:
    return Wallet("user-1", currency, NOW - age, Money.of(Decimal(balance), currency), blocked)


SEEN_ENOUGH = UsageSnapshot(distinct_doctors_today=3, views_ever=40)


def decide(rule: BillingRule = DOCTOR, settings: BillingSettings | None = None,
           payer: Wallet | None = None, usage: UsageSnapshot = SEEN_ENOUGH, quantity: int = 1):
    return decide_charge(rule, settings or BillingSettings(), payer or wallet(), usage,
                         quantity=quantity, now=NOW)


@pytest.mark.parametrize("usage", [UsageSnapshot(), UsageSnapshot(viewed_this_doctor_today=True)])
def test_a_blocked_wallet_is_refused_even_when_the_access_would_be_free(usage: UsageSnapshot) -> None:
    with pytest.raises(WalletBlocked):
        decide(payer=wallet(blocked=True), usage=usage)
    with pytest.raises(WalletBlocked):
        decide(settings=BillingSettings(enable_billing=False), payer=wallet(blocked=True))


@pytest.mark.parametrize("service", [DOCTOR, CONSULTATION])
def test_billing_disabled_makes_everything_free_even_in_maintenance(service: BillingRule) -> None:
    decision = decide(service, BillingSettings(enable_billing=False, maintenance_mode=True),
                      wallet("0"), quantity=3)
    assert decision.is_free and decision.free_reason is FreeReason.BILLING_DISABLED
    assert decision.amount is None and decision.quantity == 3
    assert decision.unit_price == service.unit_price(3)


@pytest.mark.parametrize("usage", [SEEN_ENOUGH, UsageSnapshot(),
                                   UsageSnapshot(viewed_this_doctor_today=True)])
def test_maintenance_refuses_before_any_free_view(usage: UsageSnapshot) -> None:
    with pytest.raises(BillingMaintenance):
        decide(settings=BillingSettings(maintenance_mode=True), usage=usage)


def test_a_doctor_viewed_today_is_free_again_whatever_the_quotas() -> None:
    usage = UsageSnapshot(viewed_this_doctor_today=True, distinct_doctors_today=50, views_ever=500)
    decision = decide(payer=wallet("0"), usage=usage)
    assert decision.free_reason is FreeReason.REPEAT_VIEW


@pytest.mark.parametrize("seen_today", [0, 1, 2])
def test_under_the_daily_quota_a_view_is_free(seen_today: int) -> None:
    usage = UsageSnapshot(distinct_doctors_today=seen_today, views_ever=100)
    assert decide(payer=wallet("0"), usage=usage).free_reason is FreeReason.DAILY_QUOTA


@pytest.mark.parametrize("views_ever", [0, 3, 4])
def test_a_new_user_under_the_new_user_quota_views_free(views_ever: int) -> None:
    usage = UsageSnapshot(distinct_doctors_today=3, views_ever=views_ever)
    decision = decide(payer=wallet("0", age=timedelta(days=7)), usage=usage)  # at most 7 days old
    assert decision.free_reason is FreeReason.NEW_USER


def test_a_new_user_past_the_new_user_quota_pays() -> None:
    usage = UsageSnapshot(distinct_doctors_today=3, views_ever=5)
    assert decide(payer=wallet(age=timedelta(days=1)), usage=usage).amount == uzs("5000")


def test_an_old_user_past_the_daily_quota_pays() -> None:
    usage = UsageSnapshot(distinct_doctors_today=3, views_ever=0)
    decision = decide(payer=wallet(age=timedelta(days=7, microseconds=1)), usage=usage)
    assert not decision.is_free and decision.free_reason is None
    assert (decision.amount, decision.unit_price) == (uzs("5000"), uzs("5000"))


def test_with_the_defaults_a_new_users_first_paid_view_is_the_sixth_distinct_doctor() -> None:
    payer = wallet(age=timedelta(0))
    outcomes = []
    for doctor in range(8):  # all on the user's first day, each a new doctor
        usage = UsageSnapshot(distinct_doctors_today=doctor, views_ever=doctor)
        outcomes.append(decide(payer=payer, usage=usage).free_reason)
    daily, new = FreeReason.DAILY_QUOTA, FreeReason.NEW_USER
    assert outcomes == [daily, daily, daily, new, new, None, None, None]


def test_a_paid_quantity_gets_the_discounted_total() -> None:
    assert decide(quantity=5).amount == uzs("22500")
    assert decide(quantity=4).amount == uzs("20000")


@pytest.mark.parametrize("usage", [UsageSnapshot(), UsageSnapshot(viewed_this_doctor_today=True)])
def test_other_services_are_always_paid(usage: UsageSnapshot) -> None:
    decision = decide(CONSULTATION, payer=wallet("50000", age=timedelta(0)), usage=usage)
    assert decision.amount == uzs("50000") and decision.free_reason is None


def test_a_wallet_that_cannot_pay_is_refused_with_balance_and_required_amount() -> None:
    with pytest.raises(InsufficientFunds) as refused:
        decide(payer=wallet("4999.99"))
    assert refused.value.details == {"current_balance": Decimal("4999.99"),
                                     "required_amount": Decimal("5000.00"), "currency": "UZS"}
    assert decide(payer=wallet("5000")).amount == uzs("5000")


def test_insufficient_funds_comes_before_the_limits() -> None:
    strict = BillingSettings(max_debits_per_hour=1, daily_spending_limit=uzs("1"))
    usage = UsageSnapshot(distinct_doctors_today=3, views_ever=40, debits_last_hour=5,
                          spent_today=10**9)
    with pytest.raises(InsufficientFunds):
        decide(settings=strict, payer=wallet("1"), usage=usage)


@pytest.mark.parametrize(("limit", "settings", "used", "within", "beyond"), [
    ("max_debits_per_hour", BillingSettings(max_debits_per_hour=3), "debits_last_hour", 2, 3),
    # 15,000 spent today and this view's 5,000 reach the 20,000 limit exactly
    ("daily_spending_limit", BillingSettings(daily_spending_limit=uzs("20000")), "spent_today",
     1_500_000, 1_500_001),
], ids=["max_debits_per_hour", "daily_spending_limit"])
def test_each_charge_limit_counts_this_charge_and_is_inclusive(limit: str, settings: BillingSettings,
                                                                used: str, within: int, beyond: int) -> None:
    assert decide(settings=settings, usage=attrs.evolve(SEEN_ENOUGH, **{used: within})).amount
    with pytest.raises(BillingLimitExceeded) as refused:
        decide(settings=settings, usage=attrs.evolve(SEEN_ENOUGH, **{used: beyond}))
    assert refused.value.details["limit"] == limit


def test_the_daily_spending_limit_binds_only_the_default_currency() -> None:
    settings = BillingSettings(daily_spending_limit=uzs("1"))
    usd_rule = rule("consultation", "10", "0", 0, currency=USD)
    usage = UsageSnapshot(spent_today=10**9)
    assert decide(usd_rule, settings, wallet("100", currency=USD), usage).amount == Money.of(10, USD)


def test_limits_do_not_refuse_free_views() -> None:
    strict = BillingSettings(max_debits_per_hour=0, daily_spending_limit=uzs("0.01"))
    usage = UsageSnapshot(debits_last_hour=9, spent_today=10**9)
    assert decide(settings=strict, payer=wallet("0"), usage=usage).free_reason is FreeReason.DAILY_QUOTA


def test_zero_quotas_make_the_first_view_paid() -> None:
    settings = BillingSettings(free_views_per_day=0, free_views_for_new_users=0)
    assert decide(settings=settings, payer=wallet(age=timedelta(0)), usage=UsageSnapshot()).amount


# --- quantities -------------------------------------------------------------------------------

@pytest.mark.parametrize("quantity", [0, -1, True, False, 1.5, "2", None, 10_001])
def test_quantity_refusals(quantity: object) -> None:
    with pytest.raises(ValidationError) as refused:
        ensure_quantity(quantity)
    assert refused.value.field == "quantity"


@pytest.mark.parametrize("quantity", [1, 2, 10_000])
def test_quantities_from_one_to_ten_thousand(quantity: int) -> None:
    assert ensure_quantity(quantity) == quantity


def test_the_decision_checks_the_quantity_first() -> None:
    with pytest.raises(ValidationError):
        decide(payer=wallet(blocked=True), quantity=0)
