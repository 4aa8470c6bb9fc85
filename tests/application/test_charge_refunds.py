"""Refunds of charges (SPEC §13): part or the rest, back to the wallet that paid, never more than
the charge, each one audited and reported to the platform."""

from __future__ import annotations

from uuid import uuid4

import pytest

from application.billing import ChargeRequest
from domain.errors import ChargeNotFound, RefundExceedsCharge, ValidationError
from domain.paging import PageRequest
from tests.application.conftest import uzs


async def test_a_charge_is_refunded_in_parts_and_never_beyond_it(world):
    async with world() as w:
        await w.fund("u1", "60000")
        charged = await w.hamyon.billing.charge(ChargeRequest("u1", "consultation", 1))
        refunds = w.hamyon.charge_refunds
        first = await refunds.refund(charged.transaction_id, "20000", "cut short", actor="admin")
        rest = await refunds.refund(charged.transaction_id, None, "did not happen", actor="admin")
        assert (first.refunded, rest.refunded) == (uzs("20000"), uzs("50000"))
        assert rest.refund.amount == uzs("30000")
        assert await w.balance("u1") == uzs("60000")
        with pytest.raises(RefundExceedsCharge):
            await refunds.refund(charged.transaction_id, "0.01", "again", actor="admin")
        assert (await w.hamyon.admin.verify_ledger()).ok
        credits = await w.hamyon.wallets.transactions("u1", type="credit")
        assert credits.total_count == 3  # the funding and the two refunds
        debits = (await w.hamyon.wallets.transactions("u1", type="debit")).items
        assert [(t.id, t.refunded_amount) for t in debits] == [(charged.transaction_id, 5_000_000)]
        kinds = [e.type for e in (await w.hamyon.webhooks.events(PageRequest(1, 50))).items]
        assert kinds.count("charge.refunded") == 2


async def test_a_refund_above_what_is_left_moves_nothing(world):
    async with world() as w:
        await w.fund("u1", "60000")
        charged = await w.hamyon.billing.charge(ChargeRequest("u1", "consultation", 1))
        with pytest.raises(RefundExceedsCharge):
            await w.hamyon.charge_refunds.refund(charged.transaction_id, "50000.01", "too much",
                                                 actor="admin")
        with pytest.raises(ValidationError) as refused:
            await w.hamyon.charge_refunds.refund(charged.transaction_id, "10", "  ", actor="admin")
        assert refused.value.field == "reason"
        with pytest.raises(ChargeNotFound):
            await w.hamyon.charge_refunds.refund(uuid4(), None, "no such charge", actor="admin")
        assert await w.balance("u1") == uzs("10000")


async def test_a_captured_hold_is_refunded_to_its_owner(world):
    async with world() as w:
        await w.fund("u1", "60000")
        hold = await w.hold("u1", "consultation")
        captured = (await w.hamyon.holds.capture("u1", hold.id, "40000")).hold
        done = await w.hamyon.charge_refunds.refund(captured.transaction_id, None, "refund", actor="admin")
        assert done.refund.amount == uzs("40000") and await w.balance("u1") == uzs("60000")
        assert (await w.hamyon.admin.verify_ledger()).ok
        # The capture is the user's charge line, and shows what its refund gave back.
        charges = [t for t in (await w.hamyon.wallets.transactions("u1", type="debit")).items
                   if t.kind == "charge"]
        assert [(t.id, t.amount, t.refunded_amount) for t in charges] == [
            (captured.transaction_id, 4_000_000, 4_000_000)]
