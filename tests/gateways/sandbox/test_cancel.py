"""The sandbox's Cancel: only a cancel the sandbox itself signed cancels the payment; a forged or
borrowed cancel is 403 and leaves the payment, its attempt and the wallet exactly as they were."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.payments import AttemptStatus


async def _snapshot(world, payment_id: str):
    hamyon = world.server.hamyon
    return await hamyon.admin.payment(UUID(payment_id)), await hamyon.settlement.attempts(UUID(payment_id))


async def test_a_signed_cancel_callback_cancels_the_payment(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        stored = await world.server.hamyon.admin.payment(UUID(payment["id"]))
        reply = await world.server.post("/sandbox/callback/",
                                        world.gateway.signed_callback(stored, "cancel"), user=None)
        _, attempts = await _snapshot(world, payment["id"])
        assert reply.status == 200
        assert (reply.json["result"], reply.json["status"]) == ("cancelled", "cancelled")
        assert [attempt.status for attempt in attempts] == [AttemptStatus.CANCELLED]
        assert await world.balance() == 0


async def test_a_forged_cancel_changes_nothing_and_the_payer_can_still_pay(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        other = await world.create(50000)
        stored = await world.server.hamyon.admin.payment(UUID(payment["id"]))
        other_stored = await world.server.hamyon.admin.payment(UUID(other["id"]))
        cancel = world.gateway.signed_callback(stored, "cancel")
        forged = [{**cancel, "signature": "0" * 64},
                  {**world.gateway.signed_callback(other_stored, "cancel"),  # another payment's
                   "id_get": stored.external_id}]
        before = await _snapshot(world, payment["id"])
        refused = [await world.server.post("/sandbox/callback/", body, user=None) for body in forged]
        after = await _snapshot(world, payment["id"])
        logs = await world.server.hamyon.admin.payment_logs(UUID(payment["id"]))
        pressed = await world.press(payment["id"], "pay")
        assert [reply.status for reply in refused] == [403, 403]
        assert after == before and after[0].status.value == "processing"
        assert [attempt.status for attempt in after[1]] == [AttemptStatus.OPEN]
        assert sum(log.type == "error" and "signature" in log.message for log in logs) == 2
        assert pressed.code == 303
        assert await world.status(payment["id"]) == "completed"
        assert await world.balance() == Decimal("50000.00")
