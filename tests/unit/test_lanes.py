"""Lanes (issue 17): blocks of one key run one after another, of different keys at once, and a
lane nobody holds or waits for is forgotten."""

from __future__ import annotations

import asyncio

from application.lanes import Lanes


async def test_one_keys_blocks_take_turns_and_other_keys_run_alongside():
    lanes, inside, most, log = Lanes(), {"a": 0, "b": 0}, {"a": 0, "b": 0}, []

    async def work(key: str, n: int) -> None:
        async with lanes.lane(key):
            inside[key] += 1
            most[key] = max(most[key], inside[key])
            log.append((key, n, "in"))
            await asyncio.sleep(0.001)
            inside[key] -= 1

    await asyncio.gather(*(work(key, n) for n in range(10) for key in ("a", "b")))
    assert most == {"a": 1, "b": 1}
    assert [n for key, n, _ in log if key == "a"] == list(range(10))  # in the order they came
    assert log[:2] == [("a", 0, "in"), ("b", 0, "in")]  # b did not wait for a
    assert len(lanes) == 0


async def test_a_failing_block_frees_its_lane():
    lanes = Lanes()

    async def fail() -> None:
        async with lanes.lane("a"):
            raise ValueError("refused")

    results = await asyncio.gather(fail(), fail(), return_exceptions=True)
    assert [type(r) for r in results] == [ValueError, ValueError] and len(lanes) == 0
