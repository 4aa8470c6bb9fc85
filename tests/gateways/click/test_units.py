"""Each Prepare and Complete runs in one unit of work: the call's log line, its attempt and the money
commit together; a refusal keeps what the call wrote; a failure of ours keeps nothing."""

from __future__ import annotations

from typing import Any

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


async def test_a_complete_that_credits_the_wallet_opens_one_unit_of_work(click):
    storage = CountedStorage()
    async with click(storage=storage) as w:
        order = await w.topup(amount="30000")
        prepare_id = (await w.prepare(order, "4001"))["merchant_prepare_id"]
        storage.units.clear()
        assert (await w.complete(order, "4001", prepare_id))["error"] == 0
        assert storage.units == ["write"]
        assert await w.balance() == uzs("30000")
    await storage.close()


async def test_a_prepare_that_holds_the_payment_opens_one_unit_of_work(click):
    storage = CountedStorage()
    async with click(storage=storage) as w:
        order = await w.topup()
        storage.units.clear()
        assert (await w.prepare(order, "4101"))["error"] == 0
        assert storage.units == ["write"]
        assert await w.status(order) == "processing"
    await storage.close()


async def test_a_refused_complete_opens_one_unit_and_keeps_its_line_in_the_log(click):
    storage = CountedStorage()
    async with click(storage=storage) as w:
        order = await w.topup()
        prepare_id = (await w.prepare(order, "4201"))["merchant_prepare_id"]
        storage.units.clear()
        assert (await w.complete(order, "4201", prepare_id, amount="300"))["error"] == -2
        assert storage.units == ["write"]
        assert (await clicks_calls(w, order))[-1] == "click complete: click_trans_id 4201, click error 0"
        assert await w.balance() == uzs("0")
    await storage.close()


async def test_click_giving_up_on_complete_cancels_the_attempt_in_the_same_one_unit(click):
    storage = CountedStorage()
    async with click(storage=storage) as w:
        order = await w.topup()
        prepare_id = (await w.prepare(order, "4301"))["merchant_prepare_id"]
        storage.units.clear()
        assert (await w.complete(order, "4301", prepare_id, error="-5017"))["error"] == -9
        assert storage.units == ["write"]
        assert (await w.hamyon.settlement.attempt("click", "4301")).status.value == "cancelled"
        assert await w.status(order) == "pending"
    await storage.close()


async def test_a_failure_inside_complete_keeps_nothing_and_clicks_retry_pays(click):
    storage = CountedStorage()
    async with click(storage=storage) as w:
        order = await w.topup(amount="20000")
        prepare_id = (await w.prepare(order, "4401"))["merchant_prepare_id"]
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
    await storage.close()
