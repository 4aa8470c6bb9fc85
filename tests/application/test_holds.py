"""Holds (SPEC §13) as use cases: the price leaves the spendable balance at once; capture charges
what was used and gives back the rest; release and expiry give back all; each once."""

from __future__ import annotations

from uuid import uuid4

import attrs
import pytest

from application.holds import HoldRequest
from domain.errors import (
    BillingMaintenance,
    HoldExpired,
    HoldNotActive,
    HoldNotFound,
    InsufficientFunds,
    ValidationError,
    WalletBlocked,
)
from domain.holds import HoldStatus
from domain.ledger import TransferKind
from domain.paging import PageRequest
from tests.application.conftest import uzs


async def test_a_hold_takes_the_price_out_of_the_spendable_balance_at_once(world):
    async with world() as w:
        await w.fund("u1", "120000")
        held = await w.hamyon.holds.create(HoldRequest("u1", "consultation", related_object_id="77"))
        assert (held.hold.status, held.hold.amount) == (HoldStatus.ACTIVE, uzs("50000"))
        assert (held.balance, held.held_balance) == (uzs("70000"), uzs("50000"))
        assert await w.balance("u1") == uzs("70000")
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_a_capture_is_a_charge_line_of_the_users_wallet(world):
    """SPEC §13: the captured amount is "a charge for the user, with a transaction_id": the
    wallet's lines show the hold, the reserved amount back, and the charge of what was used."""
    async with world() as w:
        await w.fund("u1", "120000")
        hold = await w.hold("u1", "consultation")
        done = await w.hamyon.holds.capture("u1", hold.id, "30000")
        lines = (await w.hamyon.wallets.transactions("u1")).items  # newest first
        assert [(t.kind, t.type, t.amount, t.balance_before, t.balance_after) for t in lines[:3]] == [
            ("charge", "debit", 3_000_000, 12_000_000, 9_000_000),
            ("release", "credit", 5_000_000, 7_000_000, 12_000_000),
            ("hold", "debit", 5_000_000, 12_000_000, 7_000_000)]
        assert lines[0].id == done.hold.transaction_id
        assert lines[0].description == lines[2].description.removesuffix(" (hold)")  # the service's name
        assert await w.balance("u1") == uzs("90000")
        flows = (await w.hamyon.wallets.overview("u1")).flows  # total_topped_up, total_spent
        assert (flows.money_in, flows.money_out) == (12_000_000, 3_000_000)  # not the hold's own lines
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_an_active_holds_amount_is_neither_money_out_nor_in_the_balance(world):
    async with world() as w:
        await w.fund("u1", "120000")
        await w.hold("u1", "consultation")
        overview = await w.hamyon.wallets.overview("u1")
        assert (overview.flows.money_in, overview.flows.money_out) == (12_000_000, 0)
        assert (overview.wallet.balance, overview.held) == (uzs("70000"), uzs("50000"))
        # money in − money out = what can be spent + what is reserved
        assert overview.flows.money_in - overview.flows.money_out \
            == overview.wallet.balance.minor + overview.held.minor


async def test_verify_names_a_hold_whose_transfers_do_not_match_its_state(world):
    async with world() as w:
        await w.fund("u1", "120000")
        hold = await w.hold("u1", "consultation")
        done = (await w.hamyon.holds.capture("u1", hold.id, "30000")).hold
        assert (await w.hamyon.admin.verify_ledger()).ok
        said = attrs.evolve(done, captured_amount=uzs("40000"))  # not what was charged

        async def rewrite(uow):
            await uow.holds.save(said)
            await uow.commit()

        await w.hamyon.units.write(rewrite)
        report = await w.hamyon.admin.verify_ledger()
        assert not report.ok
        assert [v.kind for v in report.violations] == ["hold_transfers_mismatch"]


async def test_capturing_part_charges_the_service_and_gives_back_the_rest(world):
    async with world() as w:
        await w.fund("u1", "120000")
        hold = await w.hold("u1", "consultation")
        done = await w.hamyon.holds.capture("u1", hold.id, "30000")
        assert (done.hold.status, done.hold.captured_amount) == (HoldStatus.CAPTURED, uzs("30000"))
        assert (done.balance, done.held_balance) == (uzs("90000"), uzs("0"))
        transfers = await w.hamyon.units.read(lambda uow: uow.reports.transfers_for(f"hold:{hold.id}"))
        assert [t.kind for t in transfers] == [TransferKind.HOLD, TransferKind.RELEASE, TransferKind.CHARGE]
        assert transfers[1].amount == hold.amount  # all of it back, then the charge from the wallet
        assert transfers[2].id == done.hold.transaction_id
        assert (transfers[2].debit.code, transfers[2].credit.code) == ("wallet:u1:UZS",
                                                                       "revenue:consultation:UZS")
        assert (await w.hamyon.admin.verify_ledger()).ok
        with pytest.raises(HoldNotActive):
            await w.hamyon.holds.release("u1", hold.id)
        with pytest.raises(HoldNotActive):
            await w.hamyon.holds.capture("u1", hold.id)


async def test_release_gives_all_back_once(world):
    async with world() as w:
        await w.fund("u1", "60000")
        hold = await w.hold("u1", "consultation")
        released = await w.hamyon.holds.release("u1", hold.id)
        assert (released.hold.status, released.balance, released.held_balance) == \
            (HoldStatus.RELEASED, uzs("60000"), uzs("0"))
        with pytest.raises(HoldNotActive):
            await w.hamyon.holds.release("u1", hold.id)


async def test_a_hold_past_its_time_is_expired_on_read_and_by_the_sweep(world):
    async with world() as w:
        await w.fund("u1", "200000")
        read_one = await w.hold("u1", "consultation", expires_in=60)
        swept = await w.hold("u1", "consultation", expires_in=120)
        w.clock.advance(seconds=61)
        seen = await w.hamyon.holds.get("u1", read_one.id)
        assert seen.hold.status is HoldStatus.EXPIRED and seen.held_balance == uzs("50000")
        w.clock.advance(seconds=60)
        with pytest.raises(HoldExpired):
            await w.hamyon.holds.capture("u1", swept.id)
        assert (await w.hamyon.holds.get("u1", swept.id)).hold.status is HoldStatus.EXPIRED
        assert await w.balance("u1") == uzs("200000")
        assert await w.hamyon.holds.expire_due() == 0
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_the_sweep_expires_holds_nobody_reads(world):
    async with world() as w:
        await w.fund("u1", "60000")
        hold = await w.hold("u1", "consultation", expires_in=60)
        w.clock.advance(minutes=2)
        assert await w.hamyon.holds.expire_due() == 1
        assert await w.balance("u1") == uzs("60000")
        page = await w.hamyon.holds.list("u1", PageRequest(), "expired")
        assert [h.id for h in page.items] == [hold.id]


async def test_listing_expires_every_due_hold_of_the_user_whatever_the_page(world):
    # An old hold behind twenty newer ones is not on the first page of all holds: it must still
    # be expired, and its money given back, before any list is answered.
    async with world() as w:
        await w.fund("u1", "100000")
        await w.fund("u2", "100000")
        old = await w.hold("u1", "chat_message", expires_in=60)
        others = await w.hold("u2", "chat_message", expires_in=60)
        for _ in range(20):
            w.clock.advance(seconds=1)
            newer = await w.hold("u1", "chat_message", expires_in=3600)
            await w.hamyon.holds.release("u1", newer.id)
        w.clock.advance(seconds=61)
        assert (await w.hamyon.holds.list("u1", PageRequest(), "active")).items == ()
        expired = await w.hamyon.holds.list("u1", PageRequest(), "expired")
        assert [h.id for h in expired.items] == [old.id]
        assert await w.balance("u1") == uzs("100000")
        # Another user's due hold is theirs to expire (on their read, or by the sweep).
        assert (await w.hamyon.holds.get("u2", others.id)).hold.status is HoldStatus.EXPIRED
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_a_blocked_wallets_hold_is_not_captured_but_can_be_released(world):
    async with world() as w:
        await w.fund("u1", "100000")
        hold = await w.hold("u1", "consultation")
        await w.hamyon.wallets.set_blocked("u1", True, actor="admin")
        with pytest.raises(WalletBlocked):
            await w.hamyon.holds.capture("u1", hold.id, "30000")
        assert (await w.hamyon.holds.get("u1", hold.id)).hold.status is HoldStatus.ACTIVE
        assert await w.balance("u1") == uzs("50000")  # still reserved, nothing charged
        released = await w.hamyon.holds.release("u1", hold.id)
        assert released.hold.status is HoldStatus.RELEASED and released.balance == uzs("100000")
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_refusals_move_nothing(world):
    async with world() as w:
        await w.fund("u1", "40000")
        with pytest.raises(InsufficientFunds):
            await w.hold("u1", "consultation")
        for bad, field in ((HoldRequest("u1", "nope"), "service_type"),
                           (HoldRequest("u1", "consultation", expires_in=59), "expires_in"),
                           (HoldRequest("u1", "consultation", amount="0"), "amount")):
            with pytest.raises(ValidationError) as refused:
                await w.hamyon.holds.create(bad)
            assert refused.value.field == field
        hold = await w.hold("u1", "consultation", amount="30000")
        with pytest.raises(ValidationError):
            await w.hamyon.holds.capture("u1", hold.id, "30000.01")
        with pytest.raises(HoldNotFound):
            await w.hamyon.holds.get("u2", hold.id)
        with pytest.raises(HoldNotFound):
            await w.hamyon.holds.release("u1", uuid4())
        await w.hamyon.wallets.set_blocked("u1", True, actor="admin")
        with pytest.raises(WalletBlocked):
            await w.hold("u1", "chat_message")
        await w.hamyon.wallets.set_blocked("u1", False, actor="admin")
        await w.hamyon.admin.update_settings({"maintenance_mode": True}, actor="admin")
        with pytest.raises(BillingMaintenance):
            await w.hold("u1", "chat_message")
        assert await w.balance("u1") == uzs("10000")
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_every_step_writes_its_event(world):
    async with world() as w:
        await w.fund("u1", "200000")
        first = await w.hold("u1", "consultation")
        second = await w.hold("u1", "consultation", expires_in=60)
        await w.hamyon.holds.capture("u1", first.id)
        w.clock.advance(minutes=5)
        await w.hamyon.holds.expire_due()
        third = await w.hold("u1", "chat_message")
        await w.hamyon.holds.release("u1", third.id)
        kinds = [e.type for e in (await w.hamyon.webhooks.events(PageRequest(1, 50))).items
                 if e.type.startswith("hold.")]
    assert sorted(kinds) == sorted(["hold.created"] * 3 + ["hold.captured", "hold.expired", "hold.released"])
    assert second.id != first.id
