"""Pay-per-use billing: rules with volume discounts, settings, and the charge decision.

The decision is a pure function of the rule, the settings, the wallet and a snapshot of the user's
usage; the application gathers the snapshot inside the unit of work that then applies the result.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from attrs import define, field, frozen

from domain.errors import (
    AmountOutOfRange,
    BillingLimitExceeded,
    BillingMaintenance,
    ValidationError,
)
from domain.fiscal import DEFAULT_VAT_PERCENT, FiscalCodes
from domain.ledger import Wallet
from domain.money import Currency, Money, round_half_up
from domain.usage import (
    DOCTOR_VIEW,
    DOCTORS_TODAY,
    FreeReason,
    UsageCount,
    UsageQuery,
    UsageSnapshot,
)

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
    # Its receipt line's codes (SPEC §14): the product (MXIK) code, the package code, the VAT rate.
    mxik_code: str = ""
    package_code: str = ""
    vat_percent: int = DEFAULT_VAT_PERCENT

    @property
    def fiscal_codes(self) -> FiscalCodes:
        return FiscalCodes(self.mxik_code, self.package_code, self.vat_percent)

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
    # ``wallet.low_balance`` is sent when a wallet of this currency falls below it (None: never).
    low_balance_threshold: Money | None = None
    # A top-up's receipt (SPEC §14): its codes and title, and the merchant's tax number (TIN).
    topup_mxik_code: str = ""
    topup_package_code: str = ""
    topup_vat_percent: int = DEFAULT_VAT_PERCENT
    topup_receipt_title: str = ""
    fiscal_tin: str = ""

    @property
    def topup_codes(self) -> FiscalCodes:
        return FiscalCodes(self.topup_mxik_code, self.topup_package_code, self.topup_vat_percent)

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


def charge_description(service_name: str, related_object_id: str) -> str:
    """A charge's wallet line: the service's name, and the object it was for, if any."""
    return f"{service_name} (ID: {related_object_id})" if related_object_id else service_name


def usage_query(rule: BillingRule, settings: BillingSettings, wallet: Wallet, related_object_id: str,
                *, now: datetime, local_date: date) -> UsageQuery:
    """The question ``decide_charge`` asks of the wallet owner's usage for this rule, settings and
    wallet: only the counts it will read (the others may be left at zero): the doctor counts for a
    doctor view that billing may make free, views ever for a user still new, each limit's count
    when that limit is set for the wallet."""
    needed: set[UsageCount] = set()
    if rule.service_type == DOCTOR_VIEW and settings.enable_billing and not settings.maintenance_mode:
        needed |= {UsageCount.VIEWED_TODAY, *DOCTORS_TODAY}
        if now - wallet.created_at <= timedelta(days=settings.new_user_days):
            needed.add(UsageCount.VIEWS_EVER)
    if settings.max_debits_per_hour is not None:
        needed.add(UsageCount.DEBITS_LAST_HOUR)
    if settings.daily_spending_limit is not None and settings.binds(wallet.currency):
        needed.add(UsageCount.SPENT_TODAY)
    return UsageQuery(wallet.user_id, rule.service_type, related_object_id, wallet.currency, local_date,
                      now - timedelta(hours=1), frozenset(needed))


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


