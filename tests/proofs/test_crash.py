"""A server process killed (SIGKILL) in the middle of charges and top-ups loses nothing it
acknowledged, and leaves a ledger that balances: every currency sums to zero, every wallet equals
its entries, every completed payment is credited exactly once. Killed in the middle of holds being
captured and released, it leaves every hold whole: active with its money held, or settled with
exactly the transfers its state names, never half."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest

from application.hamyon import Hamyon
from domain.holds import Hold, HoldStatus
from domain.ledger import AccountKind, Transfer, TransferKind
from domain.paging import PageRequest
from domain.payments import PaymentStatus
from ports.storage import Storage
from tests.proofs.databases import Database, facade
from tests.proofs.ledger import assert_balanced, fund
from tests.proofs.processes import TIME_LIMIT, start_worker, until_ready

USERS = [f"crash-{n}" for n in range(4)]  # one stream of operations each, all in one process


def acknowledged(path: Path) -> list[list[str]]:
    """The acknowledgement lines the child wrote in full before it died."""
    text = path.read_text() if path.exists() else ""
    return [line.split() for line in text.splitlines(keepends=True) if line.endswith("\n")]


async def kill_mid_stream(order: dict, seed: int) -> None:
    """Start the child; once it has acknowledged its first operation, let it run 0.3–1.5 s more,
    then SIGKILL it (it must not have stopped by itself)."""
    child = await start_worker(order)
    try:
        await until_ready(child)
        line = await asyncio.wait_for(child.stdout.readline(), TIME_LIMIT)
        assert line == b"acknowledging\n", f"seed {seed}: {line!r}"
        await asyncio.sleep(random.Random(seed).uniform(0.3, 1.5))
    finally:
        if child.returncode is None:
            os.kill(child.pid, signal.SIGKILL)
        await child.wait()
    if child.returncode != -signal.SIGKILL:
        raise AssertionError(f"seed {seed}: the child ended by itself ({child.returncode}):\n"
                             f"{(await child.stderr.read()).decode()}")


@contextlib.asynccontextmanager
async def killed_and_restarted(db: Database, scenario: str, users: list[str], directory: Path,
                               seed: int) -> AsyncIterator[tuple[Hamyon, Storage, list[list[str]]]]:
    """A child streams the scenario for the users and is SIGKILLed mid-stream; then the database is
    opened again, as a restarted server would, and its ledger verified. Gives that facade, its
    storage, and the lines the child acknowledged."""
    acks = directory / "acknowledged.txt"
    await kill_mid_stream({"scenario": scenario, "database": db.as_json(), "acks": str(acks),
                           "users": users, "seed": seed}, seed)
    lines = acknowledged(acks)
    async with facade(db) as (hamyon, storage):
        await assert_balanced(hamyon, seed)
        yield hamyon, storage, lines


@pytest.fixture
def seed() -> int:
    """The run's random seed: every failure names it, to replay the same streams."""
    return int.from_bytes(os.urandom(4), "big")


async def every_page(read) -> list:
    """Every item of a paged read, ``read(page)``, from the first page to the last."""
    found, page = [], PageRequest(1, 100)
    while True:
        batch = await read(page)
        found.extend(batch.items)
        if not batch.has_next:
            return found
        page = PageRequest(page.page + 1, 100)


async def all_payments(hamyon) -> list:
    return await every_page(hamyon.admin.search_payments)


async def topups_of(storage: Storage, payment_id: object) -> list:
    async with storage.unit_of_work(write=False) as uow:
        return [t for t in await uow.reports.transfers_for(str(payment_id)) if t.kind is TransferKind.TOPUP]


@pytest.mark.slow
async def test_a_process_killed_mid_stream_keeps_every_acknowledged_operation(database, tmp_path, seed):
    async with database() as db:
        async with facade(db, first=True):
            pass
        crash = killed_and_restarted(db, "crash_stream", USERS, tmp_path, seed)
        async with crash as (hamyon, storage, lines):
            await assert_acknowledged_present(hamyon, storage, lines, seed)
            for payment in await all_payments(hamyon):  # acknowledged or not: credited at most once
                credited = len(await topups_of(storage, payment.id))
                assert credited == (payment.status is PaymentStatus.COMPLETED), (seed, payment)


async def assert_acknowledged_present(hamyon, storage: Storage, lines: list[list[str]], seed: int) -> None:
    for word, *rest in lines:
        if word == "charged":
            transfer_id, reference = rest
            async with storage.unit_of_work(write=False) as uow:
                found = [str(t.id) for t in await uow.reports.transfers_for(reference)]
            assert found == [transfer_id], (seed, reference)
        else:
            payment = await hamyon.admin.payment(UUID(rest[0]))
            if word == "completed":
                assert payment.status is PaymentStatus.COMPLETED, (seed, payment)


HOLDERS = [f"holder-{n}" for n in range(4)]


@pytest.mark.slow
async def test_a_process_killed_while_capturing_holds_leaves_each_captured_or_active_never_half(
        database, tmp_path, seed):
    async with database() as db:
        async with facade(db, first=True) as (hamyon, _):
            for user in HOLDERS:
                await fund(hamyon, user, 500_000)
        crash = killed_and_restarted(db, "crash_holds", HOLDERS, tmp_path, seed)
        async with crash as (hamyon, storage, lines):
            holds = {hold.id: hold for user in HOLDERS for hold in await all_holds(storage, user)}
            for hold in holds.values():
                async with storage.unit_of_work(write=False) as uow:
                    moves = await uow.reports.transfers_for(f"hold:{hold.id}")
                assert_whole(hold, moves, seed)
            for word, hold_id, *rest in lines:
                hold = holds[UUID(hold_id)]
                if word == "captured":
                    assert (hold.status, str(hold.transaction_id)) == (HoldStatus.CAPTURED, rest[0]), seed
                elif word == "released":
                    assert hold.status is HoldStatus.RELEASED, (seed, hold)
            statuses = {hold.status for hold in holds.values()}
            assert HoldStatus.CAPTURED in statuses, (seed, len(lines))


async def all_holds(storage: Storage, user: str) -> list[Hold]:
    async def read(page: PageRequest):
        async with storage.unit_of_work(write=False) as uow:
            return await uow.reports.holds(user, page)

    return await every_page(read)


def assert_whole(hold: Hold, moves: list[Transfer], seed: int) -> None:
    """The transfers of a hold are exactly those its state names, with amounts that add up."""
    kinds = [move.kind for move in moves]
    assert kinds[:1] == [TransferKind.HOLD] and moves[0].amount == hold.amount, (seed, hold, kinds)
    if hold.status is HoldStatus.ACTIVE:
        assert kinds == [TransferKind.HOLD], (seed, hold, kinds)
    elif hold.status is HoldStatus.CAPTURED:
        assert kinds == [TransferKind.HOLD, TransferKind.RELEASE, TransferKind.CHARGE], (seed, hold, kinds)
        back, charge = moves[1:]
        assert back.amount == hold.amount and charge.id == hold.transaction_id, (seed, hold, moves)
        assert charge.amount == hold.captured_amount, (seed, hold, charge)
        assert charge.debit.kind is AccountKind.WALLET, (seed, hold, charge)
    else:
        assert kinds == [TransferKind.HOLD, TransferKind.RELEASE], (seed, hold, kinds)
        assert moves[1].amount == hold.amount, (seed, hold, moves)
