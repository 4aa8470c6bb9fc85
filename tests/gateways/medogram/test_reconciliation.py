"""Reconciliation of stale processing medogram payments: the logged callbacks are verified again,
newest first; paid → completed (once), not paid → left processing, every step in the payment log."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.gateways.reconciliation import Reconciliation, reconcile_all


async def _stuck_after_callback(world, amount: int = 100000) -> str:
    """A payment whose callback came while medogram was down: still processing."""
    created = await world.create(amount)
    world.fake.failing = 503
    assert (await world.callback(created["payment_url"].split("-")[-2], "T-5")).status == 502
    world.fake.failing = None
    return created["transaction_id"]


async def test_a_stale_payment_medogram_verifies_as_paid_is_completed(medogram):
    async with medogram() as world:
        payment_id = await _stuck_after_callback(world)
        world.server.clock.advance(seconds=301)
        results = await Reconciliation(world.hamyon).run()
        again = await Reconciliation(world.hamyon).run()
        logs = await world.hamyon.admin.payment_logs(UUID(payment_id))
        assert results == {"credited": 1}
        assert again == {}  # completed: no longer processing
        assert await world.status(payment_id) == "completed"
        assert await world.balance() == Decimal(100000)
    last_verify = world.fake.requests_to("gateway-result-second")[-1].body
    assert (last_verify["id_get"], last_verify["trans_id"]) == ("123", "T-5")
    messages = [(log.type, log.message) for log in logs]
    assert ("request", "reconciliation asked medogram") in messages
    assert any(kind == "verification" and "reconciliation" in text for kind, text in messages)
    assert messages[-1][0] == "state_change"


async def test_a_stale_payment_medogram_says_is_not_paid_stays_processing(medogram):
    async with medogram() as world:
        payment_id = await _stuck_after_callback(world)
        world.fake.verdicts["123"] = "refused"
        world.server.clock.advance(seconds=301)
        assert await reconcile_all(world.hamyon) == 0
        logs = await world.log_types(payment_id)
        assert await world.status(payment_id) == "processing"
        assert await world.balance() == 0
    assert logs[-1] == "error" and "verification" in logs  # the reason, and nothing closed


async def test_recent_payments_and_payers_who_never_came_back_are_left_alone(medogram):
    async with medogram() as world:
        recent = await _stuck_after_callback(world)
        no_callback = await world.create(100000)
        results = await Reconciliation(world.hamyon).run()
        assert results == {}  # nothing is stale yet
        world.server.clock.advance(seconds=301)
        world.fake.failing = 503
        results = await Reconciliation(world.hamyon).run()
        assert sorted(results.items()) == [("skipped", 1), ("unresolved", 1)]
        assert await world.status(recent) == "processing"
        assert await world.status(no_callback["transaction_id"]) == "processing"
        assert (await world.log_types(recent))[-1] == "error"  # medogram was down again
