"""Row ↔ object mapping of the events to the platform (the outbox), the webhook endpoints (whose
secrets are sealed) and their deliveries, shared by the SQL storages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from adapters.sealed import WEBHOOK_SECRET, seal, unseal
from adapters.sql.values import Row, Values
from domain.events import Delivery, DeliveryStatus, Event, WebhookEndpoint
from ports.services import Cipher

EVENT_COLUMNS = "id, type, user_id, created_at, data"
ENDPOINT_COLUMNS = "id, url, events, description, is_active, secret, previous_secret, previous_until, " \
                   "created_at, updated_at"
ENDPOINT_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in ENDPOINT_COLUMNS.split(", ")[1:])
DELIVERY_COLUMNS = "id, endpoint_id, event_id, event_type, attempt, status, next_attempt_at, http_status, " \
                   "duration_ms, error, created_at, updated_at"
DELIVERY_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in DELIVERY_COLUMNS.split(", ")[4:])


def event_row(e: Event, v: Values) -> tuple[Any, ...]:
    return (e.id, e.type, e.user_id, v.time(e.created_at), e.data)


def event_from(row: Row, v: Values) -> Event:
    return Event(row["id"], row["type"], v.read_time(row["created_at"]), row["user_id"], row["data"])


def endpoint_row(w: WebhookEndpoint, cipher: Cipher | None, v: Values) -> tuple[Any, ...]:
    return (v.uuid(w.id), w.url, json.dumps(list(w.events)), w.description, v.flag(w.is_active),
            seal(cipher, WEBHOOK_SECRET, w.secret),
            seal(cipher, WEBHOOK_SECRET, _previous_text(w.previous)) if w.previous else None,
            v.optional_time(max(until for _, until in w.previous)) if w.previous else None,
            v.time(w.created_at), v.time(w.updated_at))


def endpoint_from(row: Row, cipher: Cipher | None, v: Values) -> WebhookEndpoint:
    sealed = row["previous_secret"]
    previous: tuple[tuple[str, datetime], ...] = ()
    if sealed:
        text = unseal(cipher, WEBHOOK_SECRET, sealed)
        if text.startswith("["):  # the replaced secrets, each with its time
            previous = tuple((old, datetime.fromisoformat(until)) for old, until in json.loads(text))
        else:  # written before 2026-12-08: one replaced secret, its time in previous_until
            previous = ((text, v.read_time(row["previous_until"])),)
    return WebhookEndpoint(
        v.read_uuid(row["id"]), row["url"], tuple(json.loads(row["events"])),
        unseal(cipher, WEBHOOK_SECRET, row["secret"]), v.read_time(row["created_at"]),
        v.read_time(row["updated_at"]), row["description"], v.read_flag(row["is_active"]), previous)


def _previous_text(previous: tuple[tuple[str, datetime], ...]) -> str:
    """The replaced secrets as one sealed text: a JSON list of [secret, ISO time] (a secret is
    ``whsec_…``, so the text of the earlier single secret never starts with ``[``); the column
    ``previous_until`` keeps the latest of the times."""
    return json.dumps([[old, until.isoformat()] for old, until in previous])


def delivery_row(d: Delivery, v: Values) -> tuple[Any, ...]:
    return (v.uuid(d.id), v.uuid(d.endpoint_id), d.event_id, d.event_type, d.attempt, d.status.value,
            v.optional_time(d.next_attempt_at), d.http_status, d.duration_ms, d.error,
            v.time(d.created_at), v.optional_time(d.updated_at))


def delivery_from(row: Row, v: Values) -> Delivery:
    return Delivery(
        v.read_uuid(row["id"]), v.read_uuid(row["endpoint_id"]), row["event_id"], row["event_type"],
        v.read_time(row["created_at"]), v.read_optional_time(row["next_attempt_at"]), row["attempt"],
        DeliveryStatus(row["status"]), row["http_status"], row["duration_ms"], row["error"],
        v.read_optional_time(row["updated_at"]))
