"""Concurrent charges never overdraw; idempotent requests run once."""

from __future__ import annotations

import asyncio
import json

import pytest

from application.billing import ChargeRequest
from application.idempotency import IdempotencyRequest, StoredResponse
from domain.errors import IdempotencyConflict, InsufficientFunds
from domain.journal import fingerprint
from tests.application.conftest import uzs


async def test_100_concurrent_charges_on_a_wallet_funded_for_10_exactly_10_succeed(world):
    async with world() as w:
        await w.fund("u1", "500000")

        async def charge() -> bool:
            try:
                await w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))
                return True
            except InsufficientFunds:
                return False

        outcomes = await asyncio.gather(*(charge() for _ in range(100)))
        assert outcomes.count(True) == 10
        assert await w.balance("u1") == uzs("0")
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_concurrent_duplicate_completions_credit_once(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("click", payment.id, "c-1")
        settlement = w.hamyon.settlement
        results = await asyncio.gather(*(settlement.complete_attempt("click", "c-1") for _ in range(8)))
        assert sum(r.credited for r in results) == 1
        assert await w.balance("u1") == uzs("50000")


def charge_request(key: str, body: dict) -> IdempotencyRequest:
    return IdempotencyRequest("u1", key, "POST", "/api/payments/billing/charge/", fingerprint(body))


def render(result) -> StoredResponse:
    return StoredResponse(200, json.dumps({"transaction_id": str(result.transaction_id)}))


async def test_same_key_same_body_replays_and_charges_once(world):
    async with world() as w:
        await w.fund("u1", "200000")
        body = {"service_type": "consultation", "quantity": 1}
        first, second = [await w.hamyon.idempotency.run(
            charge_request("k1", body), lambda: w.hamyon.billing.charge(ChargeRequest("u1", "consultation")),
            render) for _ in range(2)]
        assert first.body == second.body and second.replayed and not first.replayed
        assert await w.balance("u1") == uzs("150000")


async def test_same_key_other_body_is_a_conflict(world):
    async with world() as w:
        await w.fund("u1", "200000")
        action = lambda: w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))  # noqa: E731
        await w.hamyon.idempotency.run(charge_request("k1", {"quantity": 1}), action, render)
        with pytest.raises(IdempotencyConflict):
            await w.hamyon.idempotency.run(charge_request("k1", {"quantity": 2}), action, render)


async def test_concurrent_requests_with_one_key_run_once(world):
    async with world() as w:
        await w.fund("u1", "200000")
        body = {"service_type": "consultation"}
        answers = await asyncio.gather(*(w.hamyon.idempotency.run(
            charge_request("k1", body), lambda: w.hamyon.billing.charge(ChargeRequest("u1", "consultation")),
            render) for _ in range(5)))
        assert len({a.body for a in answers}) == 1
        assert await w.balance("u1") == uzs("150000")


async def test_a_refused_request_stores_nothing_and_may_be_retried(world):
    async with world() as w:
        action = lambda: w.hamyon.billing.charge(ChargeRequest("u1", "consultation"))  # noqa: E731
        with pytest.raises(InsufficientFunds):
            await w.hamyon.idempotency.run(charge_request("k1", {}), action, render)
        await w.fund("u1", "50000")
        answer = await w.hamyon.idempotency.run(charge_request("k1", {}), action, render)
        assert not answer.replayed and await w.balance("u1") == uzs("0")


class RecordedEvents:
    def __init__(self) -> None:
        self.events: list[str] = []

    def emit(self, event: str, **fields: object) -> None:
        self.events.append(event)


async def test_events_are_published_after_commit_and_never_for_a_rolled_back_unit():
    from adapters.clock import ManualClock
    from entrypoints.bootstrap import bootstrap

    recorded = RecordedEvents()
    hamyon = await bootstrap("memory://", clock=ManualClock(), events=recorded)
    try:
        with pytest.raises(InsufficientFunds):
            await hamyon.billing.charge(ChargeRequest("u1", "consultation"))
        assert recorded.events == []
        await hamyon.wallets.adjust("u1", "50000", "UZS", "funding", actor="admin")
        await hamyon.billing.charge(ChargeRequest("u1", "consultation"))
        assert recorded.events == ["admin_write", "service_charged"]
    finally:
        await hamyon.close()
