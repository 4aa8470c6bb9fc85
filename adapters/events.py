"""The ``ports.services.EventLog`` adapter: business events as structlog lines.

The application emits events such as ``payment_completed`` or ``service_charged`` with plain
fields (ids, amounts, names). Each is handed to every subscriber (the metrics counters subscribe)
and logged on the ``hamyon.events`` logger, through the redacting chain of ``entrypoints.logging``:
as a line of its own, or, while an HTTP request gathers them (``gather_events``), in the
``events`` field of that request's one canonical line. A failing subscriber is logged and
skipped: an event never breaks the use case that emitted it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

import structlog

Subscriber = Callable[[str, Mapping[str, object]], None]


class GatheredEvents(list[dict[str, object]]):
    """The events of one request, for its log line; once ``closed`` (the line is written), later
    events of the same context get lines of their own again."""

    closed = False


_GATHERING: ContextVar[GatheredEvents | None] = ContextVar("hamyon_gathered_events", default=None)


def gather_events() -> GatheredEvents:
    """From now on in this context (one request's task), events are gathered into the returned
    list instead of being logged a line each; close it once they are logged."""
    gathered = GatheredEvents()
    _GATHERING.set(gathered)
    return gathered


class StructlogEvents:
    def __init__(self, logger: Any = None, subscribers: tuple[Subscriber, ...] = ()) -> None:
        self._log = logger if logger is not None else structlog.get_logger("hamyon.events")
        self._subscribers: list[Subscriber] = list(subscribers)

    def subscribe(self, subscriber: Subscriber) -> None:
        """Also hand every later event to ``subscriber(event, fields)``."""
        self._subscribers.append(subscriber)

    def emit(self, event: str, **fields: object) -> None:
        gathered = _GATHERING.get()
        if gathered is None or gathered.closed:
            self._log.info(event, **fields)
        else:
            gathered.append({"event": event, **fields})
        for subscriber in self._subscribers:
            try:
                subscriber(event, fields)
            except Exception:  # a metrics bug must not fail a charge that already committed
                self._log.exception("event_subscriber_failed", event_name=event)
