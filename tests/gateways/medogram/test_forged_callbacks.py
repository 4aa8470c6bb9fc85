"""A callback is not authenticated: anyone who guesses an ``id_get`` can send one before the payer
has paid. Whatever medogram answers about it (not paid, paid for another amount or order, an
error, nothing), the payment stays exactly as it was, with the reason in its log, and the genuine
callback, or reconciliation, still completes it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

import pytest

from application.gateways.reconciliation import MAX_CALLBACKS, Reconciliation, reconcile_all
from application.gateways.redirect import RedirectCallback, RedirectFlow
from domain.payments import AttemptStatus
from tests.gateways.medogram.fake_bitpay import FakeBitPay

GENUINE, FORGED = "T-genuine", "T-forged"


def answers(verdict: str, bare_status: int = 1) -> Callable[[FakeBitPay], None]:
    def script(fake: FakeBitPay) -> None:
        fake.by_trans_id[FORGED] = verdict
        fake.bare_status = bare_status
    return script


def failing(status: int) -> Callable[[FakeBitPay], None]:
    def script(fake: FakeBitPay) -> None:
        fake.failing = status
    return script


def hanging(fake: FakeBitPay) -> None:
    fake.hang = True


FORGERIES = {  # what medogram answers about the forged callback, and our HTTP answer to it
    "not paid": (answers("refused"), 400),
    "bad trans_id": (answers("bad_trans_id"), 400),
    "bare negative status": (answers("bare", -4), 400),
    "unknown status": (answers("bare", 7), 400),
    "paid, wrong amount": (answers("wrong_amount"), 400),
    "paid, wrong factorId": (answers("wrong_factor"), 400),
    "gateway error": (failing(503), 502),
    "unreadable answer": (failing(200), 502),
    "timeout": (hanging, 502),
}


async def _snapshot(world, payment_id: str):
    hamyon = world.hamyon
    return (await hamyon.admin.payment(UUID(payment_id)),
            await hamyon.settlement.attempts(UUID(payment_id)),
            (await hamyon.wallets.transactions("alice", "IRR")).total_count)


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
async def test_a_forged_early_callback_changes_nothing_and_the_genuine_one_still_credits(
        medogram, forgery):
    script, answer = FORGERIES[forgery]
    async with medogram(timeout=0.3) as world:
        created = await world.create(100000)
        payment_id = created["transaction_id"]
        before = await _snapshot(world, payment_id)
        logged = len(await world.log_types(payment_id))
        script(world.fake)
        forged = await world.callback("123", FORGED)
        world.fake.failing, world.fake.hang = None, False  # the payer pays; medogram answers again
        after = await _snapshot(world, payment_id)
        new_logs = (await world.hamyon.admin.payment_logs(UUID(payment_id)))[logged:]
        genuine = await world.callback("123", GENUINE)
        replay = await world.callback("123", GENUINE)
        balance = await world.balance()
        credited = await _snapshot(world, payment_id)
    assert forged.status == answer
    assert after == before  # the payment, its attempt and the ledger exactly as they were
    assert after[0].status.value == "processing"
    assert [attempt.status for attempt in after[1]] == [AttemptStatus.OPEN]
    assert after[2] == 0
    assert new_logs[0].type == "callback" and new_logs[-1].type == "error"
    assert (genuine.status, replay.status) == (200, 200)
    assert balance == Decimal(100000)
    assert credited[0].status.value == "completed" and credited[2] == 1  # credited exactly once


async def test_the_callbacks_own_cancel_claim_is_not_trusted(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        world.fake.by_trans_id[FORGED] = "refused"
        flow = RedirectFlow(world.hamyon, world.gateway)
        outcome = await flow.callback(RedirectCallback(
            "123", {"id_get": "123", "trans_id": FORGED, "action": "cancel", "status": "cancelled"}))
        assert (outcome.verified, outcome.result) == (False, "unchanged")
        assert await world.status(created["transaction_id"]) == "processing"
        assert (await world.callback("123", GENUINE)).status == 200
        assert await world.balance() == Decimal(100000)


async def test_reconciliation_looks_past_a_bogus_callback_to_the_genuine_one(medogram):
    async with medogram() as world:
        payment_id = (await world.create(100000))["transaction_id"]
        world.fake.failing = 503
        assert (await world.callback("123", GENUINE)).status == 502  # medogram was down
        world.fake.failing = None
        world.fake.by_trans_id[FORGED] = "bad_trans_id"
        for _ in range(2):  # logged after the genuine one, twice
            assert (await world.callback("123", FORGED)).status == 400
        assert await world.status(payment_id) == "processing"
        asked_before = len(world.fake.requests_to("gateway-result-second"))
        world.server.clock.advance(seconds=301)
        settled = await reconcile_all(world.hamyon)
        asked = [seen.body["trans_id"]
                 for seen in world.fake.requests_to("gateway-result-second")[asked_before:]]
        assert settled == 1
        assert asked == [FORGED, GENUINE]  # newest first, each distinct callback once
        assert await world.status(payment_id) == "completed"
        assert await world.balance() == Decimal(100000)


async def test_reconciliation_told_not_paid_leaves_the_payment_processing_for_a_later_run(medogram):
    async with medogram() as world:
        payment_id = (await world.create(100000))["transaction_id"]
        world.fake.failing = 503
        assert (await world.callback("123", GENUINE)).status == 502
        world.fake.failing = None
        world.fake.verdicts["123"] = "refused"  # the payer has not finished paying yet
        world.server.clock.advance(seconds=301)
        before = await _snapshot(world, payment_id)
        first = await Reconciliation(world.hamyon).run()
        after = await _snapshot(world, payment_id)
        world.fake.verdicts["123"] = "paid"
        second = await Reconciliation(world.hamyon).run()
        assert first == {"unresolved": 1}
        assert after == before and after[0].status.value == "processing"
        assert [attempt.status for attempt in after[1]] == [AttemptStatus.OPEN]
        assert second == {"credited": 1}
        assert await world.balance() == Decimal(100000)


async def test_reconciliation_asks_about_a_bounded_number_of_callbacks(medogram):
    async with medogram() as world:
        payment_id = (await world.create(100000))["transaction_id"]
        world.fake.default_verdict = "refused"
        for number in range(MAX_CALLBACKS + 2):
            assert (await world.callback("123", f"T-{number}")).status == 400
        asked_before = len(world.fake.requests_to("gateway-result-second"))
        world.server.clock.advance(seconds=301)
        assert await Reconciliation(world.hamyon).run() == {"unresolved": 1}
        asked = world.fake.requests_to("gateway-result-second")[asked_before:]
        assert [seen.body["trans_id"] for seen in asked] == \
            [f"T-{number}" for number in reversed(range(2, MAX_CALLBACKS + 2))]
        assert await world.status(payment_id) == "processing"
