"""medogram may send the payer back several times at once (a double click, a reloaded page): the
wallet is credited once, on SQLite and Postgres alike."""

from __future__ import annotations

import asyncio
from decimal import Decimal


async def test_eight_concurrent_callbacks_credit_exactly_once(medogram, backend):
    async with backend() as storage, medogram(storage=storage) as world:
        created = await world.create(100000)
        replies = await asyncio.gather(*(world.callback("123", tracking_code="TRK") for _ in range(8)))
        assert {reply.status for reply in replies} == {200}
        assert len({reply.text for reply in replies}) == 1  # every answer the same success
        assert await world.balance() == Decimal(100000)
        assert await world.status(created["transaction_id"]) == "completed"
        report = await world.hamyon.admin.verify_ledger()
        assert report.ok, report
