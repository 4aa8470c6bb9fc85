"""Held writes: a Postgres unit sends writes nobody reads back in one statement before its next
read or its COMMIT. The unit still sees its own writes, a late conflict surfaces from commit and
writes nothing, and reading units still refuse writes."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from domain.ledger import Posting, post
from domain.money import Currency, Money
from domain.usage import Usage
from ports.storage import Conflict
from tests.postgres.samples import NOW, topup


async def test_a_unit_reads_its_own_held_writes(open_storage):
    async with open_storage() as storage, storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
        transfer = topup("u1", 500)
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))
        assert (await uow.wallets.get("u1", Currency.UZS)).balance == Money(500, Currency.UZS)
        assert await uow.reports.unbalanced_transfers() == 0
        assert await uow.reports.transfer_count() == 1


async def test_held_writes_alone_commit_together(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            transfer = topup("u9", 700)
            await uow.ledger.record(Posting(transfer, (), ()))
            await uow.usage.add(Usage(uuid.uuid4(), "u9", "x", 1, Currency.UZS, NOW.date(), NOW))
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 1
            assert (await uow.reports.daily_usage("u9", NOW.date(), Currency.UZS)).spent_today == 0


async def test_a_conflict_at_flush_surfaces_from_commit_and_writes_nothing(open_storage):
    async with open_storage() as storage:
        transfer = topup("u1", 500)
        async with storage.unit_of_work() as uow:
            await uow.ledger.record(Posting(transfer, (), ()))
            await uow.commit()
        async with storage.unit_of_work() as uow:
            await uow.wallets.lock("u2", Currency.UZS, NOW)
            await uow.ledger.record(Posting(topup("u2", 1), (), ()))
            await uow.ledger.record(Posting(transfer, (), ()))
            with pytest.raises(Conflict) as conflict:
                await uow.commit()
            assert conflict.value.constraint == "transfers_pkey"
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 1
            assert await uow.wallets.get("u2", Currency.UZS) is None


async def test_a_reading_unit_still_refuses_writes(open_storage):
    async with open_storage() as storage, storage.unit_of_work(write=False) as uow:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await uow.ledger.record(Posting(topup("u1", 1), (), ()))


async def test_two_saves_of_one_wallet_keep_the_last(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
            wallet.balance = Money(5, Currency.UZS)
            await uow.wallets.save(wallet)
            wallet.balance = Money(9, Currency.UZS)
            wallet.is_blocked = True
            await uow.wallets.save(wallet)
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            got = await uow.wallets.get("u1", Currency.UZS)
            assert (got.balance.minor, got.is_blocked, got.created_at) == (9, True, NOW)


@pytest.mark.parametrize("count", [1, 8, 9, 40])  # one value per parameter up to 8 rows, arrays beyond
async def test_held_rows_few_or_many_are_all_written_in_their_order(open_storage, count):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            transfers = [topup("u7", 100 + n) for n in range(count)]
            for transfer in transfers:
                await uow.ledger.record(Posting(transfer, (), ()))
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == count
        async with storage.unit_of_work() as uow:  # seq follows the order they were held in
            rows = await uow.session.fetch("SELECT amount FROM transfers ORDER BY seq")
        assert [row["amount"] for row in rows] == [100 + n for n in range(count)]
