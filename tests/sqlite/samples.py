"""Domain objects for the SQLite tests, built at one fixed moment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.ledger import Account, Transfer, TransferKind
from domain.money import Currency, Money
from domain.payments import Payment

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def payment(user_id: str = "u1") -> Payment:
    return Payment(uuid.uuid4(), f"PAY-1772357400-{uuid.uuid4().hex[:8].upper()}", user_id, "click",
                   Money.of(50_000, Currency.UZS), Money.of(1_250, Currency.UZS), NOW,
                   NOW + timedelta(minutes=30))


def topup(user_id: str, minor: int) -> Transfer:
    return Transfer(uuid.uuid4(), Account.clearing("click", Currency.UZS),
                    Account.wallet(user_id, Currency.UZS), Money(minor, Currency.UZS), TransferKind.TOPUP,
                    "Top-up", "payment", NOW)
