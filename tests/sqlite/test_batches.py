"""Group commit: writing units that follow one another share one transaction, yet each succeeds or
fails on its own, and a unit's commit returns only once its batch is on disk."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

import adapters.sqlite.batch
from adapters.sqlite import SqliteStorage, open_sqlite
from domain.ledger import Posting, post
from domain.money import Currency, Money
from ports.storage import TransientStorageError
from tests.sqlite.samples import NOW, topup


@pytest.fixture(autouse=True)
def batches_stay_open(monkeypatch):
    """A batch is cut at 5 ms of age; on a loaded machine the queueing below can take longer, and
    the units would then land in two batches. These tests are about what one batch does."""
    monkeypatch.setattr(adapters.sqlite.batch, "MAX_SECONDS", 60.0)


class CountedCommits:
    """The writing connection, counting its COMMITs; with ``failing``, every COMMIT fails as a
    broken disk would make it."""

    def __init__(self, connection: sqlite3.Connection, *, failing: bool = False) -> None:
        self._connection, self.failing, self.commits = connection, failing, 0

    def execute(self, sql: str, *params):
        if sql == "COMMIT":
            self.commits += 1
            if self.failing:
                raise sqlite3.OperationalError("disk I/O error")
        return self._connection.execute(sql, *params)

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


def counted(storage: SqliteStorage, *, failing: bool = False) -> CountedCommits:
    writer = storage._pool._writer
    writer._connection = CountedCommits(writer._connection, failing=failing)
    return writer._connection


async def until_waiting(storage: SqliteStorage, units: int) -> None:
    """Let the other tasks run until ``units`` of them wait for the writing turn."""
    for _ in range(10_000):
        if len(storage._pool._writing_turn._waiters or ()) >= units:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"{units} units did not queue for the writing turn")


async def top_up(storage: SqliteStorage, user: str, minor: int, *, fail: bool = False,
                 read_back: bool = False) -> None:
    """With ``read_back``, the unit reads after writing (so its writes are made then, not held
    until it commits) before it fails or commits."""
    async with storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock(user, Currency.UZS, NOW)
        transfer = topup(user, minor)
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))
        if read_back:
            assert (await uow.wallets.get(user, Currency.UZS)).balance == wallet.balance
        if fail:
            raise RuntimeError("the use case failed after writing")
        await uow.commit()


async def batch_of(storage: SqliteStorage, first: str, others: dict[str, bool]) -> list[object]:
    """Top up ``first`` while the other units (user → fails) queue behind it, so that they all run
    in the transaction ``first`` opened; the outcome of each unit, ``first``'s first."""
    async with storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock(first, Currency.UZS, NOW)
        transfer = topup(first, 100)
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))
        queued = [asyncio.create_task(top_up(storage, user, 100, fail=fail)) for user, fail in others.items()]
        await until_waiting(storage, len(others))
        try:
            await uow.commit()
            outcome: object = None
        except TransientStorageError as error:
            outcome = error
    return [outcome, *await asyncio.gather(*queued, return_exceptions=True)]


async def balances(path: str, users: list[str]) -> dict[str, int]:
    """Each user's balance as a new process would find it on disk (absent: no wallet)."""
    storage = await open_sqlite(path, migrate=False)
    try:
        async with storage.unit_of_work(write=False) as uow:
            wallets = {user: await uow.wallets.get(user, Currency.UZS) for user in users}
    finally:
        await storage.close()
    return {user: wallet.balance.minor for user, wallet in wallets.items() if wallet is not None}


async def test_units_committed_in_one_batch_are_all_on_disk_after_one_commit(db_path):
    storage = await open_sqlite(db_path)
    try:
        commits = counted(storage)
        outcomes = await batch_of(storage, "u0", {"u1": False, "u2": False, "u3": False})
    finally:
        await storage.close()
    assert outcomes == [None, None, None, None]
    assert commits.commits == 1
    assert await balances(db_path, ["u0", "u1", "u2", "u3"]) == {"u0": 100, "u1": 100, "u2": 100, "u3": 100}


async def test_a_unit_failing_inside_a_batch_drops_only_its_own_writes(db_path):
    storage = await open_sqlite(db_path)
    try:
        commits = counted(storage)
        outcomes = await batch_of(storage, "u0", {"u1": True, "u2": False})
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 2
            assert await uow.reports.unbalanced_transfers() == 0
    finally:
        await storage.close()
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], RuntimeError)
    assert commits.commits == 1
    assert await balances(db_path, ["u0", "u1", "u2"]) == {"u0": 100, "u2": 100}


async def test_a_failed_batch_commit_fails_every_unit_of_the_batch_and_keeps_nothing(db_path):
    storage = await open_sqlite(db_path)
    try:
        commits = counted(storage, failing=True)
        outcomes = await batch_of(storage, "u0", {"u1": False, "u2": False})
        commits.failing = False
        await top_up(storage, "u3", 7)  # the storage goes on: the next batch commits
    finally:
        await storage.close()
    assert [type(outcome) for outcome in outcomes] == [TransientStorageError] * 3
    assert commits.commits == 2
    assert await balances(db_path, ["u0", "u1", "u2", "u3"]) == {"u3": 7}


async def test_a_batch_handed_to_a_unit_that_gave_up_is_still_committed(db_path):
    storage = await open_sqlite(db_path)
    try:
        async with storage.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u0", Currency.UZS, NOW)
            wallet.balance = Money(500, Currency.UZS)
            await uow.wallets.save(wallet)
            gave_up = asyncio.create_task(top_up(storage, "u1", 100))
            await until_waiting(storage, 1)
            gave_up.cancel()  # its turn comes, but it is no longer there to take it
            await uow.commit()
        with pytest.raises(asyncio.CancelledError):
            await gave_up
    finally:
        await storage.close()
    assert await balances(db_path, ["u0", "u1"]) == {"u0": 500}


async def test_a_unit_that_read_its_own_writes_and_then_failed_drops_only_them(db_path):
    storage = await open_sqlite(db_path)
    try:
        await top_up(storage, "u1", 50)  # the wallet exists: its lock writes nothing
        async with storage.unit_of_work() as uow:
            await uow.wallets.lock("u0", Currency.UZS, NOW)
            queued = [asyncio.create_task(top_up(storage, "u1", 100, fail=True, read_back=True)),
                      asyncio.create_task(top_up(storage, "u2", 100))]
            await until_waiting(storage, 2)
            await uow.commit()
        outcomes = await asyncio.gather(*queued, return_exceptions=True)
    finally:
        await storage.close()
    assert isinstance(outcomes[0], RuntimeError) and outcomes[1] is None
    assert await balances(db_path, ["u0", "u1", "u2"]) == {"u0": 0, "u1": 50, "u2": 100}


async def test_writes_failing_as_their_unit_commits_fail_its_whole_batch(db_path):
    # The writes a unit holds until it commits take no savepoint: when one of them fails there
    # (here a transfer id already written in the batch), the batch keeps nothing and the units
    # that committed into it hear it is transient (their retry is safe).
    storage = await open_sqlite(db_path)
    try:
        clash = topup("u1", 100)
        async with storage.unit_of_work() as uow:
            await uow.wallets.lock("u0", Currency.UZS, NOW)  # takes the writing turn first
            await uow.ledger.record(Posting(clash, (), ()))

            async def again() -> None:
                async with storage.unit_of_work() as other:
                    await other.ledger.record(Posting(clash, (), ()))
                    await other.commit()

            queued = asyncio.create_task(again())
            await until_waiting(storage, 1)
            with pytest.raises(TransientStorageError):
                await uow.commit()
        outcome = await asyncio.gather(queued, return_exceptions=True)
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 0
    finally:
        await storage.close()
    assert type(outcome[0]).__name__ == "Conflict"
