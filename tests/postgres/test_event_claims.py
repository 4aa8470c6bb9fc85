"""On Postgres, units running side by side take disjoint events and deliveries (FOR UPDATE SKIP
LOCKED), and neither waits for the other: how several processes deliver without duplicates."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.contract.builders import NOW, delivery, event, webhook
from tests.contract.seeding import seed


async def test_two_units_taking_events_at_once_get_disjoint_ones_without_waiting(open_storage):
    async with open_storage() as storage:
        made = [event(created_at=NOW + timedelta(seconds=n)) for n in range(4)]
        await seed(storage, *made)
        async with storage.unit_of_work() as first, storage.unit_of_work() as second:
            taken_first = await first.events.undispatched(2)
            taken_second = await asyncio.wait_for(second.events.undispatched(10), timeout=5)
            assert taken_first == made[:2] and taken_second == made[2:]
            await first.events.mark_dispatched([e.id for e in taken_first])
            await first.commit()
            await second.rollback()
        async with storage.unit_of_work() as uow:
            assert await uow.events.undispatched(10) == made[2:]


async def test_two_units_taking_due_deliveries_at_once_get_disjoint_ones(open_storage):
    async with open_storage() as storage:
        hook, sent = webhook(), [event() for _ in range(4)]  # one pending delivery per event
        queued = [delivery(hook, sent[n], next_attempt_at=NOW - timedelta(seconds=10 - n)) for n in range(4)]
        await seed(storage, hook, *sent, *queued)
        async with storage.unit_of_work() as first, storage.unit_of_work() as second:
            mine = await first.deliveries.due(NOW, 3, hook.id)
            theirs = await asyncio.wait_for(second.deliveries.due(NOW, 3, hook.id), timeout=5)
            assert mine == queued[:3] and theirs == queued[3:]
