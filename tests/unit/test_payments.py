"""Payments (SPEC §3): the whole state machine, expiry, attempts, commission, limits, references."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import product
from uuid import uuid4

import pytest

from domain.errors import AmountOutOfRange, InvalidTransition, PaymentExpired, ValidationError
from domain.money import Currency, Money
from domain.payments import (
    ALLOWED_TRANSITIONS,
    Attempt,
    AttemptStatus,
    CommissionType,
    GatewayConfig,
    Payment,
    PaymentStatus,
    expiry,
    reference_number,
)

S = PaymentStatus
UZS = Currency.UZS
CREATED = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
IN_TIME = CREATED + timedelta(minutes=10)
TOO_LATE = CREATED + timedelta(seconds=1800)

# The table as SPEC §3 words it, written out independently of the code.
SPEC_TRANSITIONS = {
    (S.PENDING, S.PROCESSING), (S.PENDING, S.CANCELLED), (S.PENDING, S.EXPIRED), (S.PENDING, S.FAILED),
    (S.PROCESSING, S.COMPLETED), (S.PROCESSING, S.PENDING), (S.PROCESSING, S.CANCELLED),
    (S.PROCESSING, S.EXPIRED), (S.PROCESSING, S.FAILED),
    (S.COMPLETED, S.REFUNDED),
}


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), UZS)


def payment(status: PaymentStatus = S.PENDING) -> Payment:
    return Payment(uuid4(), "PAY-1768460400-0A1B2C3D", "user-1", "click", uzs("10000"), uzs("250"),
                   CREATED, expiry(CREATED, 1800), status=status, updated_at=CREATED)


# --- the transition table ---------------------------------------------------------------------

def test_the_allowed_transitions_are_exactly_the_spec_table() -> None:
    assert {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets} == SPEC_TRANSITIONS
    assert set(ALLOWED_TRANSITIONS) == set(PaymentStatus)


@pytest.mark.parametrize(("source", "target"), list(product(PaymentStatus, PaymentStatus)),
                         ids=lambda s: s.value)
def test_every_pair_of_statuses_is_allowed_or_refused_as_the_table_says(
        source: PaymentStatus, target: PaymentStatus) -> None:
    subject = payment(source)
    if (source, target) in SPEC_TRANSITIONS:
        subject._move(target, IN_TIME)
        assert (subject.status, subject.updated_at) == (target, IN_TIME)
    else:
        with pytest.raises(InvalidTransition):
            subject._move(target, IN_TIME)
        assert (subject.status, subject.updated_at) == (source, CREATED)


def test_final_statuses() -> None:
    assert {s for s in PaymentStatus if s.is_final} == set(PaymentStatus) - {S.PENDING, S.PROCESSING}


# --- the public methods, from every status ----------------------------------------------------

Step = Callable[[Payment], object]
STEPS: dict[str, Step] = {
    "start_processing": lambda p: p.start_processing(IN_TIME),
    "complete": lambda p: p.complete(IN_TIME),
    "release": lambda p: p.release(IN_TIME),
    "cancel": lambda p: p.cancel(IN_TIME),
    "fail": lambda p: p.fail(IN_TIME),
    "refund": lambda p: p.refund(IN_TIME),
    "expire_if_due": lambda p: p.expire_if_due(TOO_LATE),
}
OPEN = (S.PENDING, S.PROCESSING)


def outcome(source: PaymentStatus, step: str) -> PaymentStatus | type[Exception]:
    """What each public method does from each status (a status, or the refusal raised)."""
    if step in ("start_processing", "complete"):
        if source in OPEN:
            return S.PROCESSING if step == "start_processing" else S.COMPLETED
        return PaymentExpired if source is S.EXPIRED else InvalidTransition
    if step == "release":
        return S.PENDING if source is S.PROCESSING else source  # a no-op otherwise
    if step == "expire_if_due":
        return S.EXPIRED if source in OPEN else source
    if step in ("cancel", "fail"):
        return (S.CANCELLED if step == "cancel" else S.FAILED) if source in OPEN else InvalidTransition
    return S.REFUNDED if source is S.COMPLETED else InvalidTransition


@pytest.mark.parametrize(("source", "step"), list(product(PaymentStatus, STEPS)),
                         ids=lambda x: getattr(x, "value", x))
def test_public_methods_from_every_status(source: PaymentStatus, step: str) -> None:
    subject = payment(source)
    expected = outcome(source, step)
    if isinstance(expected, PaymentStatus):
        STEPS[step](subject)
        assert subject.status is expected
    else:
        with pytest.raises(expected) as refused:
            STEPS[step](subject)
        assert type(refused.value) is expected
        assert (subject.status, subject.updated_at) == (source, CREATED)


def test_completion_and_cancellation_record_their_times() -> None:
    completed = payment(S.PROCESSING)
    completed.complete(IN_TIME)
    assert completed.completed_at == IN_TIME and completed.cancelled_at is None
    cancelled = payment()
    cancelled.cancel(IN_TIME)
    assert cancelled.cancelled_at == IN_TIME and cancelled.completed_at is None
    completed.refund(IN_TIME + timedelta(days=3))
    assert completed.cancelled_at == IN_TIME + timedelta(days=3)


def test_release_puts_a_processing_payment_back_to_pending_for_a_new_attempt() -> None:
    subject = payment(S.PROCESSING)
    subject.release(IN_TIME)
    assert subject.status is S.PENDING
    subject.start_processing(IN_TIME)
    subject.complete(IN_TIME)
    assert subject.status is S.COMPLETED


def test_total_amount_is_amount_plus_commission() -> None:
    assert payment().total_amount == uzs("10250")
    assert payment().currency is UZS


# --- expiry -----------------------------------------------------------------------------------

def test_a_payment_is_due_to_expire_from_its_expiry_time_on() -> None:
    subject = payment()
    assert subject.expires_at == CREATED + timedelta(seconds=1800)
    assert not subject.is_due_to_expire(TOO_LATE - timedelta(microseconds=1))
    assert subject.is_due_to_expire(TOO_LATE)
    assert not subject.expire_if_due(TOO_LATE - timedelta(microseconds=1))
    assert subject.status is S.PENDING
    assert subject.expire_if_due(TOO_LATE)
    assert (subject.status, subject.updated_at) == (S.EXPIRED, TOO_LATE)
    assert not subject.expire_if_due(TOO_LATE)  # written down once


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize("step", ["ensure_open_for_gateway", "start_processing", "complete", "cancel"])
def test_a_late_gateway_step_writes_down_expiry_and_is_refused(status: PaymentStatus, step: str) -> None:
    subject = payment(status)
    with pytest.raises(PaymentExpired):
        getattr(subject, step)(TOO_LATE)
    assert subject.status is S.EXPIRED
    assert subject.completed_at is None and subject.cancelled_at is None


def test_an_expired_payment_stays_refused_for_gateways() -> None:
    subject = payment(S.EXPIRED)
    with pytest.raises(PaymentExpired):
        subject.ensure_open_for_gateway(IN_TIME)


@pytest.mark.parametrize("status", [S.COMPLETED, S.FAILED, S.CANCELLED, S.REFUNDED])
def test_a_closed_payment_is_refused_for_gateways_but_never_expires(status: PaymentStatus) -> None:
    subject = payment(status)
    assert not subject.is_due_to_expire(TOO_LATE + timedelta(days=30))
    with pytest.raises(InvalidTransition) as refused:
        subject.ensure_open_for_gateway(TOO_LATE)
    assert type(refused.value) is InvalidTransition
    assert subject.status is status


def test_a_completed_payment_can_be_refunded_long_after_its_expiry_time() -> None:
    subject = payment(S.COMPLETED)
    subject.refund(TOO_LATE + timedelta(days=30))
    assert subject.status is S.REFUNDED


# --- attempts ---------------------------------------------------------------------------------

A = AttemptStatus
ATTEMPT_STEPS = {"complete": A.COMPLETED, "cancel": A.CANCELLED, "refund": A.REFUNDED}
ATTEMPT_ALLOWED = {(A.OPEN, "complete"), (A.OPEN, "cancel"), (A.COMPLETED, "refund")}


@pytest.mark.parametrize(("source", "step"), list(product(AttemptStatus, ATTEMPT_STEPS)),
                         ids=lambda x: getattr(x, "value", x))
def test_attempt_transitions(source: AttemptStatus, step: str) -> None:
    attempt = Attempt(uuid4(), uuid4(), "payme", "ext-1", CREATED, status=source)
    if (source, step) in ATTEMPT_ALLOWED:
        getattr(attempt, step)(IN_TIME)
        assert attempt.status is ATTEMPT_STEPS[step]
    else:
        with pytest.raises(InvalidTransition):
            getattr(attempt, step)(IN_TIME)
        assert attempt.status is source
        assert attempt.completed_at is None and attempt.cancelled_at is None


def test_attempt_times_and_reasons() -> None:
    attempt = Attempt(uuid4(), uuid4(), "payme", "ext-1", CREATED, external_time=1_768_460_400_000)
    assert attempt.status is A.OPEN
    attempt.complete(IN_TIME)
    assert attempt.completed_at == IN_TIME
    attempt.refund(TOO_LATE, reason=5)
    assert (attempt.status, attempt.cancelled_at, attempt.cancel_reason) == (A.REFUNDED, TOO_LATE, 5)
    cancelled = Attempt(uuid4(), uuid4(), "payme", "ext-2", CREATED)
    cancelled.cancel(IN_TIME, reason=4)
    assert (cancelled.cancelled_at, cancelled.cancel_reason) == (IN_TIME, 4)


# --- commission and limits --------------------------------------------------------------------

def gateway(commission_type: CommissionType = CommissionType.PERCENTAGE, percentage: str = "2.5",
            fixed: str = "500", currency: Currency = UZS,
            currencies: tuple[Currency, ...] = ()) -> GatewayConfig:
    return GatewayConfig("click", "Click", True, Money.of(1_000, currency),
                         Money.of(10_000_000, currency), commission_type, Decimal(percentage),
                         Money.of(Decimal(fixed), currency), currencies)


@pytest.mark.parametrize(("kind", "amount", "commission"), [
    (CommissionType.PERCENTAGE, "10001.00", "250.03"),
    (CommissionType.PERCENTAGE, "1000.20", "25.01"),  # 25.005 → half up
    (CommissionType.PERCENTAGE, "1000.00", "25.00"),
    (CommissionType.FIXED, "10001.00", "500.00"),
    (CommissionType.FIXED, "1000.00", "500.00"),
    (CommissionType.COMBINED, "10001.00", "750.03"),
    (CommissionType.COMBINED, "1000.20", "525.01"),
])
def test_commission_is_rounded_half_up_once(kind: CommissionType, amount: str, commission: str) -> None:
    assert gateway(kind).commission_for(uzs(amount)) == uzs(commission)


def test_commission_with_nothing_configured_is_zero() -> None:
    assert gateway(percentage="0", fixed="0").commission_for(uzs("10000")) == Money.zero(UZS)
    assert GatewayConfig("x", "X", True, uzs("1"), uzs("2")).commission_fixed == Money.zero(UZS)


def test_commission_in_rials_rounds_to_whole_rials() -> None:
    irr = gateway(percentage="2.5", fixed="0", currency=Currency.IRR)
    assert irr.commission_for(Money(10_001, Currency.IRR)) == Money(250, Currency.IRR)  # 250.025
    assert irr.commission_for(Money(10_020, Currency.IRR)) == Money(251, Currency.IRR)  # 250.5


@pytest.mark.parametrize("amount", ["1000", "1000.00", "5000.50", "10000000", "10000000.00"])
def test_limits_are_inclusive(amount: str) -> None:
    gateway().ensure_in_limits(uzs(amount))


@pytest.mark.parametrize("amount", ["999.99", "10000000.01", "0.01", "1"])
def test_amounts_outside_the_limits_are_refused(amount: str) -> None:
    with pytest.raises(AmountOutOfRange) as refused:
        gateway().ensure_in_limits(uzs(amount))
    assert refused.value.details["min_amount"] == Decimal("1000.00")
    assert refused.value.details["max_amount"] == Decimal("10000000.00")


def test_a_currency_the_gateway_does_not_take_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        gateway().ensure_in_limits(Money.of(5_000, Currency.USD))
    assert type(refused.value) is ValidationError and refused.value.field == "currency"
    assert not gateway().accepts(Currency.USD)
    assert gateway().accepts(UZS)
    assert gateway(currencies=(Currency.USD,)).accepts(Currency.USD)
    assert gateway().default_currency is UZS


# --- reference numbers ------------------------------------------------------------------------

def test_reference_numbers_are_pay_unix_seconds_and_eight_upper_hex() -> None:
    now = datetime(2026, 1, 15, 7, 0, 30, 999_000, tzinfo=UTC)
    reference = reference_number(now, "0a1b2c3d")
    assert re.fullmatch(r"PAY-\d+-[0-9A-F]{8}", reference)
    assert reference == f"PAY-{int(now.timestamp())}-0A1B2C3D" == "PAY-1768460430-0A1B2C3D"


@pytest.mark.parametrize("random_hex", ["", "abc", "0a1b2c3", "0a1b2c3d4"])
def test_reference_numbers_need_exactly_eight_hex_digits(random_hex: str) -> None:
    with pytest.raises(ValueError):
        reference_number(CREATED, random_hex)
