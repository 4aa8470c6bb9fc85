"""A server process killed (SIGKILL) in the middle of charges and top-ups loses nothing it
acknowledged, and leaves a ledger that balances: every currency sums to zero, every wallet equals
its entries, every completed payment is credited exactly once."""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path
from uuid import UUID

import pytest

from domain.ledger import TransferKind
from domain.paging import PageRequest
from domain.payments import PaymentStatus
from ports.storage import Storage
from tests.proofs.databases import facade
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


async def all_payments(hamyon) -> list:
    found, page = [], PageRequest(1, 100)
    while True:
        batch = await hamyon.admin.search_payments(page)
        found.extend(batch.items)
        if not batch.has_next:
            return found
        page = PageRequest(page.page + 1, 100)


async def topups_of(storage: Storage, payment_id: object) -> list:
    async with storage.unit_of_work(write=False) as uow:
        return [t for t in await uow.reports.transfers_for(str(payment_id)) if t.kind is TransferKind.TOPUP]


@pytest.mark.slow
async def test_a_process_killed_mid_stream_keeps_every_acknowledged_operation(database, tmp_path):
    seed = int.from_bytes(os.urandom(4), "big")
    acks = tmp_path / "acknowledged.txt"
    async with database() as db:
        async with facade(db, first=True):
            pass
        order = {"scenario": "crash_stream", "database": db.as_json(), "acks": str(acks),
                 "users": USERS, "seed": seed}
        await kill_mid_stream(order, seed)

        lines = acknowledged(acks)
        async with facade(db) as (hamyon, storage):  # the restart
            report = await hamyon.admin.verify_ledger()
            assert report.ok, (seed, report.violations)
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
