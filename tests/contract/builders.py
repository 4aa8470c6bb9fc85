"""Domain objects for the contract suite, built at fixed, timezone-aware UTC moments."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.billing import BillingRule
from domain.doctors import Doctor
from domain.events import Delivery, Event, WebhookEndpoint
from domain.holds import Hold
from domain.journal import AuditEntry, IdempotencyRecord
from domain.ledger import Account, AccountKind, Posting, Transfer, TransferKind, Wallet, post
from domain.money import Currency, Money
from domain.payments import Attempt, AttemptStatus, GatewayConfig, Payment, PaymentLog, PaymentStatus
from domain.usage import DOCTOR_VIEW, FreeReason, Usage
from ports.storage import UnitOfWork

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 1)
UZS = Currency.UZS


def minutes(n: float) -> datetime:
    """``n`` minutes after ``NOW`` (before it when negative)."""
    return NOW + timedelta(minutes=n)


def uzs(minor: int) -> Money:
    return Money(minor, UZS)


def payment(
    user_id: str = "u1", *, created_at: datetime = NOW, status: PaymentStatus = PaymentStatus.PENDING,
    gateway: str = "click", amount: int = 5_000_000, **fields: Any,
) -> Payment:
    """A pending 50 000 UZS top-up through Click, expiring 30 minutes after it was created."""
    return Payment(
        uuid.uuid4(), f"PAY-{int(created_at.timestamp())}-{uuid.uuid4().hex[:8].upper()}", user_id,
        gateway, uzs(amount), uzs(amount // 100), created_at, created_at + timedelta(minutes=30),
        status, **fields,
    )


def attempt(
    paid: Payment, external_id: str = "7001", *, created_at: datetime = NOW,
    external_time: int | None = None, status: AttemptStatus = AttemptStatus.OPEN,
) -> Attempt:
    return Attempt(uuid.uuid4(), paid.id, paid.gateway, external_id, created_at, status, external_time)


def transfer(
    debit: Account, credit: Account, minor: int, *, kind: TransferKind = TransferKind.CHARGE,
    created_at: datetime = NOW, reference: str = "", description: str = "",
) -> Transfer:
    return Transfer(uuid.uuid4(), debit, credit, Money(minor, debit.currency), kind,
                    description or kind.value, reference, created_at)


def topup(user_id: str, minor: int, *, created_at: datetime = NOW, reference: str = "PAY-1") -> Transfer:
    """Money a gateway brought into the user's UZS wallet."""
    return transfer(Account.clearing("click", UZS), Account.wallet(user_id, UZS), minor,
                    kind=TransferKind.TOPUP, created_at=created_at, reference=reference,
                    description="Wallet top-up")


def charge(user_id: str, minor: int, *, created_at: datetime = NOW, reference: str = "") -> Transfer:
    """A doctor view paid from the user's UZS wallet."""
    return transfer(Account.wallet(user_id, UZS), Account.revenue(DOCTOR_VIEW, UZS), minor,
                    created_at=created_at, reference=reference, description="Doctor view")


async def record_transfer(uow: UnitOfWork, moved: Transfer) -> Posting:
    """What the use cases do: lock the wallets the transfer touches, post it, record the posting."""
    wallets: dict[Account, Wallet] = {}
    for account in (moved.debit, moved.credit):
        if account.kind is AccountKind.WALLET:
            wallets[account] = await uow.wallets.lock(account.owner, account.currency, moved.created_at)
    posting = post(moved, wallets)
    await uow.ledger.record(posting)
    return posting


def usage(
    user_id: str = "u1", related_object_id: str = "doc-1", *, service_type: str = DOCTOR_VIEW,
    local_date: date = TODAY, created_at: datetime = NOW, amount: int = 0,
    transfer_id: uuid.UUID | None = None, free_reason: FreeReason | None = None,
    currency: Currency = UZS, quantity: int = 1,
) -> Usage:
    return Usage(uuid.uuid4(), user_id, service_type, quantity, currency, local_date, created_at,
                 related_object_id, amount, transfer_id, free_reason)


def paid_usage(user_id: str = "u1", related_object_id: str = "doc-1", *, amount: int = 500_000,
               **fields: Any) -> Usage:
    """A charged access (its transfer id set), as the charge use case records it."""
    return usage(user_id, related_object_id, amount=amount, transfer_id=uuid.uuid4(), **fields)


def rule(service_type: str = DOCTOR_VIEW, price: int = 500_000, **fields: Any) -> BillingRule:
    """A rule with names in three scripts and 12.5 % off from 5 units."""
    names = {"uz": "Shifokor profilini ko'rish", "ru": "Просмотр профиля врача", "fa": "مشاهده پروفایل پزشک"}
    defaults: dict[str, Any] = {"service_names": names, "discount_percentage": Decimal("12.50"),
                                "min_quantity_for_discount": 5}
    return BillingRule(service_type, uzs(price), **{**defaults, **fields})


def gateway(name: str = "click", **fields: Any) -> GatewayConfig:
    """An active UZS gateway taking 1 000.00 to 10 000 000.00."""
    defaults: dict[str, Any] = {"display_name": name.title(), "is_active": True,
                                "min_amount": uzs(100_000), "max_amount": uzs(1_000_000_000)}
    return GatewayConfig(name, **{**defaults, **fields})


def idempotency_record(key: str = "key-1", *, created_at: datetime = NOW, user_id: str = "u1",
                       body: str = '{"ok": true}') -> IdempotencyRecord:
    return IdempotencyRecord(user_id, key, "POST", "/api/wallet/charge", "f1ngerprint", 200, body,
                             created_at)


def payment_log(paid: Payment, type: str = "request", *, created_at: datetime = NOW,
                message: str = "", http_status: int | None = None, payload: str = "") -> PaymentLog:
    return PaymentLog(uuid.uuid4(), paid.id, type, created_at, message, http_status, payload)


def audit_entry(action: str = "adjust_wallet", *, created_at: datetime = NOW) -> AuditEntry:
    return AuditEntry(uuid.uuid4(), "admin", action, "u1", '{"amount": "10.00"}', created_at)


def doctor(doctor_id: str = "1", **fields: Any) -> Doctor:
    """An active cardiologist rated 4.80, with a phone number among the card's extra fields."""
    defaults: dict[str, Any] = {"first_name": "John", "last_name": "Doe", "specialization": "Cardiologist",
                                "rating": Decimal("4.80"), "extra": {"phone": "+998901234567"}}
    return Doctor(doctor_id, **{**defaults, **fields})


def webhook(**changes: Any) -> WebhookEndpoint:
    """An active endpoint subscribed to everything."""
    fields: dict[str, Any] = dict(id=uuid.uuid4(), url="https://platform.example/hooks", events=("*",),
                                  secret="whsec_0123456789abcdef", created_at=NOW, updated_at=NOW)
    return WebhookEndpoint(**{**fields, **changes})


def event(type: str = "payment.completed", user_id: str = "u1", **changes: Any) -> Event:
    fields: dict[str, Any] = dict(id=f"evt_{uuid.uuid4()}", type=type, created_at=NOW, user_id=user_id,
                                  data='{"amount":20000.00,"note":"Ташкент"}')
    return Event(**{**fields, **changes})


def delivery(endpoint: WebhookEndpoint, sent: Event, **changes: Any) -> Delivery:
    fields: dict[str, Any] = dict(id=uuid.uuid4(), endpoint_id=endpoint.id, event_id=sent.id,
                                  event_type=sent.type, created_at=NOW, next_attempt_at=NOW, updated_at=NOW)
    return Delivery(**{**fields, **changes})


def hold(user_id: str = "u1", minor: int = 5_000_000, **changes: Any) -> Hold:
    fields: dict[str, Any] = dict(id=uuid.uuid4(), user_id=user_id, service_type="consultation",
                                  amount=Money(minor, Currency.UZS), related_object_id="77",
                                  expires_at=NOW + timedelta(hours=1), created_at=NOW, updated_at=NOW)
    return Hold(**{**fields, **changes})
