"""The charge decision reads only the usage counts ``usage_needed`` names: for any rule, settings,
wallet and past usage, deciding with just those counts (the others left at zero) gives the same
decision, or the same refusal, as deciding with all of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.billing import (
    DOCTOR_VIEW,
    BillingRule,
    BillingSettings,
    ChargeDecision,
    UsageSnapshot,
    decide_charge,
    usage_needed,
)
from domain.errors import DomainError
from domain.ledger import Wallet
from domain.money import Currency, Money

NOW = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
CURRENCIES = st.sampled_from([Currency.UZS, Currency.USD])
COUNTS = st.integers(min_value=0, max_value=6)  # near the quotas, where the counts matter
RARELY = st.integers(min_value=0, max_value=9).map(lambda n: n == 0)  # a blocked wallet, maintenance


@st.composite
def rules(draw: st.DrawFn) -> BillingRule:
    service = draw(st.sampled_from([DOCTOR_VIEW, DOCTOR_VIEW, "consultation", "chat_message"]))
    price = Money(draw(st.integers(min_value=1, max_value=500_000)), draw(CURRENCIES))
    return BillingRule(service, price, {"uz": service})


@st.composite
def settings(draw: st.DrawFn) -> BillingSettings:
    currency = draw(CURRENCIES)
    maybe_limit = st.none() | st.integers(min_value=1, max_value=2_000_000).map(lambda n: Money(n, currency))
    return BillingSettings(
        currency, not draw(RARELY), draw(RARELY), draw(COUNTS), draw(COUNTS),
        draw(st.integers(min_value=0, max_value=30)),
        max_debits_per_hour=draw(st.none() | st.integers(min_value=1, max_value=12)),
        daily_spending_limit=draw(maybe_limit))


@st.composite
def wallets(draw: st.DrawFn) -> Wallet:
    currency = draw(CURRENCIES)
    age = timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 40)))
    return Wallet("u1", currency, NOW - age, Money(draw(st.integers(min_value=0, max_value=3_000_000)),
                                                   currency), draw(RARELY))


snapshots = st.builds(UsageSnapshot, st.booleans(), COUNTS, COUNTS, COUNTS,
                      st.integers(min_value=0, max_value=3_000_000))


def outcome(rule: BillingRule, settings: BillingSettings, wallet: Wallet, usage: UsageSnapshot,
            quantity: int) -> ChargeDecision | tuple[str, str]:
    try:
        return decide_charge(rule, settings, wallet, usage, quantity=quantity, now=NOW)
    except DomainError as refusal:
        return refusal.code, refusal.message


@hypothesis_settings(max_examples=600, database=None)
@given(rules(), settings(), wallets(), snapshots, st.integers(min_value=1, max_value=6))
def test_deciding_with_only_the_needed_counts_decides_alike(rule, settings, wallet, usage, quantity):
    needed = usage_needed(rule, settings, wallet, now=NOW)
    only = UsageSnapshot.of({count: getattr(usage, count.value) for count in needed})
    assert outcome(rule, settings, wallet, only, quantity) == outcome(rule, settings, wallet, usage, quantity)


def test_a_paid_service_without_limits_needs_no_count():
    wallet = Wallet("u1", Currency.UZS, NOW, Money(0, Currency.UZS))
    consultation = BillingRule("consultation", Money(5_000_000, Currency.UZS), {"uz": "x"})
    assert usage_needed(consultation, BillingSettings(), wallet, now=NOW) == frozenset()
