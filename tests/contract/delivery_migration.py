"""What the ``one_pending_delivery`` migration (SQLite 11, Postgres 12) must do with deliveries
queued before it: of two pending deliveries of one event to one endpoint (a resend beside the
first), the earlier stays pending and the later ends as failed; from then on a second pending one
is refused."""

from __future__ import annotations

from datetime import timedelta

from domain.events import DeliveryStatus
from domain.paging import PageRequest
from ports.storage import Storage
from tests.contract.builders import NOW, delivery, event, webhook

SQLITE_VERSION, POSTGRES_VERSION = 11, 12
HOOK, OTHER, SENT = webhook(), webhook(), event()
FIRST = delivery(HOOK, SENT)
RESENT = delivery(HOOK, SENT, created_at=NOW + timedelta(minutes=1))
ELSEWHERE = delivery(OTHER, SENT)


async def record_before(storage: Storage) -> None:
    async with storage.unit_of_work() as uow:
        await uow.webhooks.add(HOOK)
        await uow.webhooks.add(OTHER)
        await uow.events.add(SENT)
        for each in (FIRST, RESENT, ELSEWHERE):  # saved as the code before it wrote them
            await uow.deliveries.save(each)
        await uow.commit()


async def check_after(storage: Storage) -> None:
    async with storage.unit_of_work() as uow:
        found = {d.id: d for d in (await uow.reports.deliveries(HOOK.id, PageRequest(1, 20))).items}
        assert found[FIRST.id].status is DeliveryStatus.PENDING
        assert found[RESENT.id].status is DeliveryStatus.FAILED
        assert found[RESENT.id].next_attempt_at is None and "superseded" in found[RESENT.id].error
        elsewhere = (await uow.reports.deliveries(OTHER.id, PageRequest(1, 20))).items
        assert [d.status for d in elsewhere] == [DeliveryStatus.PENDING]
        assert not await uow.deliveries.add(delivery(HOOK, SENT))  # the first is still pending
        await uow.commit()
