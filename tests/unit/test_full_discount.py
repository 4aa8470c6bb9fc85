"""A charge whose total is zero (a 100 % discount, or one that rounds to zero) is a free access
with its own reason, never a zero transfer; the refusals before it still come first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.billing import (
    DOCTOR_VIEW,
    BillingRule,
    BillingSettings,
    FreeReason,
    UsageSnapshot,
    decide_charge,
)
from domain.errors import BillingLimitExceeded, BillingMaintenance, InsufficientFunds, WalletBlocked
from domain.ledger import Wallet
from domain.money import Currency, Money

UZS = Currency.UZS
NOW = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
SEEN_ENOUGH = UsageSnapshot(distinct_doctors_today=3, views_ever=40)  # no free quota left


def discounted(price: str, discount: str, from_quantity: int = 1,
               service_type: str = "consultation") -> BillingRule:
    return BillingRule(service_type, Money.of(Decimal(price), UZS), {"uz": service_type},
                       Decimal(discount), from_quantity)


def wallet(balance: str = "0", *, blocked: bool = False) -> Wallet:
    return Wallet("user-1", UZS, NOW - timedelta(days=30), Money.of(Decimal(balance), UZS), blocked)


def decide(rule: BillingRule, settings: BillingSettings | None = None, payer: Wallet | None = None,
           quantity: int = 1):
    return decide_charge(rule, settings or BillingSettings(), payer or wallet(), SEEN_ENOUGH,
                         quantity=quantity, now=NOW)


@pytest.mark.parametrize(("rule", "quantity"), [
    (discounted("50000", "100"), 1),
    (discounted("50000", "100", from_quantity=5), 7),
    (discounted("1.00", "99.99"), 1),  # 0.0001 rounds half up to 0.00
    (discounted("5000", "100", service_type=DOCTOR_VIEW), 1),
])
def test_a_total_of_zero_is_a_free_access_even_with_an_empty_wallet(rule: BillingRule,
                                                                    quantity: int) -> None:
    decision = decide(rule, quantity=quantity)
    assert decision.is_free and decision.amount is None
    assert decision.free_reason is FreeReason.FULL_DISCOUNT
    assert decision.unit_price == Money.zero(UZS)


def test_a_full_discount_passes_no_charge_limit() -> None:
    strict = BillingSettings(max_debits_per_hour=0, daily_spending_limit=Money.of(1, UZS))
    assert decide(discounted("50000", "100"), strict).free_reason is FreeReason.FULL_DISCOUNT
    with pytest.raises(BillingLimitExceeded):
        decide(discounted("50000", "99"), strict, wallet("1000"))


def test_a_discount_that_leaves_a_minor_unit_is_charged() -> None:
    decision = decide(discounted("1.00", "99.99"), payer=wallet("1"), quantity=100)  # 0.01 in all
    assert decision.amount == Money(1, UZS) and decision.free_reason is None
    with pytest.raises(InsufficientFunds):
        decide(discounted("1.00", "99"))  # 0.01 from an empty wallet


def test_below_the_discount_threshold_the_full_price_is_charged() -> None:
    with pytest.raises(InsufficientFunds):
        decide(discounted("50000", "100", from_quantity=5), quantity=4)


def test_a_blocked_wallet_is_still_refused() -> None:
    with pytest.raises(WalletBlocked):
        decide(discounted("50000", "100"), payer=wallet(blocked=True))


def test_maintenance_still_refuses() -> None:
    with pytest.raises(BillingMaintenance):
        decide(discounted("50000", "100"), BillingSettings(maintenance_mode=True))


def test_an_earlier_free_reason_still_wins() -> None:
    off = BillingSettings(enable_billing=False)
    assert decide(discounted("50000", "100"), off).free_reason is FreeReason.BILLING_DISABLED
