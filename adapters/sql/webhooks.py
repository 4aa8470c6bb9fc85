"""The webhook endpoints and their deliveries (SPEC §12), the same repositories on both SQL storages,
and the outbox's pages of ``ports.reports``. ``due`` claims its rows (``Dialect.claim``): units in
several processes take disjoint ones. The outbox itself (``EventRepository``) is each backend's own:
an event travels with its unit's held writes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.dialect import Dialect, Queries, Reads, parameters
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
)
from domain.events import Delivery, Event, WebhookEndpoint
from domain.paging import Page, PageRequest
from ports.services import Cipher

_SAVE_ENDPOINT = f"INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES ({parameters(10)}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {ENDPOINT_UPDATES}"
_SAVE_DELIVERY = f"INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES ({parameters(12)}) " \
                 f"ON CONFLICT (id) DO UPDATE SET {DELIVERY_UPDATES}"
# The partial unique index ``webhook_deliveries_one_pending`` keeps one pending per pair.
_ADD_DELIVERY = f"INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS}) VALUES ({parameters(12)}) " \
                "ON CONFLICT (event_id, endpoint_id) WHERE status = 'pending' DO NOTHING RETURNING TRUE"
_EVENTS_WHERE = "(CAST($1 AS TEXT) IS NULL OR type = $1) AND (CAST($2 AS TEXT) IS NULL OR user_id = $2)"


class SqlWebhookRepository:
    def __init__(self, db: Queries, dialect: Dialect, cipher: Cipher | None) -> None:
        self._db = db
        self._v = dialect.values
        self._cipher = cipher

    async def add(self, endpoint: WebhookEndpoint) -> None:
        await self.save(endpoint)

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = await self._db.fetchrow(f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1",
                                      self._v.uuid(endpoint_id))
        return endpoint_from(row, self._cipher, self._v) if row else None

    async def save(self, endpoint: WebhookEndpoint) -> None:
        await self._db.execute(_SAVE_ENDPOINT, *endpoint_row(endpoint, self._cipher, self._v))

    async def delete(self, endpoint_id: UUID) -> bool:
        key = self._v.uuid(endpoint_id)
        await self._db.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", key)
        return bool(await self._db.fetch("DELETE FROM webhook_endpoints WHERE id = $1 RETURNING 1", key))

    async def all(self) -> list[WebhookEndpoint]:
        rows = await self._db.fetch(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id")
        return [endpoint_from(row, self._cipher, self._v) for row in rows]


class SqlDeliveryRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values
        self._due = f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 " \
                    "AND status = 'pending' AND next_attempt_at <= $2 ORDER BY next_attempt_at, seq " \
                    f"LIMIT $3{dialect.claim}"

    async def add(self, delivery: Delivery) -> bool:
        return bool(await self._db.fetchval(_ADD_DELIVERY, *delivery_row(delivery, self._v)))

    async def due(self, now: datetime, limit: int, endpoint_id: UUID) -> list[Delivery]:
        rows = await self._db.fetch(self._due, self._v.uuid(endpoint_id), self._v.time(now), limit)
        return [delivery_from(row, self._v) for row in rows]

    async def save(self, delivery: Delivery) -> None:
        await self._db.execute(_SAVE_DELIVERY, *delivery_row(delivery, self._v))


class EventReports:
    """The outbox's reads of ``ports.reports``. ``waiting`` is the backend's test of an event not yet
    dispatched, written as its partial index ``events_waiting`` is (so that the index serves)."""

    def __init__(self, db: Reads, dialect: Dialect, *, waiting: str) -> None:
        self._db = db
        self._v = dialect.values
        self._oldest = f"SELECT min(created_at) FROM (SELECT created_at FROM events WHERE {waiting} " \
                       "UNION ALL SELECT e.created_at FROM webhook_deliveries d JOIN events e " \
                       "ON e.id = d.event_id WHERE d.status = 'pending') AS waiting"

    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        total = await self._db.fetchval(f"SELECT count(*) FROM events WHERE {_EVENTS_WHERE}", type, user_id)
        rows = await self._db.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE {_EVENTS_WHERE} "
                                    "ORDER BY seq DESC LIMIT $3 OFFSET $4", type, user_id, page.per_page,
                                    page.offset)
        return Page(tuple(event_from(row, self._v) for row in rows), total, page)

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        key = self._v.uuid(endpoint_id)
        total = await self._db.fetchval("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1", key)
        rows = await self._db.fetch(f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries "
                                    "WHERE endpoint_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3",
                                    key, page.per_page, page.offset)
        return Page(tuple(delivery_from(row, self._v) for row in rows), total, page)

    async def oldest_undelivered(self) -> datetime | None:
        found = await self._db.fetchval(self._oldest)
        return self._v.read_optional_time(found)
