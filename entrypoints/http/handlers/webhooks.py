"""The admin API of events to the platform (SPEC §12): webhook endpoints (create, list, read,
change, delete, rotate the secret, ping, deliveries) and the events (list, read, resend). Every
write goes through a use case that records it in the audit log with the admin's id."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.webhooks import EventNotFound, WebhookNotFound
from domain.events import Delivery, Event, WebhookEndpoint
from entrypoints.http import webhook_schemas as wire
from entrypoints.http.jsonio import whole_number
from entrypoints.http.render import pagination
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import path_uuid
from entrypoints.http.wire import project

MAX_EVENT_ID = 64


def endpoint_id(raw: str) -> UUID:
    return path_uuid(raw, WebhookNotFound)


def parse_event_id(raw: str) -> str:
    if not raw.startswith("evt_") or len(raw) > MAX_EVENT_ID:
        raise EventNotFound()
    return raw


def endpoint(found: WebhookEndpoint) -> Any:
    return project(wire.WebhookRow, found, events=list(found.events))


def event(found: Event) -> Any:
    data = json.loads(found.data, parse_float=Decimal, parse_int=whole_number)
    return project(wire.Event, found, data=data)


def delivery(found: Delivery) -> Any:
    return project(wire.DeliveryRow, found)


class WebhooksHandler(ApiHandler):
    async def get(self) -> None:
        found = await self.hamyon.webhooks.all()
        self.reply(wire.WebhookList(webhooks=[endpoint(each) for each in found]))

    async def post(self) -> None:
        body = self.read()
        created = await self.hamyon.webhooks.create(body.url, self.payload.get("events"),
                                                    body.description, actor=self.user_id)
        shown = project(wire.WebhookWithSecret, created, events=list(created.events))
        self.reply(wire.WebhookCreated(webhook=shown), 201)


class WebhookHandler(ApiHandler):
    async def get(self, webhook_id: str) -> None:
        found = await self.hamyon.webhooks.get(endpoint_id(webhook_id))
        self.reply(wire.WebhookResponse(webhook=endpoint(found)))

    async def patch(self, webhook_id: str) -> None:
        changes = self.body()
        updated = await self.hamyon.webhooks.update(endpoint_id(webhook_id), changes, actor=self.user_id)
        self.reply(wire.WebhookResponse(webhook=endpoint(updated)))

    async def delete(self, webhook_id: str) -> None:
        from entrypoints.http.admin_schemas import Deleted

        await self.hamyon.webhooks.delete(endpoint_id(webhook_id), actor=self.user_id)
        self.reply(Deleted(deleted=True))


class WebhookSecretHandler(ApiHandler):
    async def post(self, webhook_id: str) -> None:
        self.body()
        rotated = await self.hamyon.webhooks.rotate_secret(endpoint_id(webhook_id), actor=self.user_id)
        shown = project(wire.WebhookWithSecret, rotated, events=list(rotated.events))
        self.reply(wire.WebhookCreated(webhook=shown))


class WebhookPingHandler(ApiHandler):
    async def post(self, webhook_id: str) -> None:
        self.body()
        queued = await self.hamyon.webhooks.ping(endpoint_id(webhook_id), actor=self.user_id)
        self.reply(wire.EventQueued(event=event(queued)))


class WebhookDeliveriesHandler(ApiHandler):
    async def get(self, webhook_id: str) -> None:
        page = await self.hamyon.webhooks.deliveries(endpoint_id(webhook_id), self.page_request())
        self.reply(wire.DeliveryList(deliveries=[delivery(each) for each in page.items],
                                     pagination=pagination(page)))


class EventsHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.webhooks.events(self.page_request(), type=self.query("type"),
                                                 user_id=self.query("user_id"))
        self.reply(wire.EventList(events=[event(each) for each in page.items], pagination=pagination(page)))


class EventHandler(ApiHandler):
    async def get(self, event_id: str) -> None:
        found = await self.hamyon.webhooks.event(parse_event_id(event_id))
        self.reply(wire.EventResponse(event=event(found)))


class EventResendHandler(ApiHandler):
    async def post(self, event_id: str) -> None:
        self.body()
        wanted = parse_event_id(event_id)
        queued = await self.hamyon.webhooks.resend(wanted, actor=self.user_id)
        self.reply(wire.Resent(event_id=wanted, deliveries=len(queued)))
