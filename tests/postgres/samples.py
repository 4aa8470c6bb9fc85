"""Domain objects for the Postgres tests, built at one fixed moment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.journal import IdempotencyRecord
from domain.ledger import Account, Transfer, TransferKind
from domain.money import Currency, Money
from domain.payments import Attempt, Payment

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def payment(user_id: str = "u1", reference: str | None = None) -> Payment:
    return Payment(uuid.uuid4(), reference or f"PAY-1772357400-{uuid.uuid4().hex[:8].upper()}", user_id,
                   "click", Money.of(50_000, Currency.UZS), Money.of(1_250, Currency.UZS), NOW,
                   NOW + timedelta(minutes=30))


def attempt(payment_id: uuid.UUID, external_id: str = "7001") -> Attempt:
    return Attempt(uuid.uuid4(), payment_id, "click", external_id, NOW)


def record(key: str = "key-1", body: str = '{"ok": true}') -> IdempotencyRecord:
    return IdempotencyRecord("u1", key, "POST", "/api/wallet/charge", "fingerprint", 200, body, NOW)


def topup(user_id: str, minor: int) -> Transfer:
    return Transfer(uuid.uuid4(), Account.clearing("click", Currency.UZS),
                    Account.wallet(user_id, Currency.UZS), Money(minor, Currency.UZS), TransferKind.TOPUP,
                    "Top-up", "payment", NOW)
