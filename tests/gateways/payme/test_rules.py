"""Payme's rules on top of the states: one live transaction per order, retry after a cancel, the
12-hour timeout (on Create, on Perform, and by the sweeper), Hamyon's own expiry, and -31007."""

from __future__ import annotations

from decimal import Decimal

from application.billing import ChargeRequest
from tests.gateways.payme.conftest import HOUR_MS, account, tiyin

DAY = 24 * 3600


def create_params(world, payment, payme_id=None, time=None):
    return {"id": payme_id or world.payme_id(), "time": world.now_ms if time is None else time,
            "amount": tiyin(payment), "account": account(payment)}


async def create_transaction(world, payment):
    """Sends CreateTransaction for the payment, as Payme does; the params it was sent with."""
    params = create_params(world, payment)
    await world.rpc("CreateTransaction", params)
    return params


async def test_order_with_a_state_1_transaction_is_busy_for_a_new_one(payme):
    async with payme() as world:
        payment = await world.order()
        first = await world.rpc("CreateTransaction", create_params(world, payment))
        second = await world.rpc("CreateTransaction", create_params(world, payment))
        checked = await world.rpc("CheckPerformTransaction",
                                  {"amount": tiyin(payment), "account": account(payment)})
    assert first.result["state"] == 1
    assert (second.code, second.answer["error"]["data"]) == (-31099, "order_id")
    assert checked.code == -31099


async def test_a_new_transaction_works_after_the_previous_one_was_cancelled(payme):
    async with payme() as world:
        payment = await world.order()
        first = await create_transaction(world, payment)
        await world.rpc("CancelTransaction", {"id": first["id"], "reason": 1})
        retry = create_params(world, payment)
        created = await world.rpc("CreateTransaction", retry)
        performed = await world.rpc("PerformTransaction", {"id": retry["id"]})
        old = await world.rpc("PerformTransaction", {"id": first["id"]})
        balance = await world.balance()
    assert created.result["state"] == 1 and performed.result["state"] == 2
    assert old.code == -31008
    assert balance == Decimal("10000.00")


async def test_a_paid_order_is_busy_or_not_payable(payme):
    async with payme() as world:
        payment = await world.order()
        paid = await create_transaction(world, payment)
        await world.rpc("PerformTransaction", {"id": paid["id"]})
        another = await world.rpc("CreateTransaction", create_params(world, payment))
        cancelled_order = await world.order()
        await world.hamyon.payments.cancel("alice", cancelled_order.id)
        refused = await world.rpc("CreateTransaction", create_params(world, cancelled_order))
        checked = await world.rpc("CheckPerformTransaction",
                                  {"amount": tiyin(cancelled_order), "account": account(cancelled_order)})
        expired_order = await world.order()
        world.clock.advance(minutes=31)
        expired = await world.rpc("CheckPerformTransaction",
                                  {"amount": tiyin(expired_order), "account": account(expired_order)})
    assert another.code == -31099  # its state-2 transaction holds it
    assert refused.code == checked.code == expired.code == -31051


async def test_create_repeat_after_12_hours_cancels_with_reason_4(payme):
    async with payme(payment_ttl_seconds=2 * DAY) as world:
        payment = await world.order()
        params = await create_transaction(world, payment)
        world.clock.advance(hours=11, minutes=59)
        in_time = await world.rpc("CreateTransaction", params)
        world.clock.advance(minutes=2)
        late = await world.rpc("CreateTransaction", params)
        checked = await world.rpc("CheckTransaction", {"id": params["id"]})
        retry = await world.rpc("CreateTransaction", create_params(world, payment))
    assert in_time.result["state"] == 1
    assert late.code == -31008
    assert (checked.result["state"], checked.result["reason"]) == (-1, 4)
    assert retry.result["state"] == 1


async def test_perform_after_12_hours_cancels_with_reason_4_and_credits_nothing(payme):
    async with payme(payment_ttl_seconds=2 * DAY) as world:
        payment = await world.order()
        params = await create_transaction(world, payment)
        world.clock.advance(hours=12, seconds=1)
        late = await world.rpc("PerformTransaction", {"id": params["id"]})
        checked = await world.rpc("CheckTransaction", {"id": params["id"]})
        balance = await world.balance()
    assert late.code == -31008
    assert (checked.result["state"], checked.result["reason"]) == (-1, 4)
    assert balance == Decimal("0.00")


async def test_a_payme_time_older_than_12_hours_is_refused(payme):
    async with payme() as world:
        payment = await world.order()
        stale = await world.rpc("CreateTransaction",
                                create_params(world, payment, time=world.now_ms - 12 * HOUR_MS - 1))
        fresh = await world.rpc("CreateTransaction",
                                create_params(world, payment, time=world.now_ms - 11 * HOUR_MS))
    assert stale.code == -31008 and fresh.result["state"] == 1


async def test_perform_after_the_payment_expired_cancels_the_transaction(payme):
    async with payme(payment_ttl_seconds=1800) as world:
        payment = await world.order()
        params = await create_transaction(world, payment)
        world.clock.advance(minutes=31)
        late = await world.rpc("PerformTransaction", {"id": params["id"]})
        checked = await world.rpc("CheckTransaction", {"id": params["id"]})
        status = (await world.hamyon.admin.payment(payment.id)).status.value
        balance = await world.balance()
    assert late.code == -31008
    assert (checked.result["state"], checked.result["reason"]) == (-1, 4)
    assert status == "expired" and balance == Decimal("0.00")


async def test_the_sweeper_cancels_state_1_transactions_older_than_12_hours(payme):
    async with payme(payment_ttl_seconds=2 * DAY) as world:
        old_order, new_order, paid_order = [await world.order() for _ in range(3)]
        old = await create_transaction(world, old_order)
        paid = await create_transaction(world, paid_order)
        await world.rpc("PerformTransaction", {"id": paid["id"]})
        world.clock.advance(hours=6)
        new = await create_transaction(world, new_order)
        world.clock.advance(hours=6, seconds=1)
        swept = await world.api.cancel_stale_transactions()
        again = await world.api.cancel_stale_transactions()
        states = [(await world.rpc("CheckTransaction", {"id": p["id"]})).result for p in (old, new, paid)]
    assert (swept, again) == (1, 0)
    assert [(s["state"], s["reason"]) for s in states] == [(-1, 4), (1, None), (2, None)]


async def test_cancel_after_the_money_was_spent_is_31007_and_keeps_state_2(payme):
    async with payme() as world:
        payment = await world.order("10000")
        params = await create_transaction(world, payment)
        await world.rpc("PerformTransaction", {"id": params["id"]})
        charge = await world.hamyon.billing.charge(ChargeRequest("alice", "ai_diagnosis"))
        refused = await world.rpc("CancelTransaction", {"id": params["id"], "reason": 5})
        checked = await world.rpc("CheckTransaction", {"id": params["id"]})
        balance = await world.balance()
    assert charge.charged
    assert (refused.status, refused.code) == (200, -31007)
    assert (checked.result["state"], checked.result["cancel_time"]) == (2, 0)
    assert balance == Decimal("0.00")
