"""Pay-per-use billing: rules with volume discounts, settings, and the charge decision.

The decision is a pure function of the rule, the settings, the wallet and a snapshot of the user's
usage; the application gathers the snapshot inside the unit of work that then applies the result.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from attrs import define, field, frozen

from domain.errors import (
    AmountOutOfRange,
    BillingLimitExceeded,
    BillingMaintenance,
    ValidationError,
)
from domain.ledger import Wallet
from domain.money import Currency, Money, round_half_up

DOCTOR_VIEW = "doctor_view"
MAX_QUANTITY = 10_000


@define
class BillingRule:
    """The price of one service. ``service_names`` holds the localized names by language code."""

    service_type: str
    price: Money
    service_names: dict[str, str] = field(factory=dict)
    discount_percentage: Decimal = Decimal("0")
    min_quantity_for_discount: int = 0
    is_active: bool = True

    def service_name(self, language: str = "uz") -> str:
        return self.service_names.get(language) or self.service_names.get("uz") \
            or next(iter(self.service_names.values()), self.service_type)

    @property
    def has_discount(self) -> bool:
        return self.min_quantity_for_discount > 0 and self.discount_percentage > 0

    def exact_unit_price(self, quantity: int) -> Decimal:
        price = self.price.amount
        if self.has_discount and quantity >= self.min_quantity_for_discount:
            return price * (100 - self.discount_percentage) / 100
        return price

    def unit_price(self, quantity: int) -> Money:
        return round_half_up(self.exact_unit_price(quantity), self.price.currency)

    def total(self, quantity: int) -> Money:
        """The exact unit price × quantity, rounded half up once."""
        return round_half_up(self.exact_unit_price(quantity) * quantity, self.price.currency)

    def effective_prices(self) -> dict[str, Money]:
        """Unit prices at 1, the discount threshold and twice it; only ``"1"`` without a discount."""
        if not self.has_discount:
            return {"1": self.unit_price(1)}
        quantities = (1, self.min_quantity_for_discount, 2 * self.min_quantity_for_discount)
        return {str(q): self.unit_price(q) for q in quantities}


def _uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), Currency.UZS)


DEFAULT_RULES: tuple[tuple[str, str, dict[str, str], str, int], ...] = (
    (DOCTOR_VIEW, "5000", {"uz": "Shifokor profilini ko'rish", "ru": "Просмотр профиля врача",
                           "en": "Doctor profile view", "fa": "مشاهده پروفایل پزشک"}, "10", 5),
    ("consultation", "50000", {"uz": "Konsultatsiya", "ru": "Консультация",
                               "en": "Consultation", "fa": "مشاوره"}, "0", 0),
    ("chat_message", "1000", {"uz": "Chat xabari", "ru": "Сообщение в чате",
                              "en": "Chat message", "fa": "پیام گفتگو"}, "10", 10),
    ("ai_diagnosis", "10000", {"uz": "AI tashxis", "ru": "ИИ-диагностика",
                               "en": "AI diagnosis", "fa": "تشخیص هوش مصنوعی"}, "0", 0),
    ("prescription", "5000", {"uz": "Retsept", "ru": "Рецепт",
                              "en": "Prescription", "fa": "نسخه"}, "0", 0),
)


def default_rules() -> list[BillingRule]:
    return [
        BillingRule(service_type, _uzs(price), dict(names), Decimal(discount), min_quantity)
        for service_type, price, names, discount, min_quantity in DEFAULT_RULES
    ]


@define
class BillingSettings:
    """One row, admin-editable. Amounts bind wallets of the default currency."""

    currency: Currency = Currency.UZS
    enable_billing: bool = True
    maintenance_mode: bool = False
    free_views_per_day: int = 3
    free_views_for_new_users: int = 5
    new_user_days: int = 7
    min_wallet_topup: Money | None = None
    max_wallet_balance: Money | None = None
    max_debits_per_hour: int | None = None
    daily_spending_limit: Money | None = None

    def __attrs_post_init__(self) -> None:
        if self.min_wallet_topup is None:
            self.min_wallet_topup = Money.of(10_000, self.currency)
        if self.max_wallet_balance is None:
            self.max_wallet_balance = Money.of(1_000_000, self.currency)

    def binds(self, currency: Currency) -> bool:
        return currency is self.currency

    def ensure_topup_allowed(self, amount: Money) -> None:
        """A top-up in the default currency must reach ``min_wallet_topup``."""
        if self.binds(amount.currency) and self.min_wallet_topup is not None \
                and amount < self.min_wallet_topup:
            raise AmountOutOfRange(
                f"Minimum top-up is {self.min_wallet_topup.amount}", field="amount",
                min_amount=self.min_wallet_topup.amount,
            )


class UsageCount(enum.Enum):
    """One of the counts of a ``UsageSnapshot``, named by its field."""

    VIEWED_TODAY = "viewed_this_doctor_today"
    DISTINCT_TODAY = "distinct_doctors_today"
    VIEWS_EVER = "views_ever"
    DEBITS_LAST_HOUR = "debits_last_hour"
    SPENT_TODAY = "spent_today"


EVERY_COUNT = frozenset(UsageCount)


@frozen
class UsageSnapshot:
    """What the charge decision needs to know of a user's past usage, read in the same unit of work."""

    viewed_this_doctor_today: bool = False
    distinct_doctors_today: int = 0
    views_ever: int = 0  # every non-repeat doctor view, free or paid
    debits_last_hour: int = 0
    spent_today: int = 0  # minor units of the wallet's currency

    @classmethod
    def of(cls, counted: Mapping[UsageCount, int | bool]) -> UsageSnapshot:
        """The snapshot of the counts a storage counted (the others at zero)."""
        return cls(bool(counted.get(UsageCount.VIEWED_TODAY, False)),
                   int(counted.get(UsageCount.DISTINCT_TODAY, 0)),
                   int(counted.get(UsageCount.VIEWS_EVER, 0)),
                   int(counted.get(UsageCount.DEBITS_LAST_HOUR, 0)),
                   int(counted.get(UsageCount.SPENT_TODAY, 0)))


class FreeReason(enum.Enum):
    BILLING_DISABLED = "billing_disabled"
    REPEAT_VIEW = "repeat_view"
    DAILY_QUOTA = "daily_quota"
    NEW_USER = "new_user"
    FULL_DISCOUNT = "full_discount"  # the discounted total rounds to zero: nothing to debit


@frozen
class ChargeDecision:
    """``amount`` is None for a free access (``free_reason`` says why)."""

    unit_price: Money
    quantity: int
    amount: Money | None
    free_reason: FreeReason | None = None

    @property
    def is_free(self) -> bool:
        return self.amount is None


def decide_charge(
    rule: BillingRule,
    settings: BillingSettings,
    wallet: Wallet,
    usage: UsageSnapshot,
    *,
    quantity: int,
    now: datetime,
) -> ChargeDecision:
    """Decide a charge in the spec's order, or raise the refusal.

    A blocked wallet is refused first (403, free accesses included); then: billing disabled → free;
    maintenance → refused; a doctor already viewed today → free; under the daily free quota → free;
    a new user under the new-user quota → free; a total that rounds to zero (a 100 % discount) →
    free, since a transfer moves a positive amount; otherwise paid: refused when the wallet cannot
    pay (402), then when an hourly or daily limit would be passed (429).
    """
    ensure_quantity(quantity)
    wallet.ensure_not_blocked()
    unit_price = rule.unit_price(quantity)
    free = _free_reason(rule, settings, wallet, usage, now)
    if free is not None:
        return ChargeDecision(unit_price, quantity, None, free)
    amount = rule.total(quantity)
    if not amount.is_positive:
        return ChargeDecision(unit_price, quantity, None, FreeReason.FULL_DISCOUNT)
    wallet.ensure_can_pay(amount)
    _ensure_within_limits(settings, wallet, usage, amount)
    return ChargeDecision(unit_price, quantity, amount)


def usage_needed(rule: BillingRule, settings: BillingSettings, wallet: Wallet, *,
                 now: datetime) -> frozenset[UsageCount]:
    """The counts ``decide_charge`` will read for this rule, settings and wallet (the others may be
    left at zero): the doctor counts only for a doctor view that billing may make free, views ever
    only for a user still new, each limit's count only when that limit is set for the wallet."""
    needed = set()
    if rule.service_type == DOCTOR_VIEW and settings.enable_billing and not settings.maintenance_mode:
        needed |= {UsageCount.VIEWED_TODAY, UsageCount.DISTINCT_TODAY}
        if now - wallet.created_at <= timedelta(days=settings.new_user_days):
            needed.add(UsageCount.VIEWS_EVER)
    if settings.max_debits_per_hour is not None:
        needed.add(UsageCount.DEBITS_LAST_HOUR)
    if settings.daily_spending_limit is not None and settings.binds(wallet.currency):
        needed.add(UsageCount.SPENT_TODAY)
    return frozenset(needed)


def _free_reason(
    rule: BillingRule, settings: BillingSettings, wallet: Wallet, usage: UsageSnapshot,
    now: datetime,
) -> FreeReason | None:
    if not settings.enable_billing:
        return FreeReason.BILLING_DISABLED
    if settings.maintenance_mode:
        raise BillingMaintenance()
    if rule.service_type != DOCTOR_VIEW:
        return None
    if usage.viewed_this_doctor_today:
        return FreeReason.REPEAT_VIEW
    if usage.distinct_doctors_today < settings.free_views_per_day:
        return FreeReason.DAILY_QUOTA
    is_new = now - wallet.created_at <= timedelta(days=settings.new_user_days)
    if is_new and usage.views_ever < settings.free_views_for_new_users:
        return FreeReason.NEW_USER
    return None


def _ensure_within_limits(
    settings: BillingSettings, wallet: Wallet, usage: UsageSnapshot, amount: Money
) -> None:
    if settings.max_debits_per_hour is not None and \
            usage.debits_last_hour + 1 > settings.max_debits_per_hour:
        raise BillingLimitExceeded("Hourly charge limit reached", limit="max_debits_per_hour")
    limit = settings.daily_spending_limit
    if limit is not None and settings.binds(wallet.currency) and \
            usage.spent_today + amount.minor > limit.minor:
        raise BillingLimitExceeded("Daily spending limit reached", limit="daily_spending_limit")


def ensure_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or \
            not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(f"quantity must be a whole number from 1 to {MAX_QUANTITY}",
                              field="quantity")
    return quantity


@frozen
class Usage:
    """One recorded access to a service, free or paid (free ones count against quotas too)."""

    id: UUID
    user_id: str
    service_type: str
    quantity: int
    currency: Currency
    local_date: date  # the platform's calendar day of ``created_at``
    created_at: datetime
    related_object_id: str = ""
    amount: int = 0  # minor units charged; 0 when free
    transfer_id: UUID | None = None
    free_reason: FreeReason | None = None

    @property
    def charged(self) -> bool:
        return self.transfer_id is not None

    @property
    def is_repeat(self) -> bool:
        return self.free_reason is FreeReason.REPEAT_VIEW
