"""The ledger: transfers and their entries, the wallet lines users see, and the sums verify reads."""

from __future__ import annotations

import attrs

from domain.ledger import Account, AccountKind, TransferKind, Wallet, post
from domain.paging import PageRequest
from domain.reports import WalletTotals, WalletTransaction
from tests.contract.builders import NOW, UZS, charge, minutes, record_transfer, topup, transfer
from tests.contract.seeding import seed

U1 = Account.wallet("u1", UZS)


async def _history(s):
    """u1: +10 000 (t0), -3 000 (t+1), -2 000 (t+2), +500 refund (t+3); u2: +7 000 (t+1)."""
    moves = [topup("u1", 10_000, reference="PAY-A"), charge("u1", 3_000, created_at=minutes(1)),
             topup("u2", 7_000, created_at=minutes(1), reference="PAY-B"),
             charge("u1", 2_000, created_at=minutes(2), reference="view-2"),
             transfer(Account.revenue("doctor_view", UZS), U1, 500, kind=TransferKind.REFUND,
                      created_at=minutes(3), reference="view-2", description="Refund")]
    async with s.unit_of_work() as uow:
        for move in moves:
            await record_transfer(uow, move)
        await uow.commit()
    return moves


FIRST_PAGE = PageRequest()


async def _lines(s, *, since=None, type=None, page=FIRST_PAGE):
    async with s.unit_of_work(write=False) as uow:
        return await uow.reports.wallet_transactions(U1, since=since, type=type, page=page)


async def test_wallet_lines_are_newest_first_with_balances_before_and_after(storage):
    async with storage() as s:
        moves = await _history(s)
        page = await _lines(s)
    assert page.total_count == 4
    assert page.items[0] == WalletTransaction(moves[4].id, "credit", 500, 5_000, 5_500, "Refund",
                                              "refund", "view-2", minutes(3))
    assert [(t.type, t.amount, t.balance_before, t.balance_after) for t in page.items] == [
        ("credit", 500, 5_000, 5_500), ("debit", 2_000, 7_000, 5_000),
        ("debit", 3_000, 10_000, 7_000), ("credit", 10_000, 0, 10_000),
    ]
    assert [t.kind for t in page.items] == ["refund", "charge", "charge", "topup"]


async def test_a_charge_line_shows_what_its_refunds_gave_back(storage):
    async with storage() as s:
        first, second = charge("u1", 3_000), charge("u1", 2_000, created_at=minutes(1))
        revenue = first.credit
        moves = [topup("u1", 10_000), first, second,
                 *(transfer(revenue, U1, part, kind=TransferKind.REFUND, created_at=minutes(2),
                            reference=f"refund:{first.id}") for part in (1_000, 500)),
                 transfer(revenue, U1, 700, kind=TransferKind.ADJUSTMENT, created_at=minutes(2),
                          reference=f"refund:{first.id}")]  # not a refund: does not count
        async with s.unit_of_work() as uow:
            for move in moves:
                await record_transfer(uow, move)
            await uow.commit()
        page = await _lines(s)
    refunded = {t.id: t.refunded_amount for t in page.items}
    assert (refunded[first.id], refunded[second.id]) == (1_500, 0)
    assert [refunded[m.id] for m in (moves[0], moves[3], moves[5])] == [None, None, None]


async def test_wallet_lines_filter_by_type_and_since(storage):
    async with storage() as s:
        await _history(s)
        debits = await _lines(s, type="debit")
        credits = await _lines(s, type="credit")
        recent = await _lines(s, since=minutes(2))
    assert [t.amount for t in debits.items] == [2_000, 3_000] and debits.total_count == 2
    assert [t.amount for t in credits.items] == [500, 10_000]
    assert [t.amount for t in recent.items] == [500, 2_000]


async def test_wallet_lines_are_paged(storage):
    async with storage() as s:
        await _history(s)
        second = await _lines(s, page=PageRequest(page=2, per_page=3))
        beyond = await _lines(s, page=PageRequest(page=3, per_page=3))
    assert [t.amount for t in second.items] == [10_000]
    assert (second.total_count, second.total_pages, second.has_next) == (4, 2, False)
    assert beyond.items == () and beyond.total_count == 4


async def test_lines_at_the_same_moment_come_newest_inserted_first(storage):
    async with storage() as s:
        moves = [topup("u1", 1_000), charge("u1", 100), charge("u1", 200)]
        async with s.unit_of_work() as uow:
            for move in moves:
                await record_transfer(uow, move)
            await uow.commit()
        page = await _lines(s)
    assert [t.id for t in page.items] == [moves[2].id, moves[1].id, moves[0].id]


async def test_wallet_totals_sum_credits_and_debits(storage):
    async with storage() as s:
        await _history(s)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.wallet_totals(U1, since=None) == WalletTotals(10_500, 5_000, 2, 2)
            assert await uow.reports.wallet_totals(U1, since=minutes(2)) == WalletTotals(500, 2_000, 1, 1)
            assert await uow.reports.wallet_totals(Account.wallet("nobody", UZS), since=None) \
                == WalletTotals(0, 0, 0, 0)


async def test_wallet_totals_leave_out_a_holds_own_lines(storage):
    """A hold of 4,000 captured at 1,500: the amount reserved and given back are lines of the
    wallet, not money in or out; the charge of what was used is."""
    holds = Account.holds(UZS)
    async with storage() as s:
        await _history(s)  # in 10,500 (2 lines), out 5,000 (2 lines)
        await seed(s, transfer(U1, holds, 4_000, kind=TransferKind.HOLD, created_at=minutes(4)),
                   transfer(holds, U1, 4_000, kind=TransferKind.RELEASE, created_at=minutes(5)),
                   charge("u1", 1_500, created_at=minutes(5), reference="consultation:7"))
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.wallet_totals(U1, since=None) == WalletTotals(10_500, 6_500, 2, 3)
            assert await uow.reports.wallet_totals(U1, since=minutes(4)) == WalletTotals(0, 1_500, 0, 1)


async def test_transfers_for_a_reference_come_back_whole_in_order(storage):
    async with storage() as s:
        moves = await _history(s)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.transfers_for("view-2") == [moves[3], moves[4]]
            assert await uow.reports.transfers_for("PAY-A") == [moves[0]]
            assert await uow.reports.transfers_for("unknown") == []


async def test_entry_sums_cover_every_account_system_ones_included(storage):
    async with storage() as s:
        await _history(s)
        async with s.unit_of_work(write=False) as uow:
            sums = await uow.reports.entry_sums()
    assert sums == {
        Account.clearing("click", UZS): -17_000, U1: 5_500, Account.wallet("u2", UZS): 7_000,
        Account.revenue("doctor_view", UZS): 4_500,
    }


async def test_stored_balances_agree_with_the_entries_and_every_transfer_balances(storage):
    async with storage() as s:
        await _history(s)
        async with s.unit_of_work(write=False) as uow:
            sums, balances = await uow.reports.entry_sums(), await uow.reports.wallet_balances()
            assert await uow.reports.transfer_count() == 5
            assert await uow.reports.unbalanced_transfers() == 0
    wallet_sums = {account: total for account, total in sums.items() if account.kind is AccountKind.WALLET}
    assert balances == wallet_sums


async def test_a_transfer_stored_with_one_entry_counts_as_unbalanced(storage):
    async with storage() as s:
        moved = topup("u1", 1_000)
        posted = post(moved, {U1: Wallet("u1", UZS, NOW)})
        credit_only = attrs.evolve(posted, entries=posted.entries[1:])
        async with s.unit_of_work() as uow:
            await uow.ledger.record(credit_only)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.unbalanced_transfers() == 1
            assert await uow.reports.transfer_count() == 1
