"""A plain model of what Hamyon must hold after any sequence of top-ups, charges, refunds and
adjustments: each wallet's balance, each account's entry sum, each payment's and attempt's status.

Expiry is modelled eagerly (a payment past its ``expires_at`` *is* expired, its open attempts
cancelled); Hamyon writes it down lazily, so the runner compares *effective* states.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from attrs import define, field

from domain.ledger import Account
from domain.money import Currency
from domain.usage import UsageSnapshot

OPEN = ("pending", "processing")
TASHKENT = ZoneInfo("Asia/Tashkent")


@define
class PaymentModel:
    id: UUID
    user: str
    amount: int  # minor units
    commission: int
    expires_at: datetime
    status: str = "processing"
    attempts: list[str] = field(factory=list)


@define
class UsageModel:
    user: str
    service: str
    related: str
    day: date
    created_at: datetime
    amount: int  # minor units; 0 when free
    charged: bool
    repeat: bool


@define
class Model:
    created_at: datetime  # when every user's default-currency wallet sprang into being
    balances: dict[tuple[str, Currency], int] = field(factory=dict)
    payments: list[PaymentModel] = field(factory=list)
    attempts: dict[str, str] = field(factory=dict)  # external id → status
    usages: list[UsageModel] = field(factory=list)
    revenue: dict[str, int] = field(factory=dict)
    adjustments: dict[Currency, int] = field(factory=dict)
    blocked: set[str] = field(factory=set)

    def balance(self, user: str, currency: Currency = Currency.UZS) -> int:
        return self.balances.get((user, currency), 0)

    def move(self, user: str, minor: int, currency: Currency = Currency.UZS) -> None:
        self.balances[(user, currency)] = self.balance(user, currency) + minor
        assert self.balances[(user, currency)] >= 0, "the model itself overdrew a wallet"

    def expire_due(self, now: datetime) -> None:
        """A payment past its TTL is expired and its open attempts cancelled (SPEC §3)."""
        for payment in self.payments:
            if payment.status in OPEN and now >= payment.expires_at:
                payment.status = "expired"
                self.cancel_open_attempts(payment)

    def cancel_open_attempts(self, payment: PaymentModel) -> None:
        for external_id in payment.attempts:
            if self.attempts[external_id] == "open":
                self.attempts[external_id] = "cancelled"

    def payment_of(self, external_id: str) -> PaymentModel:
        return next(p for p in self.payments if external_id in p.attempts)

    def snapshot(self, user: str, service: str, related: str, now: datetime) -> UsageSnapshot:
        """The usage counts SPEC §5 (and the storage contract) define, from the model's records."""
        today = local_date(now)
        mine = [u for u in self.usages if u.user == user]
        same_day = [u for u in mine if u.service == service and u.day == today]
        return UsageSnapshot(
            viewed_this_doctor_today=bool(related) and any(u.related == related for u in same_day),
            distinct_doctors_today=len({u.related for u in same_day if u.related})
            + sum(1 for u in same_day if not u.related),
            views_ever=sum(1 for u in mine if u.service == service and not u.repeat),
            debits_last_hour=sum(1 for u in mine if u.charged
                                 and u.created_at >= now - timedelta(hours=1)),
            spent_today=sum(u.amount for u in mine if u.day == today),
        )

    def entry_sums(self, gateway: str) -> dict[Account, int]:
        """What every account's entries must sum to."""
        sums: dict[Account, int] = {}

        def add(account: Account, minor: int) -> None:
            sums[account] = sums.get(account, 0) + minor

        for (user, currency), balance in self.balances.items():
            add(Account.wallet(user, currency), balance)
        for payment in self.payments:
            if payment.status == "completed":
                add(Account.clearing(gateway, Currency.UZS), -payment.amount - payment.commission)
                add(Account.commission(Currency.UZS), payment.commission)
        for service, total in self.revenue.items():
            add(Account.revenue(service, Currency.UZS), total)
        for currency, total in self.adjustments.items():
            add(Account.adjustments(currency), -total)
        return sums


def local_date(moment: datetime) -> date:
    return moment.astimezone(TASHKENT).date()
