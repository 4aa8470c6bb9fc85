"""Several OS processes on one database file: each migrates at start, and together they lose no
update, post every transfer once and keep the ledger balanced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from adapters.sqlite import open_sqlite
from domain.ledger import verify
from domain.money import Currency, Money

REPOSITORY = Path(__file__).resolve().parents[2]  # the workers import tests.sqlite.samples from here
PROCESSES = 3
TOP_UPS = 25

# One worker process: opens (and migrates) the file, then tops up one shared wallet, one unit each.
WORKER = f"""
import asyncio, sys
from adapters.sqlite import open_sqlite
from domain.ledger import post
from tests.sqlite.samples import NOW, topup
from domain.money import Currency

async def main(path):
    storage = await open_sqlite(path)
    try:
        for _ in range({TOP_UPS}):
            async with storage.unit_of_work() as uow:
                wallet = await uow.wallets.lock("shared", Currency.UZS, NOW)
                transfer = topup("shared", 1)
                await uow.ledger.record(post(transfer, {{wallet.account: wallet}}))
                await uow.commit()
    finally:
        await storage.close()

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.slow
async def test_processes_topping_up_one_wallet_at_once_lose_nothing(db_path):
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, db_path], cwd=REPOSITORY,
                                stderr=subprocess.PIPE) for _ in range(PROCESSES)]
    failures = [worker.stderr.read().decode() for worker in workers if worker.wait() != 0]
    assert failures == []
    storage = await open_sqlite(db_path)
    try:
        async with storage.unit_of_work(write=False) as uow:
            wallet = await uow.wallets.get("shared", Currency.UZS)
            report = verify(await uow.reports.entry_sums(), await uow.reports.wallet_balances(),
                            await uow.reports.transfer_count())
            unbalanced = await uow.reports.unbalanced_transfers()
    finally:
        await storage.close()
    assert wallet.balance == Money(PROCESSES * TOP_UPS, Currency.UZS)
    assert report.ok and report.transfers == PROCESSES * TOP_UPS
    assert unbalanced == 0
