"""Click may deliver the same Complete several times at once: the wallet is credited once, on every
storage backend."""

from __future__ import annotations

import asyncio

from adapters.gateways.click import COMPLETE, PREPARE
from tests.gateways.click.conftest import uzs


async def test_eight_concurrent_duplicate_completes_credit_exactly_once(click, backend):
    async with backend() as storage, click(storage=storage) as w:
        order = await w.topup(amount="50000")
        prepare_id = (await w.prepare(order, "2001"))["merchant_prepare_id"]
        form = w.form(COMPLETE, order, "2001", prepare_id=prepare_id)
        replies = await asyncio.gather(*(w.post("complete", form) for _ in range(8)))
        assert {reply.status for reply in replies} == {200}
        assert sorted(reply.error for reply in replies) == [-4] * 7 + [0]
        assert await w.balance() == uzs("50000")
        assert await w.status(order) == "completed"
        report = await w.hamyon.admin.verify_ledger()
        assert report.ok, report


async def test_eight_concurrent_duplicate_prepares_hold_one_attempt(click, backend):
    async with backend() as storage, click(storage=storage) as w:
        order = await w.topup(amount="50000")
        form = w.form(PREPARE, order, "2101")
        replies = await asyncio.gather(*(w.post("prepare", form) for _ in range(8)))
        assert [reply.error for reply in replies] == [0] * 8
        assert len({reply.answer["merchant_prepare_id"] for reply in replies}) == 1
        assert len(await w.hamyon.settlement.attempts(order.id)) == 1
