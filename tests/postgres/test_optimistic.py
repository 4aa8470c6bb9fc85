"""Units their caller retries (``retried=True``) are optimistic: a wallet read without a lock is
checked at commit. A unit whose wallet nobody changed commits everything in one statement; one whose
wallet changed meanwhile (saved, or only locked, by another unit) writes nothing and gets a transient
error, so that ``Units`` runs it again, and from then on that wallet is locked for real for a while;
one that needs its transaction after all locks the wallet at the version it read."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from adapters.postgres.contention import HOT_SECONDS, Contention
from domain.ledger import Transfer, TransferKind, post, verify
from domain.money import Currency, Money
from domain.usage import Usage
from ports.storage import TransientStorageError
from tests.postgres.samples import NOW, payment, topup

UZS = Currency.UZS


def usage(user_id: str = "u1") -> Usage:
    return Usage(uuid.uuid4(), user_id, "doctor_view", 1, UZS, NOW.date(), NOW, related_object_id="d1")


async def fund(storage, minor: int) -> None:
    async with storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock("u1", UZS, NOW)
        transfer = topup("u1", minor)
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))
        await uow.commit()


async def stored(storage) -> tuple[Money, int, int]:
    """The wallet's balance, the transfers and the usage rows of u1's day."""
    async with storage.unit_of_work(write=False) as uow:
        wallet = await uow.wallets.get("u1", UZS)
        views = (await uow.reports.daily_usage("u1", NOW.date(), UZS)).total_views
        return wallet.balance, await uow.reports.transfer_count(), views


async def test_an_unchanged_wallet_lets_the_unit_commit_all_it_wrote(open_storage):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as uow:
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            transfer = topup("u1", 250)
            await uow.ledger.record(post(transfer, {wallet.account: wallet}))
            await uow.usage.add(usage())
            await uow.commit()
        assert await stored(storage) == (Money(1_250, UZS), 2, 1)


async def test_a_wallet_saved_meanwhile_makes_the_commit_transient_and_write_nothing(open_storage):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as slow:
            wallet = await slow.wallets.lock("u1", UZS, NOW)
            await fund(storage, 500)  # another unit changes the wallet and commits first
            transfer = topup("u1", 250)
            await slow.ledger.record(post(transfer, {wallet.account: wallet}))
            await slow.usage.add(usage())
            with pytest.raises(TransientStorageError):
                await slow.commit()
        assert await stored(storage) == (Money(1_500, UZS), 2, 0)


async def test_a_wallet_only_locked_meanwhile_counts_as_changed(open_storage):
    # A free view saves no balance: the other unit's lock alone must tell the watcher that the
    # usage it counted may be stale.
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as slow:
            await slow.wallets.lock("u1", UZS, NOW)
            async with storage.unit_of_work() as fast:
                await fast.wallets.lock("u1", UZS, NOW)
                await fast.usage.add(usage())
                await fast.commit()
            await slow.usage.add(usage())
            with pytest.raises(TransientStorageError):
                await slow.commit()
        assert await stored(storage) == (Money(1_000, UZS), 1, 1)


async def test_a_unit_needing_its_transaction_locks_the_wallet_at_the_version_read(open_storage):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as uow:
            await uow.wallets.lock("u1", UZS, NOW)
            await uow.payments.add(payment())  # not a held write: the transaction begins here
            await uow.usage.add(usage())
            await uow.commit()
        assert await stored(storage) == (Money(1_000, UZS), 1, 1)

        async with storage.unit_of_work(retried=True) as uow:
            await uow.wallets.lock("u1", UZS, NOW)
            await fund(storage, 500)
            with pytest.raises(TransientStorageError):
                await uow.payments.add(payment())
        assert await stored(storage) == (Money(1_500, UZS), 2, 1)


async def test_a_unit_that_only_read_commits_nothing_and_waits_for_nobody(open_storage):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work() as holder:
            await holder.wallets.lock("u1", UZS, NOW)  # holds the row lock until it ends
            async with storage.unit_of_work(retried=True) as reader:
                assert (await reader.wallets.lock("u1", UZS, NOW)).balance == Money(1_000, UZS)
                await reader.commit()


async def test_a_unit_that_holds_writes_before_its_lock_locks_the_wallet_for_real(
        open_storage, until_blocked):
    # Its held writes go out with its next statement, which begins the transaction: from there a
    # wallet it locks is a row lock, or a change made meanwhile by another unit would be lost.
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as uow:
            await uow.usage.add(usage())
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            waiting = asyncio.create_task(fund(storage, 500))
            await until_blocked(uow)
            wallet.balance = Money(900, UZS)
            await uow.wallets.save(wallet)
            await uow.commit()
        await waiting
        assert await stored(storage) == (Money(1_400, UZS), 2, 1)


async def test_a_wallet_just_fought_over_is_locked_for_real_by_the_next_retried_unit(open_storage,
                                                                                       until_blocked):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as slow:
            await slow.wallets.lock("u1", UZS, NOW)
            await fund(storage, 500)
            await slow.usage.add(usage())
            with pytest.raises(TransientStorageError):
                await slow.commit()
        async with storage.unit_of_work(retried=True) as retry:  # as Units runs it again
            wallet = await retry.wallets.lock("u1", UZS, NOW)  # a row lock now: others wait
            waiting = asyncio.create_task(fund(storage, 100))
            await until_blocked(retry)
            transfer = topup("u1", 250)
            await retry.ledger.record(post(transfer, {wallet.account: wallet}))
            await retry.commit()
        await waiting
        assert await stored(storage) == (Money(1_850, UZS), 4, 0)


def test_a_wallet_cools_down_after_a_while():
    now = [100.0]
    contention = Contention(lambda: now[0])
    contention.lost([("u1", "UZS")])
    assert contention.is_hot(("u1", "UZS")) and not contention.is_hot(("u2", "UZS"))
    now[0] += HOT_SECONDS
    assert not contention.is_hot(("u1", "UZS"))


async def test_a_unit_watching_two_wallets_writes_neither_when_one_of_them_changed(open_storage):
    # Both wallets are only watched (read before any write); the one that nobody touched must not
    # keep the new balance on its own while the transfer and the other wallet are refused.
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work() as uow:
            other = await uow.wallets.lock("u2", UZS, NOW)
            await uow.ledger.record(post(topup("u2", 1_000), {other.account: other}))
            await uow.commit()
        async with storage.unit_of_work(retried=True) as slow:
            payer = await slow.wallets.lock("u1", UZS, NOW)
            payee = await slow.wallets.lock("u2", UZS, NOW)
            async with storage.unit_of_work() as fast:  # u2 changes and commits first
                changed = await fast.wallets.lock("u2", UZS, NOW)
                await fast.ledger.record(post(topup("u2", 500), {changed.account: changed}))
                await fast.commit()
            between = Transfer(uuid.uuid4(), payer.account, payee.account, Money(300, UZS),
                               TransferKind.ADJUSTMENT, "between wallets", "test", NOW)
            await slow.ledger.record(post(between, {payer.account: payer, payee.account: payee}))
            with pytest.raises(TransientStorageError):
                await slow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", UZS)).balance == Money(1_000, UZS)
            assert (await uow.wallets.get("u2", UZS)).balance == Money(1_500, UZS)
            assert await uow.reports.transfer_count() == 3
            assert verify(await uow.reports.entry_sums(), await uow.reports.wallet_balances(), 3).ok


async def test_a_unit_watching_two_unchanged_wallets_commits_both(open_storage):
    async with open_storage() as storage:
        await fund(storage, 1_000)
        async with storage.unit_of_work(retried=True) as uow:
            payer = await uow.wallets.lock("u1", UZS, NOW)
            payee = await uow.wallets.lock("u2", UZS, NOW)
            between = Transfer(uuid.uuid4(), payer.account, payee.account, Money(300, UZS),
                               TransferKind.ADJUSTMENT, "between wallets", "test", NOW)
            await uow.ledger.record(post(between, {payer.account: payer, payee.account: payee}))
            await uow.commit()
        async with storage.unit_of_work(write=False) as uow:
            assert (await uow.wallets.get("u1", UZS)).balance == Money(700, UZS)
            assert (await uow.wallets.get("u2", UZS)).balance == Money(300, UZS)
            assert verify(await uow.reports.entry_sums(), await uow.reports.wallet_balances(), 2).ok
