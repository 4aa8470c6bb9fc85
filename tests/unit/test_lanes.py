"""Lanes (issue 17): the bodies of one key run one after another, in the order they came, in
batches; bodies of different keys run alongside; a lane nobody waits in is forgotten."""

from __future__ import annotations

import asyncio

from adapters.memory import MemoryStorage
from application.units import Units


async def test_one_keys_bodies_take_turns_in_order_and_other_keys_run_alongside():
    units = Units(MemoryStorage().unit_of_work, lanes=True)
    inside, most, log = {"a": 0, "b": 0}, {"a": 0, "b": 0}, []

    def work(key: str, n: int):
        async def body(uow) -> None:
            inside[key] += 1
            most[key] = max(most[key], inside[key])
            log.append((key, n))
            await asyncio.sleep(0.001)
            inside[key] -= 1

        return units.in_lane(key, body)

    await asyncio.gather(*(work(key, n) for n in range(10) for key in ("a", "b")))
    assert most == {"a": 1, "b": 1}
    assert [n for key, n in log if key == "a"] == list(range(10))  # in the order they came
    assert log[:2] == [("a", 0), ("b", 0)]  # b did not wait for a
    assert len(units._lanes) == 0


async def test_failing_bodies_free_their_lane():
    units = Units(MemoryStorage().unit_of_work, lanes=True)

    async def fail(uow) -> None:
        raise ValueError("refused")

    results = await asyncio.gather(units.in_lane("a", fail), units.in_lane("a", fail),
                                   return_exceptions=True)
    assert [type(r) for r in results] == [ValueError, ValueError] and len(units._lanes) == 0
