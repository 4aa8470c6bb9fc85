"""Payme may deliver the same call several times at once: on every storage backend, duplicates
open one transaction, credit once, and every delivery hears the same answer."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from tests.gateways.payme.conftest import account, tiyin

COPIES = 8


async def test_concurrent_duplicate_performs_credit_once(payme, backend):
    async with backend() as storage, payme(storage=storage) as world:
        payment = await world.order("10000")
        params = {"id": world.payme_id(), "time": world.now_ms, "amount": tiyin(payment),
                  "account": account(payment)}
        await world.rpc("CreateTransaction", params)
        answers = await asyncio.gather(*[world.rpc("PerformTransaction", {"id": params["id"]})
                                         for _ in range(COPIES)])
        balance = await world.balance()
        transactions = await world.hamyon.wallets.transactions("alice", None)
    assert {answer.status for answer in answers} == {200}
    assert all(answer.result == answers[0].result for answer in answers)
    assert answers[0].result["state"] == 2
    assert balance == Decimal("10000.00")
    assert transactions.total_count == 1


async def test_concurrent_duplicate_creates_open_one_transaction(payme, backend):
    async with backend() as storage, payme(storage=storage) as world:
        payment = await world.order()
        params = {"id": world.payme_id(), "time": world.now_ms, "amount": tiyin(payment),
                  "account": account(payment)}
        answers = await asyncio.gather(*[world.rpc("CreateTransaction", params)
                                         for _ in range(COPIES)])
        attempts = await world.hamyon.settlement.attempts(payment.id)
    assert all(answer.result == answers[0].result for answer in answers)
    assert answers[0].result["state"] == 1
    assert [attempt.external_id for attempt in attempts] == [params["id"]]


async def test_concurrent_creates_with_different_ids_let_one_hold_the_order(payme, backend):
    async with backend() as storage, payme(storage=storage) as world:
        payment = await world.order()
        answers = await asyncio.gather(*[world.rpc("CreateTransaction", {
            "id": world.payme_id(), "time": world.now_ms, "amount": tiyin(payment),
            "account": account(payment)}) for _ in range(COPIES)])
    codes = sorted(answer.code or 0 for answer in answers)
    assert codes == [-31099] * (COPIES - 1) + [0]
