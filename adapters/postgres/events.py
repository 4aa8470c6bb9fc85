"""The outbox on Postgres (SPEC §12); the webhook endpoints and their deliveries are
``adapters.sql.webhooks``.

An event is held with the unit's other writes nobody reads back (``adapters.postgres.pending``):
a charge's event travels in the charge's one statement, and commits or rolls back with it.
``undispatched`` locks what it returns ``FOR UPDATE SKIP LOCKED``: units in several processes take
disjoint rows, none waits for another.
"""

from __future__ import annotations

from adapters.postgres.pending import EVENTS
from adapters.postgres.session import Session
from adapters.sql.event_rows import EVENT_COLUMNS, event_from, event_row
from adapters.sql.values import NATIVE
from domain.events import Event

WAITING = "NOT dispatched"  # as the partial index ``events_waiting`` is written


class PgEventRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, event: Event) -> None:
        await self._db.hold(EVENTS, [event_row(event, NATIVE)])

    async def get(self, event_id: str) -> Event | None:
        row = await self._db.fetchrow(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = $1", event_id)
        return event_from(row, NATIVE) if row else None

    async def undispatched(self, limit: int) -> list[Event]:
        rows = await self._db.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE {WAITING} ORDER BY seq "
                                    "LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
        return [event_from(row, NATIVE) for row in rows]

    async def mark_dispatched(self, event_ids: list[str]) -> None:
        await self._db.execute("UPDATE events SET dispatched = true WHERE id = ANY($1::text[])", event_ids)
