"""The billing catalogue kept in the process: an admin change here applies to the next charge at
once; a change made by another process (straight in storage) applies once the TTL has passed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import attrs
import pytest

from adapters.clock import ManualClock
from adapters.gateways.registry import GatewayRegistry
from adapters.ids import RandomIds
from adapters.memory import MemoryStorage
from application.billing import ChargeRequest
from application.config import ServiceConfig
from application.dependencies import Dependencies
from application.hamyon import Hamyon
from domain.errors import DomainError, ValidationError
from domain.money import Currency, Money

CONSULTATION = "consultation"  # 50,000 UZS by default, no discount: always paid


def uzs(amount: str) -> Money:
    return Money.of(Decimal(amount), Currency.UZS)


class Ticks:
    """A monotonic source that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@attrs.define
class Process:
    hamyon: Hamyon
    storage: MemoryStorage
    ticks: Ticks

    async def charge(self, user: str = "ali") -> Money | None:
        return (await self.hamyon.billing.charge(ChargeRequest(user, CONSULTATION))).amount_charged

    async def price_elsewhere(self, price: str) -> None:
        """What another process's admin does: the rule changes in storage, not through us."""
        async with self.storage.unit_of_work() as uow:
            rule = await uow.billing.rule(CONSULTATION)
            assert rule is not None
            await uow.billing.save_rule(attrs.evolve(rule, price=uzs(price)))
            await uow.commit()

    async def maintenance_elsewhere(self) -> None:
        async with self.storage.unit_of_work() as uow:
            settings = await uow.billing.settings()
            await uow.billing.save_settings(attrs.evolve(settings or await self.hamyon.admin.settings(),
                                                         maintenance_mode=True))
            await uow.commit()


@asynccontextmanager
async def process(ttl: float = 2.0) -> AsyncIterator[Process]:
    storage, ticks = MemoryStorage(), Ticks()
    deps = Dependencies(storage.unit_of_work, ManualClock(), RandomIds(), GatewayRegistry(),
                        ServiceConfig(catalog_ttl_seconds=ttl))
    hamyon = Hamyon(deps, monotonic=ticks)
    await hamyon.admin.seed_defaults()
    await hamyon.wallets.adjust("ali", Decimal("1000000"), "UZS", "test funding", actor="admin")
    yield Process(hamyon, storage, ticks)


async def test_an_admin_price_change_applies_to_the_next_charge_at_once() -> None:
    async with process() as here:
        assert await here.charge() == uzs("50000")
        await here.hamyon.admin.save_rule(CONSULTATION, {"price": "70000"}, actor="admin", create=False)
        assert await here.charge() == uzs("70000")


async def test_admin_settings_and_deletions_apply_to_the_next_charge_at_once() -> None:
    async with process() as here:
        await here.charge()
        await here.hamyon.admin.update_settings({"maintenance_mode": True}, actor="admin")
        with pytest.raises(DomainError):
            await here.charge()
        await here.hamyon.admin.update_settings({"maintenance_mode": False}, actor="admin")
        assert await here.charge() == uzs("50000")
        await here.hamyon.admin.delete_rule(CONSULTATION, actor="admin")
        with pytest.raises(ValidationError):
            await here.charge()


async def test_a_change_made_elsewhere_applies_after_the_ttl_and_not_before() -> None:
    async with process(ttl=2.0) as here:
        assert await here.charge() == uzs("50000")
        await here.price_elsewhere("70000")
        here.ticks.now += 1.9
        assert await here.charge() == uzs("50000")
        here.ticks.now += 0.1
        assert await here.charge() == uzs("70000")


async def test_settings_changed_elsewhere_apply_after_the_ttl() -> None:
    async with process(ttl=2.0) as here:
        await here.charge()
        await here.maintenance_elsewhere()
        assert await here.charge() == uzs("50000")
        here.ticks.now += 2.0
        with pytest.raises(DomainError):
            await here.charge()


async def test_a_ttl_of_zero_reads_storage_every_time() -> None:
    async with process(ttl=0) as here:
        assert await here.charge() == uzs("50000")
        await here.price_elsewhere("70000")
        assert await here.charge() == uzs("70000")


async def test_the_unit_that_writes_a_rule_reads_its_own_write() -> None:
    async with process() as here:
        await here.charge()

        async def body(uow: object) -> Money:
            await here.hamyon.admin.save_rule(CONSULTATION, {"price": "60000"}, actor="admin", create=False)
            charged = await here.charge()
            assert charged is not None
            return charged

        assert await here.hamyon.units.write(body) == uzs("60000")
