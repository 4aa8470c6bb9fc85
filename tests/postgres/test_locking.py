"""Row locks and the idempotency lock: units that touch the same wallet, payment or key take turns
(that a second locker of one wallet waits, the contract suite shows on every backend)."""

from __future__ import annotations

import asyncio

from domain.money import Currency, Money
from tests.contract.seeding import seed
from tests.postgres.samples import NOW, payment, record


async def test_concurrent_read_modify_write_units_lose_no_update(open_storage):
    async with open_storage() as storage:
        async def add_one() -> None:
            async with storage.unit_of_work() as uow:
                wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
                await uow.payments.get(payment().id)  # a round trip between read and write
                wallet.balance += Money(1, Currency.UZS)
                await uow.wallets.save(wallet)
                await uow.commit()

        await asyncio.gather(*(add_one() for _ in range(12)))
        async with storage.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", Currency.UZS)).balance == Money(12, Currency.UZS)


async def test_units_creating_one_wallet_at_once_share_a_single_row(open_storage):
    async with open_storage() as storage:
        async def lock_and_commit() -> None:
            async with storage.unit_of_work() as uow:
                await uow.wallets.lock("new-user", Currency.USD, NOW)
                await uow.commit()

        await asyncio.gather(*(lock_and_commit() for _ in range(6)))
        async with storage.unit_of_work(write=False) as uow:
            assert len(await uow.wallets.for_user("new-user")) == 1


async def test_a_locked_payment_waits_for_the_unit_holding_it(open_storage, until_blocked):
    async with open_storage() as storage:
        created = payment()
        await seed(storage, created)
        async with storage.unit_of_work() as first:
            held = await first.payments.lock(created.id)

            async def second_unit() -> str:
                async with storage.unit_of_work() as second:
                    return (await second.payments.lock(created.id)).status.value

            waiting = asyncio.create_task(second_unit())
            await until_blocked(first)
            held.start_processing(NOW)
            await first.payments.save(held)
            await first.commit()
        assert await waiting == "processing"


async def test_a_second_request_with_the_same_key_waits_and_then_sees_the_first_answer(
        open_storage, until_blocked):
    async with open_storage() as storage:
        stored = record("key-9")
        async with storage.unit_of_work() as first:
            assert await first.idempotency.get("u1", "key-9", "POST", stored.path) is None

            async def second_request():
                async with storage.unit_of_work() as second:
                    return await second.idempotency.get("u1", "key-9", "POST", stored.path)

            waiting = asyncio.create_task(second_request())
            await until_blocked(first)
            await first.idempotency.save(stored)
            await first.commit()
        assert await waiting == stored


async def test_a_reading_unit_waits_for_no_lock(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as writer:
            await writer.wallets.lock("u1", Currency.UZS, NOW)
            await writer.commit()
        async with storage.unit_of_work() as writer:
            await writer.wallets.lock("u1", Currency.UZS, NOW)
            await writer.idempotency.get("u1", "key-1", "POST", "/p")
            async with storage.unit_of_work(write=False) as reader:
                assert (await reader.wallets.get("u1", Currency.UZS)).balance.is_zero
                assert await reader.idempotency.get("u1", "key-1", "POST", "/p") is None
