"""Use cases on the memory adapter, with a manual clock and fake gateways (fakes, not mocks)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from application.config import ServiceConfig
from application.hamyon import Hamyon
from application.holds import HoldRequest
from application.payments import CreatePayment
from domain.holds import Hold
from domain.money import Currency, Money
from domain.payments import Payment
from entrypoints.bootstrap import bootstrap
from tests.fakes import CardGateway, RefusingGateway


@define
class World:
    hamyon: Hamyon
    clock: ManualClock

    async def fund(self, user_id: str, amount: str, currency: str = "UZS") -> None:
        await self.hamyon.wallets.adjust(user_id, Decimal(amount), currency, "test funding",
                                        actor="admin")

    async def topup(self, user_id: str, amount: str, gateway: str = "click") -> Payment:
        created = await self.hamyon.payments.create(CreatePayment(user_id, gateway, Decimal(amount)))
        return created.payment

    async def paid_topup(self, user_id: str, amount: str, gateway: str = "click") -> Payment:
        payment = await self.topup(user_id, amount, gateway)
        await self.hamyon.settlement.open_attempt(gateway, payment.id, f"ext-{payment.id}")
        settled = await self.hamyon.settlement.complete_attempt(gateway, f"ext-{payment.id}")
        return settled.payment

    async def hold(self, user_id: str, service_type: str, **options: Any) -> Hold:
        return (await self.hamyon.holds.create(HoldRequest(user_id, service_type, **options))).hold

    async def balance(self, user_id: str, currency: str = "UZS") -> Money:
        return (await self.hamyon.wallets.get(user_id, currency)).balance

    async def status(self, user_id: str, payment_id: UUID) -> str:
        return (await self.hamyon.payments.get(user_id, payment_id)).status.value


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), Currency.UZS)


def _database_url() -> str:
    """memory:// by default; HAMYON_APP_TEST_DB=sqlite runs the same tests on a fresh file."""
    if os.environ.get("HAMYON_APP_TEST_DB") == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/hamyon.db"
    return "memory://"


@pytest.fixture
def world() -> Callable[..., AbstractAsyncContextManager[World]]:
    @asynccontextmanager
    async def build(**config: object) -> AsyncIterator[World]:
        clock = ManualClock()
        hamyon = await bootstrap(
            _database_url(), clock=clock, config=ServiceConfig(**config),  # type: ignore[arg-type]
            gateways=[CardGateway("click"), CardGateway("payme"), RefusingGateway("uzcard"),
                      SandboxGateway()],
            active_gateways={"click", "payme", "uzcard", "sandbox"}, retry=None)
        try:
            yield World(hamyon, clock)
        finally:
            await hamyon.close()

    return build
