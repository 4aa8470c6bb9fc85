"""The holds' state, alike on every backend: saved whole, changed by save, found due when their
time is over, summed per user and per currency while active, listed newest first."""

from __future__ import annotations

from datetime import timedelta

import attrs

from domain.holds import Hold, HoldStatus, moved_as_its_state_says
from domain.ledger import Account, Transfer, TransferKind
from domain.money import Currency, Money
from domain.paging import PageRequest
from tests.contract.builders import NOW, UZS, hold, record_transfer, topup, transfer
from tests.contract.seeding import seed


async def test_a_hold_comes_back_whole_and_a_save_changes_it(storage):
    async with storage() as s:
        made = hold()
        await seed(s, made)
        captured = attrs.evolve(made, status=HoldStatus.CAPTURED,
                                captured_amount=Money(3_000_000, Currency.UZS), transaction_id=made.id,
                                updated_at=NOW + timedelta(minutes=5))
        async with s.unit_of_work() as uow:
            assert await uow.holds.lock(made.id) == made
            await uow.holds.save(captured)
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.holds.lock(made.id) == captured
            assert await uow.holds.lock(hold().id) is None


async def test_a_hold_added_in_a_rolled_back_unit_is_not_kept(storage):
    async with storage() as s:
        made = hold()
        async with s.unit_of_work() as uow:
            await uow.holds.add(made)
            await uow.rollback()
        async with s.unit_of_work() as uow:
            assert await uow.holds.lock(made.id) is None


async def test_only_active_holds_past_their_time_are_due_oldest_first(storage):
    async with storage() as s:
        late = hold(expires_at=NOW - timedelta(minutes=1))
        later = hold(expires_at=NOW - timedelta(minutes=9))
        fresh = hold(expires_at=NOW + timedelta(minutes=1))
        done = hold(expires_at=NOW - timedelta(minutes=5), status=HoldStatus.RELEASED)
        await seed(s, late, later, fresh, done)
        async with s.unit_of_work() as uow:
            assert await uow.holds.due_for_expiry(NOW, 10) == [later.id, late.id]
            assert await uow.holds.due_for_expiry(NOW, 1) == [later.id]


async def test_active_holds_are_summed_per_user_and_currency(storage):
    async with storage() as s:
        await seed(s, hold("u1", 100), hold("u1", 250), hold("u2", 7),
                  hold("u1", 40, status=HoldStatus.CAPTURED), hold("u1", 9, amount=Money(9, Currency.USD)))
        async with s.unit_of_work() as uow:
            assert await uow.holds.held("u1", Currency.UZS) == 350
            assert await uow.holds.held("u1", Currency.USD) == 9
            assert await uow.holds.held("u3", Currency.UZS) == 0
            assert await uow.reports.active_holds() == {Currency.UZS: 357, Currency.USD: 9}


async def test_a_users_holds_are_listed_newest_first_and_filtered_by_status(storage):
    async with storage() as s:
        made = [hold(created_at=NOW + timedelta(seconds=n)) for n in range(3)]
        made[1] = attrs.evolve(made[1], status=HoldStatus.EXPIRED)
        await seed(s, *made, hold("u2"))
        async with s.unit_of_work(write=False) as uow:
            page = await uow.reports.holds("u1", PageRequest(1, 2))
            assert page.items == (made[2], made[1]) and page.total_count == 3
            expired = await uow.reports.holds("u1", PageRequest(), status=HoldStatus.EXPIRED)
            assert expired.items == (made[1],)


async def test_holds_whose_transfers_are_not_what_their_state_names_are_counted(storage):
    """``hamyon verify`` counts them (``hold_moves``); captures of either form are whole."""
    wallet, held = Account.wallet("u1", UZS), Account.holds(UZS)
    revenue = Account.revenue("consultation", UZS)

    def moves(made: Hold, *steps: tuple[Account, Account, int, TransferKind]) -> list[Transfer]:
        return [transfer(debit, credit, minor, kind=kind, reference=f"hold:{made.id}")
                for debit, credit, minor, kind in steps]

    def captured(made: Hold, charged: Transfer, minor: int) -> Hold:
        return attrs.evolve(made, status=HoldStatus.CAPTURED, captured_amount=Money(minor, UZS),
                            transaction_id=charged.id)

    reserve = (wallet, held, 100, TransferKind.HOLD)
    active, released, now_form, old_form, wrong, unreturned = (hold("u1", 100) for _ in range(6))
    now_charge = transfer(wallet, revenue, 30, reference=f"hold:{now_form.id}")
    old_charge = transfer(held, revenue, 30, reference=f"hold:{old_form.id}")
    wrong_charge = transfer(wallet, revenue, 20, reference=f"hold:{wrong.id}")
    recorded = [
        topup("u1", 1_000),
        *moves(active, reserve),
        *moves(released, reserve, (held, wallet, 100, TransferKind.RELEASE)),
        *moves(now_form, reserve, (held, wallet, 100, TransferKind.RELEASE)), now_charge,
        *moves(old_form, reserve), old_charge, *moves(old_form, (held, wallet, 70, TransferKind.RELEASE)),
        *moves(wrong, reserve, (held, wallet, 100, TransferKind.RELEASE)), wrong_charge,
        *moves(unreturned, reserve)]
    async with storage() as s:
        await seed(s, active, attrs.evolve(released, status=HoldStatus.RELEASED),
                   captured(now_form, now_charge, 30), captured(old_form, old_charge, 30),
                   captured(wrong, wrong_charge, 30),  # charged 20 for a capture of 30
                   attrs.evolve(unreturned, status=HoldStatus.EXPIRED))  # its money never came back
        async with s.unit_of_work() as uow:
            for moved in recorded:
                await record_transfer(uow, moved)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            broken = [hold.id for hold, moved in await uow.reports.hold_moves()
                      if not moved_as_its_state_says(hold, moved)]
            assert len(broken) == 2 and set(broken) == {wrong.id, unreturned.id}
