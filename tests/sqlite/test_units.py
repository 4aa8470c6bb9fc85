"""Units of work on one file: writers take turns (a second locker of one wallet waits: the contract
suite shows it on every backend), readers never wait, busy means retry."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from adapters.sqlite import open_sqlite
from domain.ledger import post
from domain.money import Currency, Money
from ports.storage import Conflict, TransientStorageError
from tests.sqlite.samples import NOW, payment, topup


async def test_concurrent_top_ups_lose_no_update_and_keep_the_ledger_balanced(open_storage):
    async with open_storage() as storage:
        async def top_up() -> None:
            async with storage.unit_of_work() as uow:
                wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
                transfer = topup("u1", 100)
                await uow.ledger.record(post(transfer, {wallet.account: wallet}))
                await uow.commit()

        await asyncio.gather(*(top_up() for _ in range(20)))
        async with storage.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", Currency.UZS)).balance == Money(2_000, Currency.UZS)
            assert await uow.reports.transfer_count() == 20
            assert await uow.reports.unbalanced_transfers() == 0


async def test_a_reader_does_not_wait_for_a_writer_and_sees_only_what_was_committed(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as writer:
            wallet = await writer.wallets.lock("u1", Currency.UZS, NOW)
            wallet.balance = Money(500, Currency.UZS)
            await writer.wallets.save(wallet)
            async with storage.unit_of_work(write=False) as reader:
                assert await reader.wallets.get("u1", Currency.UZS) is None
            await writer.commit()
        async with storage.unit_of_work(write=False) as reader:
            assert (await reader.wallets.get("u1", Currency.UZS)).balance == Money(500, Currency.UZS)


async def test_leaving_a_unit_without_commit_keeps_nothing_and_frees_the_writing_turn(open_storage):
    async with open_storage() as storage:
        with pytest.raises(RuntimeError):
            async with storage.unit_of_work() as uow:
                await uow.wallets.lock("u1", Currency.UZS, NOW)
                raise RuntimeError("use case failed")
        async with storage.unit_of_work() as uow:
            assert await uow.wallets.get("u1", Currency.UZS) is None
            await uow.wallets.lock("u2", Currency.UZS, NOW)
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.wallets.for_user("u2") == []


async def test_a_broken_unique_key_is_a_conflict_and_the_unit_goes_on(open_storage):
    async with open_storage() as storage:
        first = payment()
        clash = payment()
        clash.reference_number = first.reference_number
        async with storage.unit_of_work() as uow:
            await uow.payments.add(first)
            with pytest.raises(Conflict) as refused:
                await uow.payments.add(clash)
            assert refused.value.constraint == "payment_reference"
            await uow.wallets.lock("u1", Currency.UZS, NOW)
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.payments.get(first.id) == first
            assert await uow.wallets.get("u1", Currency.UZS) is not None


async def test_a_database_held_by_another_process_past_the_busy_timeout_is_transient(db_path):
    storage = await open_sqlite(db_path, busy_timeout=0.05)
    other_process = sqlite3.connect(db_path, isolation_level=None)
    try:
        other_process.execute("BEGIN IMMEDIATE")
        with pytest.raises(TransientStorageError, match="locked"):
            async with storage.unit_of_work() as uow:
                await uow.wallets.lock("u1", Currency.UZS, NOW)
        other_process.execute("ROLLBACK")
        async with storage.unit_of_work() as uow:
            await uow.wallets.lock("u1", Currency.UZS, NOW)
            await uow.commit()
    finally:
        other_process.close()
        await storage.close()


async def test_a_writing_unit_opened_inside_another_of_the_same_task_fails_instead_of_hanging(db_path):
    storage = await open_sqlite(db_path, busy_timeout=0.05)
    try:
        async with storage.unit_of_work() as outer:
            await outer.wallets.lock("u1", Currency.UZS, NOW)
            with pytest.raises(TransientStorageError):
                async with storage.unit_of_work() as inner:
                    await inner.wallets.lock("u2", Currency.UZS, NOW)
            await outer.commit()
    finally:
        await storage.close()


async def test_a_naive_time_is_refused_rather_than_guessed(open_storage):
    async with open_storage() as storage, storage.unit_of_work() as uow:
        with pytest.raises(ValueError, match="naive"):
            await uow.wallets.lock("u1", Currency.UZS, NOW.replace(tzinfo=None))
