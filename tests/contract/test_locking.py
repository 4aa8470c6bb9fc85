"""Locks in writing units: units that lock the same wallet or payment run one after the other, so
no read-modify-write is lost and no wallet is spent twice."""

from __future__ import annotations

import asyncio

import pytest

from domain.errors import InsufficientFunds
from domain.ledger import verify
from domain.money import Money
from domain.payments import PaymentStatus
from tests.contract.builders import NOW, UZS, charge, payment, record_transfer, topup, uzs
from tests.contract.seeding import seed


async def test_two_units_adding_to_one_locked_wallet_lose_no_update(storage):
    async with storage() as s:
        async def add_one() -> None:
            async with s.unit_of_work() as uow:
                wallet = await uow.wallets.lock("u1", UZS, NOW)
                seen = wallet.balance
                await asyncio.sleep(0.01)  # the other unit gets every chance to interleave here
                wallet.balance = seen + uzs(1)
                await uow.wallets.save(wallet)
                await uow.commit()

        await asyncio.gather(add_one(), add_one())
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", UZS)).balance == uzs(2)


async def test_two_units_locking_one_wallet_run_one_after_the_other(storage, until_queued):
    async with storage() as s:
        async with s.unit_of_work() as first:
            wallet = await first.wallets.lock("u1", UZS, NOW)

            async def second_unit() -> Money:
                async with s.unit_of_work() as second:
                    return (await second.wallets.lock("u1", UZS, NOW)).balance

            waiting = asyncio.create_task(second_unit())
            await until_queued(s, first)
            assert not waiting.done()
            wallet.balance = uzs(7_000)
            await first.wallets.save(wallet)
            await first.commit()
        assert await waiting == uzs(7_000)


async def test_two_units_changing_one_locked_payment_lose_no_update(storage):
    async with storage() as s:
        created = payment(description="0")
        await seed(s, created)

        async def add_one() -> None:
            async with s.unit_of_work() as uow:
                locked = await uow.payments.lock(created.id)
                seen = int(locked.description)
                await asyncio.sleep(0.01)
                locked.description = str(seen + 1)
                await uow.payments.save(locked)
                await uow.commit()

        await asyncio.gather(add_one(), add_one())
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.payments.get(created.id)).description == "2"


async def test_locking_an_unknown_payment_gives_none(storage):
    async with storage() as s, s.unit_of_work() as uow:
        assert await uow.payments.lock(payment().id) is None


async def test_only_as_many_concurrent_charges_succeed_as_the_wallet_can_pay(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 5 * 500_000))
            await uow.commit()

        async def charge_once() -> bool:
            try:
                async with s.unit_of_work() as uow:
                    wallet = await uow.wallets.lock("u1", UZS, NOW)
                    wallet.ensure_can_pay(uzs(500_000))
                    await asyncio.sleep(0)
                    await record_transfer(uow, charge("u1", 500_000))
                    await uow.commit()
                    return True
            except InsufficientFunds:
                return False

        outcomes = await asyncio.gather(*(charge_once() for _ in range(20)))
        assert outcomes.count(True) == 5
        async with s.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", UZS)).balance == uzs(0)
            assert await uow.reports.transfer_count() == 6
            report = verify(await uow.reports.entry_sums(), await uow.reports.wallet_balances(),
                            await uow.reports.transfer_count())
            assert report.ok, report.violations
            assert await uow.reports.unbalanced_transfers() == 0


async def test_units_creating_one_wallet_at_once_make_a_single_wallet(storage):
    async with storage() as s:
        async def lock_and_commit() -> None:
            async with s.unit_of_work() as uow:
                await uow.wallets.lock("new-user", UZS, NOW)
                await asyncio.sleep(0)
                await uow.commit()

        await asyncio.gather(*(lock_and_commit() for _ in range(5)))
        async with s.unit_of_work(write=False) as uow:
            assert len(await uow.wallets.for_user("new-user")) == 1


async def test_a_payment_completed_by_one_unit_is_seen_completed_by_the_next_locker(storage):
    async with storage() as s:
        created = payment()
        await seed(s, created)

        async def complete_if_open() -> bool:
            async with s.unit_of_work() as uow:
                locked = await uow.payments.lock(created.id)
                if locked.status is PaymentStatus.COMPLETED:
                    return False
                await asyncio.sleep(0.01)
                locked.complete(NOW)
                await uow.payments.save(locked)
                await uow.commit()
                return True

        assert sorted(await asyncio.gather(complete_if_open(), complete_if_open())) == [False, True]


@pytest.mark.parametrize("leave", ["no commit", "exception"])
async def test_a_lock_is_released_when_its_unit_rolls_back(storage, leave):
    async with storage() as s:
        try:
            async with s.unit_of_work() as uow:
                await uow.wallets.lock("u1", UZS, NOW)
                if leave == "exception":
                    raise RuntimeError("the use case failed")
        except RuntimeError:
            pass

        async def lock_again() -> None:
            async with s.unit_of_work() as uow:
                assert (await uow.wallets.lock("u1", UZS, NOW)).balance == uzs(0)

        # Only a guard: a lock never released would otherwise hang the suite instead of failing it.
        await asyncio.wait_for(lock_again(), timeout=30)
