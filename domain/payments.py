"""Payments (top-ups), their gateway attempts, the state machine, and gateway commission.

A payment goes ``pending → processing → completed``; it may instead end ``failed``, ``cancelled``
or ``expired``, and a ``completed`` one may become ``refunded``. Every other change is refused.
Each gateway try is an ``Attempt``; one that fails or is cancelled before money moved puts the
payment back to ``pending`` so that a new attempt may follow.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from attrs import define, field, frozen

from domain.errors import AmountOutOfRange, InvalidTransition, PaymentExpired, ValidationError
from domain.money import Currency, Money, round_half_up


class PaymentStatus(enum.Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"

    @property
    def is_final(self) -> bool:
        return self not in (PaymentStatus.PENDING, PaymentStatus.PROCESSING)


_S = PaymentStatus
ALLOWED_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    _S.PENDING: frozenset({_S.PROCESSING, _S.CANCELLED, _S.EXPIRED, _S.FAILED}),
    _S.PROCESSING: frozenset({_S.COMPLETED, _S.PENDING, _S.CANCELLED, _S.EXPIRED, _S.FAILED}),
    _S.COMPLETED: frozenset({_S.REFUNDED}),
    _S.FAILED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.EXPIRED: frozenset(),
    _S.REFUNDED: frozenset(),
}


class PaymentType(enum.Enum):
    WALLET_CHARGE = "wallet_charge"
    SERVICE_PAYMENT = "service_payment"


class CommissionType(enum.Enum):
    PERCENTAGE = "percentage"
    FIXED = "fixed"
    COMBINED = "combined"


@define
class GatewayConfig:
    """A gateway's row: limits and commission. Credentials live in the environment, never here."""

    name: str
    display_name: str
    is_active: bool
    min_amount: Money
    max_amount: Money
    commission_type: CommissionType = CommissionType.PERCENTAGE
    commission_percentage: Decimal = Decimal("0")
    commission_fixed: Money = field()
    currencies: tuple[Currency, ...] = ()
    # An admin switched it off: credentials that appear later do not switch it back on (SPEC §17).
    switched_off: bool = False

    @commission_fixed.default
    def _no_fixed(self) -> Money:
        return Money.zero(self.min_amount.currency)

    @property
    def default_currency(self) -> Currency:
        return self.min_amount.currency

    def accepts(self, currency: Currency) -> bool:
        return currency is self.default_currency or currency in self.currencies

    def commission_for(self, amount: Money) -> Money:
        """Percentage, fixed, or both added; computed in Decimal and rounded half up once.

        Never negative: a row that would charge the payer less than the amount credited (a
        negative percentage or fixed part) is refused, so no payment is ever made from it."""
        percentage = self.commission_percentage if self.commission_type is not CommissionType.FIXED \
            else Decimal(0)
        fixed = self.commission_fixed.amount if self.commission_type is not CommissionType.PERCENTAGE \
            else Decimal(0)
        commission = round_half_up(amount.amount * percentage / 100 + fixed, amount.currency)
        if commission.minor < 0:
            raise ValidationError(f"{self.display_name}'s commission is misconfigured",
                                  field="gateway")
        return commission

    def ensure_in_limits(self, amount: Money) -> None:
        if amount.currency is not self.default_currency and amount.currency not in self.currencies:
            raise ValidationError(
                f"{self.display_name} does not accept {amount.currency.value}", field="currency"
            )
        if amount.currency is self.default_currency and not (
            self.min_amount <= amount <= self.max_amount
        ):
            raise AmountOutOfRange(
                f"Amount must be between {self.min_amount.amount} and {self.max_amount.amount}",
                field="amount", min_amount=self.min_amount.amount, max_amount=self.max_amount.amount,
            )


class AttemptStatus(enum.Enum):
    OPEN = "open"  # the gateway holds it (Click prepared, Payme state 1, a redirect session)
    COMPLETED = "completed"  # money moved: the payment was credited through this attempt
    CANCELLED = "cancelled"  # ended before money moved
    FAILED = "failed"
    REFUNDED = "refunded"  # completed, then reversed (Payme state -2, admin refund)


@define
class Attempt:
    """One gateway try under a payment: a Click prepare, a Payme transaction, a redirect session.

    ``external_id`` is the gateway's own id (kept as text: Click ids can pass 2^53).
    ``external_time`` is the gateway's own time in Unix milliseconds where it sends one (Payme).
    """

    id: UUID
    payment_id: UUID
    gateway: str
    external_id: str
    created_at: datetime
    status: AttemptStatus = AttemptStatus.OPEN
    external_time: int | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: int | None = None

    def complete(self, now: datetime) -> None:
        self._require(AttemptStatus.OPEN)
        self.status, self.completed_at = AttemptStatus.COMPLETED, now

    def cancel(self, now: datetime, reason: int | None = None) -> None:
        self._require(AttemptStatus.OPEN)
        self.status, self.cancelled_at, self.cancel_reason = AttemptStatus.CANCELLED, now, reason

    def refund(self, now: datetime, reason: int | None = None) -> None:
        self._require(AttemptStatus.COMPLETED)
        self.status, self.cancelled_at, self.cancel_reason = AttemptStatus.REFUNDED, now, reason

    def _require(self, status: AttemptStatus) -> None:
        if self.status is not status:
            raise InvalidTransition(f"Attempt is {self.status.value}, not {status.value}")


@define
class Payment:
    """A user's request to put money into a wallet through a gateway."""

    id: UUID
    reference_number: str
    user_id: str
    gateway: str
    amount: Money
    commission: Money
    created_at: datetime
    expires_at: datetime
    status: PaymentStatus = PaymentStatus.PENDING
    payment_type: PaymentType = PaymentType.WALLET_CHARGE
    description: str = ""
    callback_url: str = ""
    return_url: str = ""
    external_id: str = ""  # a redirect gateway's session id (medogram's id_get)
    tracking_code: str = ""
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def currency(self) -> Currency:
        return self.amount.currency

    @property
    def total_amount(self) -> Money:
        """What the payer pays the gateway: amount + commission."""
        return self.amount + self.commission

    def is_due_to_expire(self, now: datetime) -> bool:
        return self.status in (PaymentStatus.PENDING, PaymentStatus.PROCESSING) \
            and now >= self.expires_at

    def expire_if_due(self, now: datetime) -> bool:
        """Write down expiry when its time has passed; True if the payment just expired."""
        if not self.is_due_to_expire(now):
            return False
        self._move(PaymentStatus.EXPIRED, now)
        return True

    def ensure_open_for_gateway(self, now: datetime) -> None:
        """A gateway may act on the payment only while it is pending or processing and in time."""
        if self.expire_if_due(now) or self.status is PaymentStatus.EXPIRED:
            raise PaymentExpired()
        if self.status not in (PaymentStatus.PENDING, PaymentStatus.PROCESSING):
            raise InvalidTransition(f"Payment is {self.status.value}")

    def start_processing(self, now: datetime) -> None:
        self.ensure_open_for_gateway(now)
        if self.status is PaymentStatus.PENDING:
            self._move(PaymentStatus.PROCESSING, now)

    def release(self, now: datetime) -> None:
        """An attempt ended before money moved: back to pending, ready for another attempt."""
        if self.status is PaymentStatus.PROCESSING:
            self._move(PaymentStatus.PENDING, now)

    def complete(self, now: datetime) -> None:
        self.ensure_open_for_gateway(now)
        if self.status is PaymentStatus.PENDING:
            self._move(PaymentStatus.PROCESSING, now)
        self._move(PaymentStatus.COMPLETED, now)
        self.completed_at = now

    def cancel(self, now: datetime) -> None:
        if self.expire_if_due(now):
            raise PaymentExpired()
        self._move(PaymentStatus.CANCELLED, now)
        self.cancelled_at = now

    def fail(self, now: datetime) -> None:
        self._move(PaymentStatus.FAILED, now)

    def refund(self, now: datetime) -> None:
        self._move(PaymentStatus.REFUNDED, now)
        self.cancelled_at = now

    def _move(self, to: PaymentStatus, now: datetime) -> None:
        if to not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"Payment cannot go from {self.status.value} to {to.value}",
                status=self.status.value,
            )
        self.status = to
        self.updated_at = now


def reference_number(now: datetime, random_hex: str) -> str:
    """``PAY-<unix seconds>-<8 upper-case hex>``."""
    if len(random_hex) != 8:
        raise ValueError("reference numbers take 8 hex digits")
    return f"PAY-{int(now.timestamp())}-{random_hex.upper()}"


def expiry(now: datetime, ttl_seconds: int) -> datetime:
    return now + timedelta(seconds=ttl_seconds)


@frozen
class PaymentLog:
    """One recorded step of a payment (SPEC §8). ``payload`` is plain here; adapters encrypt it."""

    id: UUID
    payment_id: UUID
    type: str  # request | callback | verification | error | state_change
    created_at: datetime
    message: str = ""
    http_status: int | None = None
    payload: str = ""


LOG_TYPES = frozenset({"request", "callback", "verification", "error", "state_change"})
