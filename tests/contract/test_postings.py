"""Postings: a transfer, its entries and its wallets' new balances recorded as one operation, kept
only with their unit; a wallet changed by another unit meanwhile never loses an update, whether
the storage made the other unit wait or refused the posting so that its caller runs it again."""

from __future__ import annotations

import asyncio

from adapters.retry import TransientRetry
from application.units import Units
from domain.ledger import Account, AccountKind, post, verify
from domain.money import Money
from ports.storage import TransientStorageError
from tests.contract.builders import NOW, UZS, charge, record_transfer, topup, transfer, uzs

U1, U2 = Account.wallet("u1", UZS), Account.wallet("u2", UZS)


async def _ledger(s) -> tuple[dict[Account, int], dict[Account, int], int]:
    """Entry sums, stored wallet balances, and how many transfers are unbalanced."""
    async with s.unit_of_work(write=False) as uow:
        reports = uow.reports
        sums, balances = await reports.entry_sums(), await reports.wallet_balances()
        return sums, balances, await reports.unbalanced_transfers()


async def _balance(s, user: str = "u1") -> Money:
    async with s.unit_of_work(write=False) as uow:
        return (await uow.wallets.get(user, UZS)).balance


async def test_a_recorded_posting_balances_and_its_wallet_equals_its_entries(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            posting = await record_transfer(uow, topup("u1", 9_000))
            await record_transfer(uow, charge("u1", 2_500))
            await uow.commit()
        sums, balances, unbalanced = await _ledger(s)
        assert posting.is_balanced and unbalanced == 0
        assert sum(sums.values()) == 0
        assert balances == {U1: 6_500} == {a: v for a, v in sums.items() if a.kind is AccountKind.WALLET}
        assert await _balance(s) == uzs(6_500)


async def test_a_posting_between_two_wallets_moves_both_balances(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 1_000))
            await record_transfer(uow, transfer(U1, U2, 400))
            await uow.commit()
        sums, balances, _ = await _ledger(s)
        assert balances == {U1: 600, U2: 400}
        assert verify(sums, balances, 2).ok


async def test_a_posting_is_kept_only_with_its_unit(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 1_000))
            await uow.commit()
        async with s.unit_of_work() as uow:
            await record_transfer(uow, charge("u1", 300))
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.transfer_count() == 1
        assert await _balance(s) == uzs(1_000)


async def test_a_writing_unit_reports_its_own_posting(storage):
    async with storage() as s, s.unit_of_work() as uow:
        posting = await record_transfer(uow, topup("u1", 1_000))
        assert await uow.reports.transfers_for("PAY-1") == [posting.transfer]
        assert (await uow.reports.wallet_totals(U1, since=None)).total_credited == 1_000


async def test_a_posting_whose_wallet_changed_meanwhile_is_refused_or_waited_for(storage):
    # A unit its caller retries may have its wallet checked at commit instead of held: then the
    # other unit goes first and this one is refused whole; or the other unit waits for this one.
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 1_000))
            await uow.commit()

        async def other_unit() -> None:
            async with s.unit_of_work() as other:
                await record_transfer(other, topup("u1", 100, reference="PAY-2"))
                await other.commit()

        refused = False
        async with s.unit_of_work(retried=True) as uow:
            wallet = await uow.wallets.lock("u1", UZS, NOW)
            meanwhile = asyncio.create_task(other_unit())
            await asyncio.wait({meanwhile}, timeout=0.2)  # done at once, unless it waits for us
            try:
                await uow.ledger.record(post(charge("u1", wallet.balance.minor), {U1: wallet}))
                await uow.commit()
            except TransientStorageError:
                refused = True
        await meanwhile
        sums, balances, unbalanced = await _ledger(s)
        assert balances[U1] == (1_100 if refused else 100) and unbalanced == 0
        assert verify(sums, balances, 2 if refused else 3).ok


async def test_retried_postings_on_one_wallet_all_land(storage):
    async with storage() as s:
        units = Units(s.unit_of_work, TransientRetry(attempts=8))

        async def top_up(minor: int) -> None:
            async def body(uow) -> None:
                await record_transfer(uow, topup("u1", minor))
                await asyncio.sleep(0)  # the others get every chance to interleave
            await units.write(body)

        await asyncio.gather(*(top_up(100 + n) for n in range(8)))
        assert await _balance(s) == uzs(sum(100 + n for n in range(8)))
        sums, balances, unbalanced = await _ledger(s)
        assert unbalanced == 0 and verify(sums, balances, 8).ok
