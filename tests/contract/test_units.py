"""Units of work: explicit commit, rollback by default, one committed moment per reading unit, and
copies that do not write through."""

from __future__ import annotations

import pytest

from domain.ledger import Posting, Wallet
from domain.money import Currency
from domain.payments import AttemptStatus
from tests.contract.builders import NOW, UZS, attempt, payment, topup, uzs
from tests.contract.seeding import seed


class Boom(Exception):
    pass


async def test_a_committed_unit_is_seen_by_later_units(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            wallet.balance = uzs(7_000)
            await uow.wallets.save(wallet)
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert (await uow.wallets.get("u1", UZS)).balance == uzs(7_000)


async def test_leaving_a_unit_without_commit_rolls_everything_back(storage):
    async with storage() as s:
        created = payment()
        async with s.unit_of_work() as uow:
            await uow.wallets.lock("u1", UZS, NOW)
            await uow.payments.add(created)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.wallets.get("u1", UZS) is None
            assert await uow.payments.get(created.id) is None


async def test_an_exception_in_a_unit_rolls_it_back(storage):
    async with storage() as s:
        created = payment()
        with pytest.raises(Boom):
            async with s.unit_of_work() as uow:
                await uow.payments.add(created)
                raise Boom()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.payments.get(created.id) is None


async def test_an_explicit_rollback_forgets_appended_rows_too(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await uow.ledger.record(Posting(topup("u1", 1_000), (), ()))
            await uow.rollback()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 0
            assert await uow.reports.transfers_for("PAY-1") == []


async def test_a_unit_may_keep_working_after_commit_and_the_rest_needs_its_own_commit(storage):
    async with storage() as s:
        first, second = payment(), payment()
        async with s.unit_of_work() as uow:
            await uow.payments.add(first)
            await uow.commit()
            await uow.payments.add(second)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.payments.get(first.id) is not None
            assert await uow.payments.get(second.id) is None


async def test_a_reading_unit_sees_committed_data(storage):
    async with storage() as s:
        created = payment()
        await seed(s, created)
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.payments.get(created.id)).reference_number == created.reference_number


async def test_a_reading_unit_sees_one_moment_across_its_queries(storage):
    async with storage() as s:
        await seed(s, Wallet("u1", UZS, NOW, uzs(100)))
        async with s.unit_of_work(write=False) as reader:
            assert (await reader.wallets.get("u1", UZS)).balance == uzs(100)
            async with s.unit_of_work() as writer:
                wallet = await writer.wallets.lock("u1", UZS, NOW)
                wallet.balance = uzs(250)
                await writer.wallets.save(wallet)
                await writer.ledger.record(Posting(topup("u1", 150), (), ()))
                await writer.commit()
            assert (await reader.reports.wallet_balances())[wallet.account] == 100
            assert await reader.reports.transfer_count() == 0


async def test_changing_a_returned_object_changes_nothing_until_saved(storage):
    async with storage() as s:
        created = payment()
        async with s.unit_of_work() as uow:
            await uow.payments.add(created)
            await uow.payments.add_attempt(attempt(created))
            created.description = "changed after add"
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            wallet.balance = uzs(999)
            (await uow.payments.get(created.id)).description = "changed after get"
            (await uow.payments.lock(created.id)).description = "changed after lock"
            (await uow.payments.attempt("click", "7001")).status = AttemptStatus.COMPLETED
            (await uow.wallets.get("u1", UZS)).is_blocked = True
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.payments.get(created.id)).description == ""
            assert (await uow.payments.attempt("click", "7001")).status is AttemptStatus.OPEN
            assert (await uow.wallets.get("u1", Currency.UZS)) == Wallet("u1", UZS, NOW)
