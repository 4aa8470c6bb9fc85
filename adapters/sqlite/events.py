"""The outbox, the webhook endpoints and their deliveries on SQLite (SPEC §12).

An event is held with the unit's other writes nobody reads back (``Session.hold``): it costs a
charge no round trip, and commits or rolls back with the change it reports. A writing unit holds
the write lock, so what ``undispatched`` and ``due`` return is this unit's alone until it ends.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.event_rows import (
    DELIVERY_COLUMNS,
    DELIVERY_UPDATES,
    ENDPOINT_COLUMNS,
    ENDPOINT_UPDATES,
    EVENT_COLUMNS,
    delivery_from,
    delivery_row,
    endpoint_from,
    endpoint_row,
    event_from,
    event_row,
)
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text, uuid_text
from domain.events import Delivery, Event, WebhookEndpoint
from domain.paging import Page, PageRequest
from ports.services import Cipher

_ADD_EVENT = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
_SAVE_ENDPOINT = f"INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES ({', '.join('?' * 10)}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {ENDPOINT_UPDATES}"
_SAVE_DELIVERY = f"INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES ({', '.join('?' * 12)}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {DELIVERY_UPDATES}"
_EVENTS_WHERE = "(:type IS NULL OR type = :type) AND (:user_id IS NULL OR user_id = :user_id)"


class SqliteEventRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, event: Event) -> None:
        await self._db.hold(_ADD_EVENT, event_row(event, STORED))

    async def get(self, event_id: str) -> Event | None:
        row = await self._db.fetchone(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,))
        return event_from(row, STORED) if row else None

    async def undispatched(self, limit: int) -> list[Event]:
        rows = await self._db.fetch(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE dispatched = 0 ORDER BY seq LIMIT ?", (limit,))
        return [event_from(row, STORED) for row in rows]

    async def mark_dispatched(self, event_ids: list[str]) -> None:
        await self._db.executemany("UPDATE events SET dispatched = 1 WHERE id = ?",
                                   [(event_id,) for event_id in event_ids])


class SqliteWebhookRepository:
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, endpoint: WebhookEndpoint) -> None:
        await self.save(endpoint)

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = await self._db.fetchone(f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?",
                                      (uuid_text(endpoint_id),))
        return endpoint_from(row, self._cipher, STORED) if row else None

    async def save(self, endpoint: WebhookEndpoint) -> None:
        await self._db.execute(_SAVE_ENDPOINT, endpoint_row(endpoint, self._cipher, STORED))

    async def delete(self, endpoint_id: UUID) -> bool:
        key = uuid_text(endpoint_id)
        await self._db.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", (key,))
        return bool(await self._db.fetch("DELETE FROM webhook_endpoints WHERE id = ? RETURNING 1", (key,)))

    async def all(self) -> list[WebhookEndpoint]:
        rows = await self._db.fetch(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id")
        return [endpoint_from(row, self._cipher, STORED) for row in rows]


class SqliteDeliveryRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, delivery: Delivery) -> None:
        await self.save(delivery)

    async def due(self, now: datetime, limit: int, endpoint_id: UUID) -> list[Delivery]:
        rows = await self._db.fetch(
            f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = ? "
            "AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?",
            (uuid_text(endpoint_id), time_text(now), limit))
        return [delivery_from(row, STORED) for row in rows]

    async def save(self, delivery: Delivery) -> None:
        await self._db.execute(_SAVE_DELIVERY, delivery_row(delivery, STORED))


async def events_page(db: Session, page: PageRequest, *, type: str | None,
                      user_id: str | None) -> Page[Event]:
    where = {"type": type, "user_id": user_id}
    total = await db.fetchval(f"SELECT count(*) FROM events WHERE {_EVENTS_WHERE}", where)
    rows = await db.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE {_EVENTS_WHERE} ORDER BY seq DESC "
                          "LIMIT :limit OFFSET :offset",
                          {**where, "limit": page.per_page, "offset": page.offset})
    return Page(tuple(event_from(row, STORED) for row in rows), total, page)


async def deliveries_page(db: Session, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
    key = uuid_text(endpoint_id)
    total = await db.fetchval("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", (key,))
    rows = await db.fetch(f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = ? "
                          "ORDER BY seq DESC LIMIT ? OFFSET ?", (key, page.per_page, page.offset))
    return Page(tuple(delivery_from(row, STORED) for row in rows), total, page)


async def oldest_undelivered(db: Session) -> datetime | None:
    found = await db.fetchval(
        "SELECT min(created_at) FROM (SELECT created_at FROM events WHERE dispatched = 0 "
        "UNION ALL SELECT e.created_at FROM webhook_deliveries d JOIN events e ON e.id = d.event_id "
        "WHERE d.status = 'pending')")
    return STORED.read_time(found) if found is not None else None
