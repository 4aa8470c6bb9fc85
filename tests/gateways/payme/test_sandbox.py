"""Payme's sandbox check sequence (GATEWAYS.md): wrong auth, wrong amount, unknown order,
Create → Cancel, Create → Perform → Cancel, every repeat answered identically, always HTTP 200."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tests.gateways.payme.conftest import KEY, TEST_KEY, account, basic, tiyin


async def test_wrong_auth_is_refused_with_32504_and_nothing_changes(payme):
    async with payme() as world:
        payment = await world.order()
        body = {"id": world.payme_id(), "time": world.now_ms, "amount": tiyin(payment),
                "account": account(payment)}
        wrong_key = await world.rpc("CreateTransaction", body, key="not-the-key")
        no_header = await world.send(b'{"id": 1, "method": "CheckTransaction", "params": {"id": "x"}}')
        wrong_login = await world.send(b'{"id": 1, "method": "CheckTransaction", "params": {}}',
                                       authorization=basic(KEY, login="Payme"))
        not_basic = await world.send(b'{"id": 1, "method": "CheckTransaction", "params": {}}',
                                     authorization=f"Bearer {KEY}")
        garbage = await world.send(b'{"id": 1, "method": "CheckTransaction", "params": {}}',
                                   authorization="Basic %%%")
        attempts = await world.hamyon.settlement.attempts(payment.id)
    for refused in (wrong_key, no_header, wrong_login, not_basic, garbage):
        assert (refused.status, refused.code) == (200, -32504)
    assert wrong_key.answer["id"] == 7 and set(wrong_key.answer["error"]["message"]) == {"ru", "uz", "en"}
    assert attempts == []


async def test_production_and_sandbox_keys_both_authenticate(payme):
    async with payme() as world:
        payment = await world.order()
        params = {"amount": tiyin(payment), "account": account(payment)}
        production = await world.rpc("CheckPerformTransaction", params, key=KEY)
        sandbox = await world.rpc("CheckPerformTransaction", params, key=TEST_KEY)
    assert production.result == sandbox.result == {"allow": True}


async def test_wrong_amount_is_31001_on_check_and_create(payme):
    async with payme() as world:
        payment = await world.order()
        wrong = {"amount": tiyin(payment) - 1, "account": account(payment)}
        checked = await world.rpc("CheckPerformTransaction", wrong)
        created = await world.rpc("CreateTransaction",
                                  {**wrong, "id": world.payme_id(), "time": world.now_ms})
        net_amount = await world.rpc("CheckPerformTransaction",
                                     {"amount": payment.amount.minor, "account": account(payment)})
    assert (checked.status, checked.code) == (200, -31001)
    assert created.code == -31001 and net_amount.code == -31001  # Payme collects the total


async def test_unknown_order_is_31050_naming_the_account_field(payme):
    async with payme() as world:
        click_payment = await world.order(gateway="click")
        answers = [await world.rpc("CheckPerformTransaction", {"amount": 1025000, "account": acc})
                   for acc in ({"order_id": str(uuid.uuid4())}, {"order_id": "no-such-order"},
                               {"order_id": 197}, {}, account(click_payment))]
    assert [answer.code for answer in answers] == [-31050] * 5
    assert {answer.answer["error"]["data"] for answer in answers} == {"order_id"}


async def test_check_create_cancel_moves_1_to_minus_1_and_every_repeat_is_identical(payme):
    async with payme() as world:
        payment = await world.order()
        payme_id, time = world.payme_id(), world.now_ms - 5000
        create = {"id": payme_id, "time": time, "amount": tiyin(payment), "account": account(payment)}
        allowed = await world.rpc("CheckPerformTransaction",
                                  {"amount": tiyin(payment), "account": account(payment)})
        created = [await world.rpc("CreateTransaction", create) for _ in range(2)]
        open_state = await world.rpc("CheckTransaction", {"id": payme_id})
        world.clock.advance(seconds=30)
        cancelled = [await world.rpc("CancelTransaction", {"id": payme_id, "reason": 3})
                     for _ in range(2)]
        world.clock.advance(seconds=30)
        checked = await world.rpc("CheckTransaction", {"id": payme_id})
        performed = await world.rpc("PerformTransaction", {"id": payme_id})
        status = (await world.hamyon.admin.payment(payment.id)).status.value
    assert allowed.result == {"allow": True}
    create_time = created[0].result["create_time"]
    assert created[0].result == created[1].result == {
        "create_time": create_time, "transaction": created[0].result["transaction"], "state": 1,
        "receivers": None}
    assert create_time == world.now_ms - 60_000
    assert open_state.result == {"create_time": create_time, "perform_time": 0, "cancel_time": 0,
                                 "transaction": created[0].result["transaction"], "state": 1,
                                 "reason": None}
    assert cancelled[0].result == cancelled[1].result == {
        "transaction": created[0].result["transaction"], "cancel_time": create_time + 30_000,
        "state": -1}
    assert checked.result == {**open_state.result, "cancel_time": create_time + 30_000, "state": -1,
                              "reason": 3}
    assert performed.code == -31008
    assert status == "pending"  # a new transaction may pay it


async def test_check_create_perform_cancel_credits_then_refunds_the_wallet(payme):
    async with payme() as world:
        payment = await world.order("10000")
        payme_id = world.payme_id()
        create = {"id": payme_id, "time": world.now_ms, "amount": tiyin(payment),
                  "account": account(payment)}
        await world.rpc("CheckPerformTransaction", {"amount": tiyin(payment), "account": account(payment)})
        created = await world.rpc("CreateTransaction", create)
        world.clock.advance(minutes=1)
        performed = [await world.rpc("PerformTransaction", {"id": payme_id}) for _ in range(3)]
        credited = await world.balance()
        world.clock.advance(minutes=1)
        cancelled = [await world.rpc("CancelTransaction", {"id": payme_id, "reason": 5})
                     for _ in range(2)]
        refunded = await world.balance()
        checked = await world.rpc("CheckTransaction", {"id": payme_id})
        again = await world.rpc("PerformTransaction", {"id": payme_id})
        recreated = await world.rpc("CreateTransaction", create)
        status = (await world.hamyon.admin.payment(payment.id)).status.value
    start = created.result["create_time"]
    transaction = created.result["transaction"]
    assert performed[0].result == performed[1].result == performed[2].result == {
        "transaction": transaction, "perform_time": start + 60_000, "state": 2}
    assert credited == Decimal("10000.00") and refunded == Decimal("0.00")
    assert cancelled[0].result == cancelled[1].result == {
        "transaction": transaction, "cancel_time": start + 120_000, "state": -2}
    assert checked.result == {"create_time": start, "perform_time": start + 60_000,
                              "cancel_time": start + 120_000, "transaction": transaction,
                              "state": -2, "reason": 5}
    assert again.code == -31008 and recreated.code == -31008
    assert status == "refunded"


async def test_unknown_transaction_is_31003_everywhere(payme):
    async with payme() as world:
        answers = [await world.rpc(method, params) for method, params in (
            ("PerformTransaction", {"id": "f" * 24}), ("CancelTransaction", {"id": "f" * 24, "reason": 1}),
            ("CheckTransaction", {"id": "f" * 24}))]
    assert [(answer.status, answer.code) for answer in answers] == [(200, -31003)] * 3


async def test_what_payme_sent_is_in_the_payment_log(payme):
    async with payme() as world:
        payment = await world.order()
        payme_id = world.payme_id()
        await world.rpc("CreateTransaction", {"id": payme_id, "time": world.now_ms,
                                              "amount": tiyin(payment), "account": account(payment)})
        await world.rpc("PerformTransaction", {"id": payme_id})
        logs = await world.hamyon.admin.payment_logs(payment.id)
    callbacks = [log for log in logs if log.type == "callback"]
    assert [log.message for log in callbacks] == [f"Payme CreateTransaction {payme_id}",
                                                  f"Payme PerformTransaction {payme_id}"]
    assert f'"amount": {tiyin(payment)}' in callbacks[0].payload
