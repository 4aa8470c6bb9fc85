"""Wallets: created at zero on first lock, stored balance and blocking, one per currency."""

from __future__ import annotations

from domain.ledger import Account, Wallet
from domain.money import Currency, Money
from tests.contract.builders import NOW, UZS, minutes, uzs
from tests.contract.seeding import seed


async def test_locking_a_missing_wallet_creates_it_at_zero_with_its_creation_time(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            assert (wallet.balance, wallet.is_blocked, wallet.created_at) == (uzs(0), False, NOW)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.wallets.get("u1", UZS) == Wallet("u1", UZS, NOW, uzs(0), False)


async def test_locking_an_existing_wallet_keeps_its_balance_and_creation_time(storage):
    async with storage() as s:
        await seed(s, Wallet("u1", UZS, NOW, uzs(4_200)))
        async with s.unit_of_work() as uow:
            again = await uow.wallets.lock("u1", UZS, minutes(60))
            assert (again.balance, again.created_at) == (uzs(4_200), NOW)


async def test_an_unknown_wallet_is_none(storage):
    async with storage() as s, s.unit_of_work(write=False) as uow:
        assert await uow.wallets.get("nobody", UZS) is None


async def test_a_saved_wallet_comes_back_with_balance_and_blocking(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            wallet = await uow.wallets.lock("u1", Currency.USD, NOW)
            wallet.balance = Money(12_345, Currency.USD)
            wallet.is_blocked = True
            await uow.wallets.save(wallet)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            stored = await uow.wallets.get("u1", Currency.USD)
        assert stored == Wallet("u1", Currency.USD, NOW, Money(12_345, Currency.USD), True)
        assert stored.created_at.utcoffset() is not None


async def test_wallets_are_per_currency_and_listed_for_their_user(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await uow.wallets.lock("u1", UZS, NOW)
            await uow.wallets.lock("u1", Currency.USD, minutes(1))
            await uow.wallets.lock("u1", Currency.IRR, minutes(2))
            await uow.wallets.lock("u2", UZS, NOW)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            mine = await uow.wallets.for_user("u1")
            assert await uow.wallets.for_user("nobody") == []
        assert [w.currency for w in mine] == [UZS, Currency.USD, Currency.IRR]
        assert all(w.user_id == "u1" for w in mine)


async def test_balances_name_every_wallet_account_with_its_stored_balance(storage):
    async with storage() as s:
        await seed(s, Wallet("u1", UZS, NOW, uzs(100)), Wallet("u2", UZS, NOW, uzs(0)))
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.wallet_balances() == {
                Account.wallet("u1", UZS): 100, Account.wallet("u2", UZS): 0,
            }


async def test_wallets_are_listed_by_user_then_currency_and_searched_by_user_prefix(storage):
    from datetime import UTC, datetime

    from domain.money import Currency
    from domain.paging import PageRequest

    async with storage() as s:
        now = datetime(2026, 1, 15, tzinfo=UTC)
        async with s.unit_of_work() as uow:
            for user, currency in [("doc-2", Currency.UZS), ("alice", Currency.USD), ("alice", Currency.UZS),
                                   ("doc-10", Currency.UZS), ("doc_x", Currency.UZS)]:
                await uow.wallets.lock(user, currency, now)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            every = await uow.reports.wallets(PageRequest(1, 10))
            docs = await uow.reports.wallets(PageRequest(1, 10), user_prefix="doc-")
            second = await uow.reports.wallets(PageRequest(2, 2))
    assert [(w.user_id, w.currency.value) for w in every.items] == [
        ("alice", "USD"), ("alice", "UZS"), ("doc-10", "UZS"), ("doc-2", "UZS"), ("doc_x", "UZS")]
    assert [w.user_id for w in docs.items] == ["doc-10", "doc-2"] and docs.total_count == 2
    assert [w.user_id for w in second.items] == ["doc-10", "doc-2"] and second.total_count == 5
