"""The outbox, the webhook endpoints and their deliveries, in memory (SPEC §12).

Events are an append-only table (a charge appends one row, never copies a table); which of them
are queued for the endpoints is a cursor into it, plus the few queued out of order (a ping).
Endpoints and deliveries are keyed tables. Everything returned is a copy (the objects are
frozen attrs classes, so the stored ones are shared safely)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.memory.session import Repository
from adapters.memory.state import Tables
from domain.events import Delivery, DeliveryStatus, Event, WebhookEndpoint
from domain.paging import Page, PageRequest


class MemoryEventRepository(Repository):
    async def add(self, event: Event) -> None:
        (await self._tables()).append("events", event)

    async def get(self, event_id: str) -> Event | None:
        found = (await self._tables()).filed("events", event_id)
        return found[0] if found else None

    async def undispatched(self, limit: int) -> list[Event]:
        return _undispatched(await self._tables(), limit)

    async def mark_dispatched(self, event_ids: list[str]) -> None:
        tables = await self._tables()
        outbox = tables.writable("outbox")
        cursor, ahead = outbox.get("cursor", 0), set(outbox.get("ahead", ())) | set(event_ids)
        events = list(tables.log("events"))
        while cursor < len(events) and events[cursor].id in ahead:
            ahead.discard(events[cursor].id)
            cursor += 1
        outbox["cursor"], outbox["ahead"] = cursor, frozenset(ahead)


def _undispatched(tables: Tables, limit: int | None) -> list[Event]:
    outbox = tables.table("outbox")
    cursor, ahead = outbox.get("cursor", 0), outbox.get("ahead", frozenset())
    found: list[Event] = []
    for position, event in enumerate(tables.log("events")):
        if position >= cursor and event.id not in ahead:
            found.append(event)
            if limit is not None and len(found) >= limit:
                break
    return found


class MemoryWebhookRepository(Repository):
    async def add(self, endpoint: WebhookEndpoint) -> None:
        (await self._tables()).writable("webhooks")[endpoint.id] = endpoint

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        found: WebhookEndpoint | None = (await self._tables()).table("webhooks").get(endpoint_id)
        return found

    async def save(self, endpoint: WebhookEndpoint) -> None:
        (await self._tables()).writable("webhooks")[endpoint.id] = endpoint

    async def delete(self, endpoint_id: UUID) -> bool:
        tables = await self._tables()
        if not tables.delete("webhooks", endpoint_id):
            return False
        gone = [key for key, (_, delivery) in tables.table("deliveries").items()
                if delivery.endpoint_id == endpoint_id]
        if gone:
            deliveries = tables.writable("deliveries")
            for key in gone:
                del deliveries[key]
        return True

    async def all(self) -> list[WebhookEndpoint]:
        return sorted((await self._tables()).table("webhooks").values(),
                      key=lambda endpoint: (endpoint.created_at, str(endpoint.id)))


class MemoryDeliveryRepository(Repository):
    async def add(self, delivery: Delivery) -> bool:
        tables = await self._tables()
        if delivery.status is DeliveryStatus.PENDING and any(
                other.status is DeliveryStatus.PENDING and other.event_id == delivery.event_id
                and other.endpoint_id == delivery.endpoint_id
                for _, other in tables.table("deliveries").values()):
            return False
        outbox = tables.writable("outbox")
        outbox["deliveries_added"] = order = outbox.get("deliveries_added", 0) + 1
        tables.writable("deliveries")[delivery.id] = (order, delivery)
        return True

    async def due(self, now: datetime, limit: int, endpoint_id: UUID) -> list[Delivery]:
        rows = (await self._tables()).table("deliveries").values()
        due = [delivery for _, delivery in sorted(rows, key=_order)
               if delivery.endpoint_id == endpoint_id and delivery.status is DeliveryStatus.PENDING
               and delivery.next_attempt_at is not None and delivery.next_attempt_at <= now]
        return sorted(due, key=lambda delivery: delivery.next_attempt_at or now)[:limit]

    async def save(self, delivery: Delivery) -> None:
        deliveries = (await self._tables()).writable("deliveries")
        order, _ = deliveries[delivery.id]
        deliveries[delivery.id] = (order, delivery)


def _order(row: tuple[int, Delivery]) -> tuple[datetime, int]:
    return row[1].created_at, row[0]


def events_page(tables: Tables, page: PageRequest, *, type: str | None,
                user_id: str | None) -> Page[Event]:
    found = [event for event in reversed(list(tables.log("events")))
             if (type is None or event.type == type) and (user_id is None or event.user_id == user_id)]
    return Page(tuple(found[page.offset:page.offset + page.per_page]), len(found), page)


def deliveries_page(tables: Tables, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
    rows = [row for row in tables.table("deliveries").values() if row[1].endpoint_id == endpoint_id]
    found = [delivery for _, delivery in sorted(rows, key=_order, reverse=True)]
    return Page(tuple(found[page.offset:page.offset + page.per_page]), len(found), page)


def oldest_undelivered(tables: Tables) -> datetime | None:
    waiting = [event.created_at for event in _undispatched(tables, 1)]
    for _, delivery in tables.table("deliveries").values():
        if delivery.status is DeliveryStatus.PENDING:
            events = tables.filed("events", delivery.event_id)
            waiting.extend(event.created_at for event in events[:1])
    return min(waiting, default=None)
