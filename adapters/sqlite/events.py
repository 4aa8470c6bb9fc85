"""The outbox on SQLite (SPEC §12); the webhook endpoints and their deliveries are
``adapters.sql.webhooks``.

An event is held with the unit's other writes nobody reads back (``Session.hold``): it costs a
charge no round trip, and commits or rolls back with the change it reports. A writing unit holds
the write lock, so what ``undispatched`` returns is this unit's alone until it ends.
"""

from __future__ import annotations

from adapters.sql.event_rows import EVENT_COLUMNS, event_from, event_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED
from domain.events import Event

WAITING = "dispatched = 0"  # as the partial index ``events_waiting`` is written
_ADD_EVENT = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)"


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
            f"SELECT {EVENT_COLUMNS} FROM events WHERE {WAITING} ORDER BY seq LIMIT ?", (limit,))
        return [event_from(row, STORED) for row in rows]

    async def mark_dispatched(self, event_ids: list[str]) -> None:
        await self._db.executemany("UPDATE events SET dispatched = 1 WHERE id = ?",
                                   [(event_id,) for event_id in event_ids])
