"""Each Prepare and Complete runs in one unit of work: the call's log line, its attempt and the money
commit together; a refusal keeps what the call wrote; a failure of ours keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from adapters.memory import MemoryStorage
from tests.gateways.click.conftest import uzs


class FailingLedger:
    async def record(self, posting: Any) -> None:
        raise RuntimeError("the ledger's disk is full")


class CountedStorage:
    """The memory storage, counting the units of work opened on it; while ``failing``, a writing
    unit's ledger refuses every transfer."""

    def __init__(self) -> None:
        self._storage = MemoryStorage()
        self.units: list[str] = []
        self.failing = False

    @property
    def unit_of_work(self) -> Any:
        return self._open

    def _open(self, *, write: bool = True, **options: Any) -> Any:
        self.units.append("write" if write else "read")
        uow = self._storage.unit_of_work(write=write, **options)
        if write and self.failing:
            uow.ledger = FailingLedger()
        return uow

    async def close(self) -> None:
        await self._storage.close()


async def clicks_calls(world: Any, order: Any) -> list[str]:
    return [log.message for log in await world.hamyon.admin.payment_logs(order.id) if log.type == "callback"]


async def prepared(world: Any, click_trans_id: str, amount: str = "10000") -> tuple[Any, str]:
    """A top-up Click has prepared: the order and the ``merchant_prepare_id`` it was answered."""
    order = await world.topup(amount=amount)
    return order, (await world.prepare(order, click_trans_id))["merchant_prepare_id"]


@pytest.fixture
def counted(click: Any) -> Callable[[], AbstractAsyncContextManager[tuple[Any, CountedStorage]]]:
    """``async with counted() as (world, storage)``: Click's world on a storage that counts units."""
    @asynccontextmanager
    async def start() -> AsyncIterator[tuple[Any, CountedStorage]]:
        storage = CountedStorage()
        try:
            async with click(storage=storage) as world:
                yield world, storage
        finally:
            await storage.close()

    return start


async def test_a_complete_that_credits_the_wallet_opens_one_unit_of_work(counted):
    async with counted() as (w, storage):
        order, prepare_id = await prepared(w, "4001", amount="30000")
        storage.units.clear()
        assert (await w.complete(order, "4001", prepare_id))["error"] == 0
        assert storage.units == ["write"]
        assert await w.balance() == uzs("30000")


async def test_a_prepare_that_holds_the_payment_opens_one_unit_of_work(counted):
    async with counted() as (w, storage):
        order = await w.topup()
        storage.units.clear()
        assert (await w.prepare(order, "4101"))["error"] == 0
        assert storage.units == ["write"]
        assert await w.status(order) == "processing"


async def test_a_refused_complete_opens_one_unit_and_keeps_its_line_in_the_log(counted):
    async with counted() as (w, storage):
        order, prepare_id = await prepared(w, "4201")
        storage.units.clear()
        assert (await w.complete(order, "4201", prepare_id, amount="300"))["error"] == -2
        assert storage.units == ["write"]
        assert (await clicks_calls(w, order))[-1] == "click complete: click_trans_id 4201, click error 0"
        assert await w.balance() == uzs("0")


async def test_click_giving_up_on_complete_cancels_the_attempt_in_the_same_one_unit(counted):
    async with counted() as (w, storage):
        order, prepare_id = await prepared(w, "4301")
        storage.units.clear()
        assert (await w.complete(order, "4301", prepare_id, error="-5017"))["error"] == -9
        assert storage.units == ["write"]
        assert (await w.hamyon.settlement.attempt("click", "4301")).status.value == "cancelled"
        assert await w.status(order) == "pending"


async def test_a_failure_inside_complete_keeps_nothing_and_clicks_retry_pays(counted):
    async with counted() as (w, storage):
        order, prepare_id = await prepared(w, "4401", amount="20000")
        storage.failing = True
        assert (await w.complete(order, "4401", prepare_id))["error"] == -7
        storage.failing = False
        assert await w.balance() == uzs("0")
        assert await w.status(order) == "processing"
        assert (await w.hamyon.settlement.attempt("click", "4401")).status.value == "open"
        assert await clicks_calls(w, order) == ["click prepare: click_trans_id 4401, click error 0"]
        assert (await w.complete(order, "4401", prepare_id))["error"] == 0
        assert await w.balance() == uzs("20000")
        assert (await w.hamyon.admin.verify_ledger()).ok
