"""Cases the money-flow property found (fixed in a7bb24f), pinned down one by one (SPEC §3, expiry).

Expiry must mean the same thing whichever path writes it down: the payment is ``expired`` and its
open attempts are cancelled (reason 4), as the sweeper and the gateway steps already do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import pytest
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from adapters.memory import MemoryStorage
from application.hamyon import Hamyon
from application.payments import CreatePayment
from domain.errors import InvalidTransition
from domain.payments import AttemptStatus, Payment, PaymentStatus
from entrypoints.bootstrap import bootstrap

PAST_TTL = {"seconds": 1800}


@define
class Sandbox:
    hamyon: Hamyon
    storage: MemoryStorage
    clock: ManualClock

    async def processing_topup(self) -> Payment:
        created = await self.hamyon.payments.create(CreatePayment("u1", "sandbox", Decimal("20000")))
        assert created.payment.status is PaymentStatus.PROCESSING
        return created.payment

    async def attempt_states(self, payment: Payment) -> list[tuple[AttemptStatus, int | None]]:
        async with self.storage.unit_of_work(write=False) as uow:
            return [(a.status, a.cancel_reason) for a in await uow.payments.attempts(payment.id)]


@asynccontextmanager
async def sandbox() -> AsyncIterator[Sandbox]:
    clock, storage = ManualClock(), MemoryStorage()
    hamyon = await bootstrap("memory://", storage=storage, clock=clock, gateways=[SandboxGateway()],
                             active_gateways={"sandbox"})
    try:
        yield Sandbox(hamyon, storage, clock)
    finally:
        await hamyon.close()


async def test_the_sweeper_cancels_the_attempts_of_what_it_expires() -> None:
    async with sandbox() as world:
        payment = await world.processing_topup()
        world.clock.advance(**PAST_TTL)
        assert await world.hamyon.settlement.expire_due() == 1
        assert await world.attempt_states(payment) == [(AttemptStatus.CANCELLED, 4)]


async def test_expiry_written_down_by_a_late_cancel_also_cancels_open_attempts() -> None:
    async with sandbox() as world:
        payment = await world.processing_topup()
        world.clock.advance(**PAST_TTL)
        with pytest.raises(InvalidTransition):
            await world.hamyon.payments.cancel("u1", payment.id)
        assert (await world.hamyon.admin.payment(payment.id)).status is PaymentStatus.EXPIRED
        assert await world.attempt_states(payment) == [(AttemptStatus.CANCELLED, 4)]


async def test_expiry_written_down_by_the_payers_read_also_cancels_open_attempts() -> None:
    async with sandbox() as world:
        payment = await world.processing_topup()
        world.clock.advance(**PAST_TTL)
        assert (await world.hamyon.payments.get("u1", payment.id)).status is PaymentStatus.EXPIRED
        assert await world.attempt_states(payment) == [(AttemptStatus.CANCELLED, 4)]
