"""The webhook endpoints' and events' shapes in the admin API (SPEC §12), and the event as it is
delivered (the OpenAPI document's ``webhooks`` section)."""

from __future__ import annotations

from typing import Any

from domain.events import ALL, EVENT_TYPES, DeliveryStatus
from entrypoints.http.schema_types import TEXT
from entrypoints.http.schemas import Pagination
from entrypoints.http.wire import (
                             Spec,
                             answer,
                             choice,
                             flag,
                             many,
                             moment,
                             nullable,
                             one,
                             request,
                             row,
                             success,
                             text,
                             uuid,
                             web_url,
                             whole,
)

EVENT_KINDS = text(32, enum=(ALL, *EVENT_TYPES))
EVENT_ID = text(64, description="evt_<uuid>")
DATA = Spec(dict[str, Any], {"type": "object",
                             "description": "The object as the API shows it: a payment, charge or wallet"})

WebhookCreate = request("WebhookCreate", {
    "url": web_url("Where Hamyon posts events (https only in production)"),
    "events": Spec(list[str], {"type": "array", "items": EVENT_KINDS.schema, "minItems": 1,
                               "maxItems": len(EVENT_TYPES) + 1}),
    "description": text(500, multiline=True)}, required=("url", "events"),
    examples=({"url": "https://platform.example/hamyon/events", "events": ["payment.completed"],
               "description": "Top-ups"},))
WebhookChanges = request("WebhookChanges", {
    "url": web_url("Where Hamyon posts events"),
    "events": Spec(list[str], {"type": "array", "items": EVENT_KINDS.schema, "minItems": 1,
                               "maxItems": len(EVENT_TYPES) + 1}),
    "description": text(500, multiline=True), "is_active": flag()}, required=())

_endpoint = {"id": uuid(), "url": text(2048), "events": many(EVENT_KINDS), "description": text(500),
             "is_active": flag(), "created_at": moment(), "updated_at": moment()}
WebhookRow = row("WebhookRow", _endpoint)
WebhookWithSecret = row("WebhookWithSecret", {
    **_endpoint, "secret": text(128, description="whsec_…: shown only in this answer")})
WebhookCreated = success("WebhookCreated", webhook=one(WebhookWithSecret))
WebhookResponse = success("WebhookResponse", webhook=one(WebhookRow))
WebhookList = success("WebhookList", webhooks=many(WebhookRow))

DeliveryRow = row("DeliveryRow", {
    "id": uuid(), "event_id": EVENT_ID, "event_type": text(32), "status": choice(DeliveryStatus, 16),
    "attempt": whole(0), "http_status": nullable(whole()), "duration_ms": nullable(whole(0)),
    "error": text(TEXT), "next_attempt_at": nullable(moment()), "created_at": moment(),
    "updated_at": nullable(moment())})
DeliveryList = success("DeliveryList", deliveries=many(DeliveryRow), pagination=one(Pagination))

Event = answer("Event", {
    "id": EVENT_ID, "type": text(32, enum=EVENT_TYPES), "created_at": moment(),
    "user_id": text(128), "data": DATA}, description=(
    "An event as delivered: the POST body Hamyon sends, signed in Hamyon-Signature"))
EventList = success("EventList", events=many(Event), pagination=one(Pagination))
EventResponse = success("EventResponse", event=one(Event))
EventQueued = success("EventQueued", event=one(Event))
Resent = success("Resent", event_id=EVENT_ID, deliveries=whole(0))
