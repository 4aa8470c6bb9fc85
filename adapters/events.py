"""The ``ports.services.EventLog`` adapter: business events as structlog lines.

The application emits events such as ``payment_completed`` or ``service_charged`` with plain
fields (ids, amounts, names). Each becomes one log line on the ``hamyon.events`` logger — the
redacting chain of ``entrypoints.logging`` still applies — and is handed to every subscriber
(the metrics counters subscribe), so a business fact is counted where it is logged.
A failing subscriber is logged and skipped: an event never breaks the use case that emitted it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import structlog

Subscriber = Callable[[str, Mapping[str, object]], None]


class StructlogEvents:
    def __init__(self, logger: Any = None, subscribers: tuple[Subscriber, ...] = ()) -> None:
        self._log = logger if logger is not None else structlog.get_logger("hamyon.events")
        self._subscribers: list[Subscriber] = list(subscribers)

    def subscribe(self, subscriber: Subscriber) -> None:
        """Also hand every later event to ``subscriber(event, fields)``."""
        self._subscribers.append(subscriber)

    def emit(self, event: str, **fields: object) -> None:
        self._log.info(event, **fields)
        for subscriber in self._subscribers:
            try:
                subscriber(event, fields)
            except Exception:  # a metrics bug must not fail a charge that already committed
                self._log.exception("event_subscriber_failed", event_name=event)
