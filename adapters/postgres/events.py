"""The outbox, the webhook endpoints and their deliveries on Postgres (SPEC §12).

An event is held with the unit's other writes nobody reads back (``adapters.postgres.pending``):
a charge's event travels in the charge's one statement, and commits or rolls back with it.
``undispatched`` and ``due`` lock what they return ``FOR UPDATE SKIP LOCKED``: units in several
processes take disjoint rows, none waits for another.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.postgres.pending import EVENTS
from adapters.postgres.session import Session
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
from adapters.sql.values import NATIVE
from domain.events import Delivery, Event, WebhookEndpoint
from domain.paging import Page, PageRequest
from ports.services import Cipher

_SAVE_ENDPOINT = f"INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES " \
                 f"({', '.join(f'${n}' for n in range(1, 11))}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {ENDPOINT_UPDATES}"
_SAVE_DELIVERY = f"INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES " \
                 f"({', '.join(f'${n}' for n in range(1, 13))}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {DELIVERY_UPDATES}"
_EVENTS_WHERE = "($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR user_id = $2)"


class PgEventRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, event: Event) -> None:
        await self._db.hold(EVENTS, [event_row(event, NATIVE)])

    async def get(self, event_id: str) -> Event | None:
        row = await self._db.fetchrow(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = $1", event_id)
        return event_from(row, NATIVE) if row else None

    async def undispatched(self, limit: int) -> list[Event]:
        rows = await self._db.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE NOT dispatched ORDER BY seq "
                                    "LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
        return [event_from(row, NATIVE) for row in rows]

    async def mark_dispatched(self, event_ids: list[str]) -> None:
        await self._db.execute("UPDATE events SET dispatched = true WHERE id = ANY($1::text[])", event_ids)


class PgWebhookRepository:
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, endpoint: WebhookEndpoint) -> None:
        await self.save(endpoint)

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = await self._db.fetchrow(f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1",
                                      endpoint_id)
        return endpoint_from(row, self._cipher, NATIVE) if row else None

    async def save(self, endpoint: WebhookEndpoint) -> None:
        await self._db.execute(_SAVE_ENDPOINT, *endpoint_row(endpoint, self._cipher, NATIVE))

    async def delete(self, endpoint_id: UUID) -> bool:
        await self._db.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", endpoint_id)
        status = await self._db.execute("DELETE FROM webhook_endpoints WHERE id = $1", endpoint_id)
        return status != "DELETE 0"

    async def all(self) -> list[WebhookEndpoint]:
        rows = await self._db.fetch(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id")
        return [endpoint_from(row, self._cipher, NATIVE) for row in rows]


class PgDeliveryRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, delivery: Delivery) -> None:
        await self.save(delivery)

    async def due(self, now: datetime, limit: int, endpoint_id: UUID) -> list[Delivery]:
        rows = await self._db.fetch(
            f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 "
            "AND status = 'pending' AND next_attempt_at <= $2 ORDER BY next_attempt_at, seq LIMIT $3 "
            "FOR UPDATE SKIP LOCKED",
            endpoint_id, now, limit)
        return [delivery_from(row, NATIVE) for row in rows]

    async def save(self, delivery: Delivery) -> None:
        await self._db.execute(_SAVE_DELIVERY, *delivery_row(delivery, NATIVE))


async def events_page(db: Session, page: PageRequest, *, type: str | None,
                      user_id: str | None) -> Page[Event]:
    total = await db.fetchval(f"SELECT count(*) FROM events WHERE {_EVENTS_WHERE}", type, user_id)
    rows = await db.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE {_EVENTS_WHERE} ORDER BY seq DESC "
                          "LIMIT $3 OFFSET $4", type, user_id, page.per_page, page.offset)
    return Page(tuple(event_from(row, NATIVE) for row in rows), total, page)


async def deliveries_page(db: Session, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
    total = await db.fetchval("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1", endpoint_id)
    rows = await db.fetch(f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 "
                          "ORDER BY seq DESC LIMIT $2 OFFSET $3", endpoint_id, page.per_page, page.offset)
    return Page(tuple(delivery_from(row, NATIVE) for row in rows), total, page)


async def oldest_undelivered(db: Session) -> datetime | None:
    found: datetime | None = await db.fetchval(
        "SELECT min(created_at) FROM (SELECT created_at FROM events WHERE NOT dispatched "
        "UNION ALL SELECT e.created_at FROM webhook_deliveries d JOIN events e ON e.id = d.event_id "
        "WHERE d.status = 'pending') waiting")
    return found
