"""Lanes (issue 17) around charges: one wallet's concurrent charges take turns in a process;
inside an open unit of work (an idempotent request's) a charge takes no lane, so it never waits
for one while holding a pooled connection. Mixed plain and idempotent charges of one hot wallet
all finish, exactly once, on Postgres with a pool of 4 and on memory asking for lanes."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from application.billing import ChargeRequest
from application.idempotency import IdempotencyRequest, StoredResponse
from entrypoints.bootstrap import bootstrap
from tests.backends import memory, postgres
from tests.fakes import CardGateway


@pytest.fixture(params=["memory", pytest.param("postgres", marks=pytest.mark.postgres)])
def opened(request, tmp_path):
    return {"memory": memory, "postgres": postgres}[request.param].storage_factory(tmp_path)


async def test_mixed_idempotent_and_plain_charges_of_one_hot_wallet_all_finish_exactly_once(opened):
    async with opened() as storage:
        storage.wallet_lanes = True  # Postgres asks for lanes; memory is told to, here
        hamyon = await bootstrap("memory://", storage=storage, gateways=[CardGateway("click")],
                                 active_gateways={"click"}, retry=None)
        await hamyon.wallets.adjust("hot", Decimal(50_000 * 24), "UZS", "funding", actor="admin")
        plain = [hamyon.billing.charge(ChargeRequest("hot", "consultation")) for _ in range(12)]
        keyed = [hamyon.idempotency.run(
            IdempotencyRequest("hot", f"k{n}", "POST", "/charge", f"fp{n}"),
            lambda: hamyon.billing.charge(ChargeRequest("hot", "consultation")),
            lambda result: StoredResponse(200, str(result.transaction_id))) for n in range(12)]
        results = await asyncio.wait_for(asyncio.gather(*plain, *keyed), timeout=60)
        balance = (await hamyon.wallets.get("hot")).balance
        report = await hamyon.admin.verify_ledger()
    assert len(results) == 24 and balance.minor == 0 and report.ok
