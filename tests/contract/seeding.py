"""What a test needs stored before it starts: rows committed by one writing unit, each through its
own repository, as the use cases store them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.billing import BillingRule, BillingSettings
from domain.console import ConsoleLink
from domain.doctors import Doctor
from domain.events import Delivery, Event, WebhookEndpoint
from domain.holds import Hold
from domain.journal import AuditEntry, IdempotencyRecord
from domain.ledger import Transfer, Wallet
from domain.payments import GatewayConfig, Payment, PaymentLog
from ports.storage import Storage, UnitOfWork
from tests.contract.builders import record_transfer


async def _store_wallet(uow: UnitOfWork, wallet: Wallet) -> None:
    """Lock (creating the wallet at its ``created_at``), then save its balance and blocking."""
    await uow.wallets.lock(wallet.user_id, wallet.currency, wallet.created_at)
    await uow.wallets.save(wallet)


_STORE: dict[type, Callable[[UnitOfWork, Any], Awaitable[object]]] = {
    Wallet: _store_wallet,
    Transfer: record_transfer,  # its wallets locked, the posting recorded
    Payment: lambda uow, row: uow.payments.add(row),
    PaymentLog: lambda uow, row: uow.payment_logs.add(row),
    Hold: lambda uow, row: uow.holds.add(row),
    Doctor: lambda uow, row: uow.doctors.save(row),
    IdempotencyRecord: lambda uow, row: uow.idempotency.save(row),
    AuditEntry: lambda uow, row: uow.audit.add(row),
    Event: lambda uow, row: uow.events.add(row),
    WebhookEndpoint: lambda uow, row: uow.webhooks.add(row),
    Delivery: lambda uow, row: uow.deliveries.add(row),
    ConsoleLink: lambda uow, row: uow.console_links.add(row),
    GatewayConfig: lambda uow, row: uow.gateways.save(row),
    BillingRule: lambda uow, row: uow.billing.save_rule(row),
    BillingSettings: lambda uow, row: uow.billing.save_settings(row),
}


async def seed(storage: Storage, *rows: object) -> None:
    """Stores ``rows`` in the order given (an endpoint before its deliveries) and commits them."""
    async with storage.unit_of_work() as uow:
        for row in rows:
            await _STORE[type(row)](uow, row)
        await uow.commit()
