"""The outbox and the webhook tables (SPEC §12), alike on every backend: an event is kept exactly
when its unit commits, read back byte for byte; events are taken for dispatch oldest first and
once; endpoints and deliveries come back whole; due deliveries are one endpoint's pending ones
whose time has come."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.events import DeliveryStatus
from domain.paging import PageRequest
from tests.contract.builders import NOW, delivery, event, webhook
from tests.contract.seeding import seed


async def test_an_event_is_kept_only_when_its_unit_commits_and_comes_back_byte_for_byte(storage):
    async with storage() as s:
        kept, dropped = event(), event()
        await seed(s, kept)
        async with s.unit_of_work() as uow:
            await uow.events.add(dropped)
            await uow.rollback()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.events.get(kept.id) == kept
            assert await uow.events.get(dropped.id) is None
            assert (await uow.reports.events(PageRequest())).total_count == 1


async def test_an_event_added_in_a_unit_is_seen_by_that_unit(storage):
    async with storage() as s:
        added = event()
        async with s.unit_of_work() as uow:
            await uow.events.add(added)
            assert await uow.events.get(added.id) == added
            await uow.commit()


async def test_undispatched_events_come_oldest_first_until_marked(storage):
    async with storage() as s:
        first, second, third = (event(created_at=NOW + timedelta(seconds=n)) for n in range(3))
        await seed(s, first, second, third)
        async with s.unit_of_work() as uow:
            assert await uow.events.undispatched(2) == [first, second]
            await uow.events.mark_dispatched([first.id, second.id])
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.events.undispatched(10) == [third]
            await uow.events.mark_dispatched([third.id])
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.events.undispatched(10) == []


async def test_an_event_marked_out_of_order_is_not_taken_again(storage):
    async with storage() as s:
        older, ping = event(), event(type="ping")
        async with s.unit_of_work() as uow:
            await uow.events.add(older)
            await uow.events.add(ping)
            await uow.events.mark_dispatched([ping.id])
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.events.undispatched(10) == [older]


async def test_events_are_listed_newest_first_and_filtered_by_type_and_user(storage):
    async with storage() as s:
        made = [event("payment.created", "u1"), event("charge.succeeded", "u1"),
                event("payment.created", "u2")]
        await seed(s, *made)
        async with s.unit_of_work(write=False) as uow:
            everything = await uow.reports.events(PageRequest(1, 2))
            assert everything.items == (made[2], made[1]) and everything.total_count == 3
            assert (await uow.reports.events(PageRequest(2, 2))).items == (made[0],)
            created = await uow.reports.events(PageRequest(), type="payment.created")
            assert created.items == (made[2], made[0])
            mine = await uow.reports.events(PageRequest(), user_id="u1", type="charge.succeeded")
            assert mine.items == (made[1],)


async def test_an_endpoint_comes_back_whole_and_is_replaced_by_save(storage):
    async with storage() as s:
        hook = webhook(events=("payment.completed", "wallet.low_balance"), description="Платформа")
        await seed(s, hook)
        rotated = hook.rotated("whsec_next0123456789", NOW)
        async with s.unit_of_work() as uow:
            assert await uow.webhooks.get(hook.id) == hook
            await uow.webhooks.save(rotated)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.webhooks.get(hook.id) == rotated
            assert await uow.webhooks.all() == [rotated]


async def test_deleting_an_endpoint_removes_its_deliveries(storage):
    async with storage() as s:
        hook, other, sent = webhook(), webhook(created_at=NOW + timedelta(seconds=1)), event()
        await seed(s, hook, other, sent, delivery(hook, sent), delivery(other, sent))
        async with s.unit_of_work() as uow:
            assert await uow.webhooks.delete(hook.id) is True
            assert await uow.webhooks.delete(hook.id) is False
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.webhooks.all() == [other]
            assert (await uow.reports.deliveries(hook.id, PageRequest())).total_count == 0
            assert (await uow.reports.deliveries(other.id, PageRequest())).total_count == 1


async def test_due_deliveries_are_one_endpoints_pending_ones_whose_time_has_come(storage):
    async with storage() as s:
        hook, other, sent, second, third = webhook(), webhook(), event(), event(), event()
        now_due = delivery(hook, sent, next_attempt_at=NOW - timedelta(seconds=5))
        due_later = delivery(hook, second, next_attempt_at=NOW + timedelta(seconds=30))
        done = delivery(hook, sent, status=DeliveryStatus.DELIVERED, next_attempt_at=None, attempt=1)
        elsewhere = delivery(other, sent)
        oldest = delivery(hook, third, next_attempt_at=NOW - timedelta(seconds=9))
        await seed(s, hook, other, sent, second, third, now_due, due_later, done, elsewhere, oldest)
        async with s.unit_of_work() as uow:
            assert await uow.deliveries.due(NOW, 10, hook.id) == [oldest, now_due]
            assert await uow.deliveries.due(NOW, 1, hook.id) == [oldest]
            retried = oldest.outcome(NOW, http_status=500, duration_ms=3)
            await uow.deliveries.save(retried)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            page = await uow.reports.deliveries(hook.id, PageRequest())
            assert page.items[0] == retried and page.total_count == 4


async def test_one_event_has_at_most_one_pending_delivery_to_one_endpoint(storage):
    # Being sent, or waiting for its retry: a second beside it could reach the endpoint at once.
    async with storage() as s:
        hook, other, sent = webhook(), webhook(), event()
        first = delivery(hook, sent)
        await seed(s, hook, other, sent, first)
        async with s.unit_of_work() as uow:
            assert not await uow.deliveries.add(delivery(hook, sent))
            assert await uow.deliveries.add(delivery(other, sent))
            assert await uow.deliveries.add(delivery(hook, sent, status=DeliveryStatus.FAILED))
            await uow.deliveries.save(first.outcome(NOW, http_status=200, duration_ms=3))
            again = delivery(hook, sent)  # once the first is delivered, a resend may queue it
            assert await uow.deliveries.add(again)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            page = await uow.reports.deliveries(hook.id, PageRequest())
        assert sorted(d.status.value for d in page.items) == ["delivered", "failed", "pending"]


@pytest.mark.parametrize("waiting", ["undispatched", "pending delivery", "nothing"])
async def test_the_oldest_undelivered_event_is_reported(storage, waiting):
    async with storage() as s:
        hook, old, new = webhook(), event(created_at=NOW - timedelta(minutes=5)), event()
        async with s.unit_of_work() as uow:
            await uow.webhooks.add(hook)
            await uow.events.add(old)
            await uow.events.add(new)
            await uow.events.mark_dispatched([old.id, new.id] if waiting != "undispatched" else [new.id])
            state = DeliveryStatus.PENDING if waiting == "pending delivery" else DeliveryStatus.DELIVERED
            await uow.deliveries.add(delivery(hook, old, status=state))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            oldest = await uow.reports.oldest_undelivered()
        assert oldest == (None if waiting == "nothing" else old.created_at)
