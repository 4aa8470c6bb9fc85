"""The charge decision reads only the usage counts its question (``usage_query``) asks for: for any
rule, settings, wallet and past usage, deciding with just those counts (the others left at zero, as
a storage answering the query leaves them) gives the same decision, or the same refusal, as
deciding with all of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.billing import BillingRule, BillingSettings, ChargeDecision, decide_charge, usage_query
from domain.errors import DomainError
from domain.ledger import Wallet
from domain.money import Currency, Money
from domain.usage import DOCTOR_VIEW, UsageCount, UsageSnapshot

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


# What a storage could count of a user's past usage, one value per ``UsageCount``.
counted = st.fixed_dictionaries({
    UsageCount.VIEWED_TODAY: st.booleans(), UsageCount.NAMED_DOCTORS_TODAY: COUNTS,
    UsageCount.UNNAMED_TODAY: COUNTS, UsageCount.VIEWS_EVER: COUNTS,
    UsageCount.DEBITS_LAST_HOUR: COUNTS,
    UsageCount.SPENT_TODAY: st.integers(min_value=0, max_value=3_000_000),
})


def outcome(rule: BillingRule, settings: BillingSettings, wallet: Wallet, usage: UsageSnapshot,
            quantity: int) -> ChargeDecision | tuple[str, str]:
    try:
        return decide_charge(rule, settings, wallet, usage, quantity=quantity, now=NOW)
    except DomainError as refusal:
        return refusal.code, refusal.message


def asked(rule: BillingRule, settings: BillingSettings, wallet: Wallet) -> frozenset[UsageCount]:
    return usage_query(rule, settings, wallet, "d1", now=NOW, local_date=NOW.date()).counts


@hypothesis_settings(max_examples=600, database=None)
@given(rules(), settings(), wallets(), counted, st.integers(min_value=1, max_value=6))
def test_deciding_with_only_the_counts_asked_decides_alike(rule, settings, wallet, counts, quantity):
    only = UsageSnapshot.of({count: value for count, value in counts.items()
                             if count in asked(rule, settings, wallet)})
    every = UsageSnapshot.of(counts)
    assert outcome(rule, settings, wallet, only, quantity) == outcome(rule, settings, wallet, every, quantity)


def test_a_paid_service_without_limits_asks_no_count():
    wallet = Wallet("u1", Currency.UZS, NOW, Money(0, Currency.UZS))
    consultation = BillingRule("consultation", Money(5_000_000, Currency.UZS), {"uz": "x"})
    assert asked(consultation, BillingSettings(), wallet) == frozenset()


def test_an_access_naming_no_doctor_counts_as_one_more_distinct_doctor():
    snapshot = UsageSnapshot.of({UsageCount.NAMED_DOCTORS_TODAY: 2, UsageCount.UNNAMED_TODAY: 3})
    assert snapshot.distinct_doctors_today == 5
