"""Lanes (issue 17): one wallet's concurrent charges in a process are queued and written in
batches, one unit of work for all that wait, each still succeeding or failing on its own with its
own answer, its own events and its own idempotency record. Inside an open unit of work a charge
takes no lane. A body that fails in a way that is not its answer costs the others nothing: they run
alone; a transient failure runs the whole batch again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from adapters.memory import MemoryStorage
from adapters.retry import TransientRetry
from application.billing import ChargeRequest
from application.idempotency import IdempotencyRequest, StoredResponse
from application.units import Units, watch_commits
from domain.errors import InsufficientFunds
from domain.journal import IdempotencyRecord
from entrypoints.bootstrap import bootstrap
from ports.storage import CommitOutcomeUnknown, TransientStorageError, UnitOfWork
from tests.backends import memory, postgres
from tests.fakes import CardGateway

PRICE = 50_000  # a consultation, UZS
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def opened(request, tmp_path):
    return {"memory": memory, "postgres": postgres}[request.param].storage_factory(tmp_path)


async def laned(storage):
    storage.wallet_lanes = True  # Postgres asks for lanes; memory is told to, here
    return await bootstrap("memory://", storage=storage, gateways=[CardGateway("click")],
                           active_gateways={"click"}, retry=None)


async def test_mixed_idempotent_and_plain_charges_of_one_hot_wallet_all_finish_exactly_once(opened):
    async with opened() as storage:
        hamyon = await laned(storage)
        await hamyon.wallets.adjust("hot", Decimal(PRICE * 24), "UZS", "funding", actor="admin")
        plain = [hamyon.billing.charge(ChargeRequest("hot", "consultation")) for _ in range(12)]
        keyed = [hamyon.idempotency.run(
            IdempotencyRequest("hot", f"k{n}", "POST", "/charge", f"fp{n}"),
            lambda: hamyon.billing.charge(ChargeRequest("hot", "consultation")),
            lambda result: StoredResponse(200, str(result.transaction_id)),
            lane="hot") for n in range(12)]
        results = await asyncio.wait_for(asyncio.gather(*plain, *keyed), timeout=60)
        balance = (await hamyon.wallets.get("hot")).balance
        replay = await hamyon.idempotency.run(
            IdempotencyRequest("hot", "k3", "POST", "/charge", "fp3"),
            lambda: hamyon.billing.charge(ChargeRequest("hot", "consultation")),
            lambda result: StoredResponse(200, "charged again"), lane="hot")
        report = await hamyon.admin.verify_ledger()
    assert len(results) == 24 and balance.minor == 0 and report.ok
    assert replay.replayed and replay.body == results[12 + 3].body  # its own stored answer


async def test_a_batch_of_charges_beyond_the_balance_succeeds_as_far_as_the_money_goes(opened):
    async with opened() as storage:
        hamyon = await laned(storage)
        await hamyon.wallets.adjust("hot", Decimal(PRICE * 5), "UZS", "funding", actor="admin")

        outcomes = await asyncio.gather(
            *(hamyon.billing.charge(ChargeRequest("hot", "consultation")) for _ in range(8)),
            return_exceptions=True)

        charged = [o for o in outcomes if not isinstance(o, BaseException)]
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(charged) == 5 and all(isinstance(o, InsufficientFunds) for o in refused)
        # Each answer shows the balance its own charge left (in tiyin): 200,000 UZS down to 0.
        assert sorted(o.balance_after.minor for o in charged) == [PRICE * 100 * n for n in range(5)]
        assert (await hamyon.wallets.get("hot")).balance.minor == 0
        assert (await hamyon.admin.verify_ledger()).ok


class CountingStorage:
    """A memory storage that counts its writing units and can fail the commits of some (by number,
    from 1)."""

    def __init__(self, failing: frozenset[int] = frozenset(), *, unknown: bool = False) -> None:
        self.storage = MemoryStorage()
        self.writing_units = 0
        self._failing = failing
        self._unknown = unknown  # the commit's outcome is lost, not refused

    def unit_of_work(self, *, write: bool = True, retried: bool = False) -> UnitOfWork:
        unit = self.storage.unit_of_work(write=write, retried=retried)
        if write:
            self.writing_units += 1
            if self.writing_units in self._failing:

                async def commit() -> None:
                    if self._unknown:
                        raise CommitOutcomeUnknown()
                    raise TransientStorageError("the database went away at COMMIT")

                unit.commit = commit  # type: ignore[method-assign]
        return unit


def record(key: str) -> IdempotencyRecord:
    return IdempotencyRecord("hot", key, "POST", "/charge", key, 200, "{}", NOW)


def saving(key: str, runs: list[str], fail: Exception | None = None):
    async def body(uow: UnitOfWork) -> str:
        runs.append(key)
        await asyncio.sleep(0.001)  # a round trip to the database: others come meanwhile
        await uow.idempotency.save(record(key))
        if fail is not None:
            raise fail
        return key

    return body


async def stored(storage: CountingStorage, keys: list[str]) -> list[str]:
    async with storage.storage.unit_of_work(write=False) as uow:
        return [key for key in keys if await uow.idempotency.get("hot", key, "POST", "/charge")]


async def test_concurrent_bodies_of_one_lane_commit_in_one_unit_each_with_its_own_answer():
    counting = CountingStorage()
    units = Units(counting.unit_of_work, lanes=True)
    runs: list[str] = []
    keys = [f"k{n}" for n in range(8)]

    answers = await asyncio.gather(*(units.in_lane("hot", saving(key, runs)) for key in keys))

    # The first found the lane empty and ran at once, alone; the seven behind it went in one unit.
    assert answers == keys and counting.writing_units == 2 and runs == keys
    assert await stored(counting, keys) == keys


async def test_without_lanes_each_body_has_a_unit_of_its_own():
    counting = CountingStorage()
    units = Units(counting.unit_of_work)
    keys = [f"k{n}" for n in range(8)]

    await asyncio.gather(*(units.in_lane("hot", saving(key, [])) for key in keys))

    assert counting.writing_units == 8


async def test_a_body_failing_unexpectedly_fails_alone_and_the_others_commit_without_it():
    counting = CountingStorage()
    units = Units(counting.unit_of_work, lanes=True)
    runs: list[str] = []
    keys = [f"k{n}" for n in range(5)]
    bodies = [saving(key, runs, RuntimeError("a bug") if key == "k2" else None) for key in keys]

    outcomes = await asyncio.gather(*(units.in_lane("hot", body) for body in bodies),
                                    return_exceptions=True)

    assert [str(o) for o in outcomes] == ["k0", "k1", "a bug", "k3", "k4"]
    assert await stored(counting, keys) == ["k0", "k1", "k3", "k4"]  # k2's write rolled back
    # k0 ran alone; the batch behind it stopped at k2 and kept nothing; then each ran alone.
    assert counting.writing_units == 1 + 1 + 4 and runs == ["k0", "k1", "k2", "k1", "k2", "k3", "k4"]


async def test_a_transient_failure_at_commit_runs_the_whole_batch_again_and_commits_it_once():
    counting = CountingStorage(failing=frozenset({2}))  # k0 alone is unit 1; the batch behind it, 2
    units = Units(counting.unit_of_work, TransientRetry(attempts=3, max_wait=0.01), lanes=True)
    runs: list[str] = []
    keys = [f"k{n}" for n in range(4)]

    answers = await asyncio.gather(*(units.in_lane("hot", saving(key, runs)) for key in keys))

    assert answers == keys and counting.writing_units == 3
    assert runs == ["k0", *keys[1:], *keys[1:]] and await stored(counting, keys) == keys


async def test_a_batch_whose_commit_outcome_is_unknown_tells_each_body_and_runs_none_again():
    # Running them again, alone or as a batch, could take each charge twice.
    counting = CountingStorage(failing=frozenset({2}), unknown=True)
    units = Units(counting.unit_of_work, TransientRetry(attempts=3, max_wait=0.01), lanes=True)
    runs: list[str] = []
    keys = [f"k{n}" for n in range(4)]

    outcomes = await asyncio.gather(*(units.in_lane("hot", saving(key, runs)) for key in keys),
                                    return_exceptions=True)

    assert outcomes[0] == "k0" and all(isinstance(o, CommitOutcomeUnknown) for o in outcomes[1:])
    assert counting.writing_units == 2 and runs == keys


async def test_a_refusal_in_a_batch_is_that_bodys_answer_and_the_others_commit():
    counting = CountingStorage()
    units = Units(counting.unit_of_work, lanes=True)

    async def refused(uow: UnitOfWork) -> str:
        raise InsufficientFunds()

    outcomes = await asyncio.gather(units.in_lane("hot", saving("k0", [])),
                                    units.in_lane("hot", saving("k1", [])),
                                    units.in_lane("hot", refused),
                                    units.in_lane("hot", saving("k3", [])), return_exceptions=True)

    assert outcomes[:2] == ["k0", "k1"] and isinstance(outcomes[2], InsufficientFunds)
    assert outcomes[3] == "k3"
    # k0 alone, then one batch: k1, the refusal, and k3 all in it, the refusal not undoing k1.
    assert counting.writing_units == 2
    assert await stored(counting, ["k0", "k1", "k3"]) == ["k0", "k1", "k3"]


async def test_each_request_of_a_batch_sees_only_its_own_events_and_only_once_committed():
    counting = CountingStorage()
    published: list[str] = []

    class Log:
        def emit(self, event: str, **fields: object) -> None:
            published.append(event)

    units = Units(counting.unit_of_work, events=Log(), lanes=True)

    async def request(name: str) -> list[str]:
        committed = watch_commits()  # as each HTTP request does, in its own task

        async def body(uow: UnitOfWork) -> None:
            units.emit(f"{name}_charged")
            assert f"{name}_charged" not in published  # nothing is published before it commits

        await units.in_lane("hot", body)
        return committed

    seen = await asyncio.gather(*(asyncio.create_task(request(name)) for name in "abc"))

    assert seen == [["a_charged"], ["b_charged"], ["c_charged"]]
    assert sorted(published) == ["a_charged", "b_charged", "c_charged"]


async def test_a_request_cancelled_while_it_waits_in_a_lane_leaves_the_others_to_finish():
    counting = CountingStorage()
    units = Units(counting.unit_of_work, lanes=True)
    gate = asyncio.Event()

    async def slow(uow: UnitOfWork) -> str:
        await gate.wait()
        return "slow"

    first = asyncio.create_task(units.in_lane("hot", slow))
    waiting = [asyncio.create_task(units.in_lane("hot", saving(f"k{n}", []))) for n in range(3)]
    await asyncio.sleep(0.01)
    waiting[1].cancel()
    gate.set()

    assert await first == "slow"
    assert await waiting[0] == "k0" and await waiting[2] == "k2"
    with pytest.raises(asyncio.CancelledError):
        await waiting[1]
    assert await stored(counting, ["k0", "k1", "k2"]) == ["k0", "k2"]
