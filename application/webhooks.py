"""The platform's webhook endpoints and the delivery of events to them (SPEC §12).

The admin manages endpoints (each write audited); the background jobs queue each new event for
every active endpoint subscribed to it (``dispatch``), take the deliveries that are due
(``claim``: each taken delivery is leased, so no other process sends it meanwhile), send them
outside any unit of work, and write down each outcome (``record``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from uuid import UUID

import attrs
from attrs import frozen

from application.dependencies import UseCases
from domain.errors import NotFound, ValidationError
from domain.events import (
    DELIVERY_TIMEOUT_SECONDS,
    SECRET_PREFIX,
    Delivery,
    DeliveryStatus,
    Event,
    WebhookEndpoint,
    event_id,
    parse_event_types,
    signature,
    subscribed,
)
from domain.paging import Page, PageRequest
from domain.text import check_text
from ports.storage import UnitOfWork

MAX_URL = 2048
MAX_DESCRIPTION = 500
LEASE = timedelta(seconds=6 * DELIVERY_TIMEOUT_SECONDS)  # far longer than one attempt may take


class WebhookNotFound(NotFound):
    code = "webhook_not_found"
    default_message = "Webhook endpoint not found"


class EventNotFound(NotFound):
    code = "event_not_found"
    default_message = "Event not found"


@frozen
class Outgoing:
    """A claimed delivery, ready to send: the body and headers are final."""

    delivery: Delivery
    url: str
    body: bytes
    headers: Mapping[str, str]


class WebhookUseCases(UseCases):
    # --- the admin's endpoints --------------------------------------------------------------

    async def create(self, url: object, events: object, description: object = "", *,
                     actor: str) -> WebhookEndpoint:
        """A new endpoint; its secret appears in this answer only."""
        checked = await self._url(url)
        kinds = parse_event_types(events)
        about = _description(description)
        now = self._now()
        endpoint = WebhookEndpoint(self._deps.ids.new_id(), checked, kinds, self._new_secret(), now,
                                   now, about)

        async def body(uow: UnitOfWork) -> WebhookEndpoint:
            await uow.webhooks.add(endpoint)
            await self._audit(uow, actor, "create_webhook", f"webhook:{endpoint.id}", checked)
            return endpoint

        return await self._units.write(body)

    async def all(self) -> list[WebhookEndpoint]:
        return await self._units.read(lambda uow: uow.webhooks.all())

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint:
        found = await self._units.read(lambda uow: uow.webhooks.get(endpoint_id))
        if found is None:
            raise WebhookNotFound()
        return found

    async def update(self, endpoint_id: UUID, changes: Mapping[str, object], *,
                     actor: str) -> WebhookEndpoint:
        """Change the URL, the events, the description or ``is_active`` (only those given)."""
        given: dict[str, object] = {}
        if "url" in changes:
            given["url"] = await self._url(changes["url"])
        if "events" in changes:
            given["events"] = parse_event_types(changes["events"])
        if "description" in changes:
            given["description"] = _description(changes["description"])
        if "is_active" in changes:
            if not isinstance(changes["is_active"], bool):
                raise ValidationError("is_active must be true or false", field="is_active")
            given["is_active"] = changes["is_active"]

        async def body(uow: UnitOfWork) -> WebhookEndpoint:
            endpoint = await self._endpoint(uow, endpoint_id)
            updated = attrs.evolve(endpoint, updated_at=self._now(), **given)  # type: ignore[arg-type]
            await uow.webhooks.save(updated)
            await self._audit(uow, actor, "update_webhook", f"webhook:{endpoint_id}",
                              ", ".join(sorted(given)))
            return updated

        return await self._units.write(body)

    async def delete(self, endpoint_id: UUID, *, actor: str) -> None:
        async def body(uow: UnitOfWork) -> None:
            if not await uow.webhooks.delete(endpoint_id):
                raise WebhookNotFound()
            await self._audit(uow, actor, "delete_webhook", f"webhook:{endpoint_id}", "")

        await self._units.write(body)

    async def rotate_secret(self, endpoint_id: UUID, *, actor: str) -> WebhookEndpoint:
        """A new secret (in this answer only); the old one keeps signing beside it for 24 hours."""
        async def body(uow: UnitOfWork) -> WebhookEndpoint:
            endpoint = await self._endpoint(uow, endpoint_id)
            rotated = endpoint.rotated(self._new_secret(), self._now())
            await uow.webhooks.save(rotated)
            await self._audit(uow, actor, "rotate_webhook_secret", f"webhook:{endpoint_id}", "")
            return rotated

        return await self._units.write(body)

    async def ping(self, endpoint_id: UUID, *, actor: str) -> Event:
        """A ``ping`` event queued for this endpoint only."""
        async def body(uow: UnitOfWork) -> Event:
            endpoint = await self._endpoint(uow, endpoint_id)
            now = self._now()
            event = Event(event_id(self._deps.ids.ordered_id()), "ping", now, "",
                          f'{{"webhook_id":"{endpoint.id}"}}')
            await uow.events.add(event)
            await uow.events.mark_dispatched([event.id])  # never fanned out to the others
            await uow.deliveries.add(self._delivery(endpoint, event, now))
            await self._audit(uow, actor, "ping_webhook", f"webhook:{endpoint_id}", event.id)
            return event

        return await self._units.write(body)

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        await self.get(endpoint_id)
        return await self._units.read(lambda uow: uow.reports.deliveries(endpoint_id, page))

    # --- the events -------------------------------------------------------------------------

    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        return await self._units.read(lambda uow: uow.reports.events(page, type=type or None,
                                                                     user_id=user_id or None))

    async def event(self, event_id_: str) -> Event:
        found = await self._units.read(lambda uow: uow.events.get(event_id_))
        if found is None:
            raise EventNotFound()
        return found

    async def resend(self, event_id_: str, *, actor: str) -> list[Delivery]:
        """Queue the event again for every active endpoint subscribed to it now (but those that
        still have it pending); the deliveries queued."""
        async def body(uow: UnitOfWork) -> list[Delivery]:
            event = await uow.events.get(event_id_)
            if event is None:
                raise EventNotFound()
            now = self._now()
            # An endpoint that still has this event pending (being sent, or waiting for its
            # retry) gets no second delivery of it: it would receive the event twice at once.
            queued = []
            for endpoint in subscribed(await uow.webhooks.all(), event.type):
                delivery = self._delivery(endpoint, event, now)
                if await uow.deliveries.add(delivery):
                    queued.append(delivery)
            await self._audit(uow, actor, "resend_event", f"event:{event.id}", str(len(queued)))
            return queued

        return await self._units.write(body)

    # --- delivery (the background jobs) -----------------------------------------------------

    async def dispatch(self, limit: int = 200) -> int:
        """Queue each event not yet queued for every active endpoint subscribed to it; returns
        how many events were taken."""
        async def body(uow: UnitOfWork) -> int:
            events = await uow.events.undispatched(limit)
            if not events:
                return 0
            endpoints = await uow.webhooks.all()
            now = self._now()
            for event in events:
                for endpoint in subscribed(endpoints, event.type):
                    await uow.deliveries.add(self._delivery(endpoint, event, now))
            await uow.events.mark_dispatched([event.id for event in events])
            return len(events)

        return await self._units.write(body)

    async def claim(self, limit: int = 50, *, busy: Mapping[UUID, int] | None = None,
                    per_endpoint: int = 4) -> list[Outgoing]:
        """Take the deliveries that are due, leased to this caller (no other process takes them
        before the lease is over), each with its signed body: at most ``per_endpoint`` in flight
        for one endpoint counting ``busy`` (the caller's own in flight), so that an endpoint that
        is slow or down never holds up the others."""
        async def body(uow: UnitOfWork) -> list[Outgoing]:
            now = self._now()
            claimed: list[Outgoing] = []
            for endpoint in await uow.webhooks.all():
                room = min(per_endpoint - (busy or {}).get(endpoint.id, 0), limit - len(claimed))
                if not endpoint.is_active or room <= 0:
                    continue
                for delivery in await uow.deliveries.due(now, room, endpoint.id):
                    event = await uow.events.get(delivery.event_id)
                    if event is None:
                        await uow.deliveries.save(attrs.evolve(
                            delivery, status=DeliveryStatus.FAILED, next_attempt_at=None,
                            updated_at=now, error="event missing"))
                        continue
                    await uow.deliveries.save(attrs.evolve(delivery, next_attempt_at=now + LEASE))
                    claimed.append(self._outgoing(delivery, endpoint, event, now))
            return claimed

        return await self._units.write(body)

    async def record(self, delivery: Delivery, *, http_status: int | None, duration_ms: int,
                     error: str = "") -> Delivery:
        """Write down one attempt's outcome (``delivery`` as claimed)."""
        done = delivery.outcome(self._now(), http_status=http_status, duration_ms=duration_ms,
                                error=error[:500])

        async def body(uow: UnitOfWork) -> Delivery:
            # An endpoint deleted while this was being sent took its deliveries with it: the
            # outcome is not written back (a pending row would be left that nobody sends).
            if await uow.webhooks.get(done.endpoint_id) is not None:
                await uow.deliveries.save(done)
            return done

        return await self._units.write(body)

    async def oldest_undelivered(self) -> datetime | None:
        return await self._units.read(lambda uow: uow.reports.oldest_undelivered())

    # --- steps ------------------------------------------------------------------------------

    def _new_secret(self) -> str:
        return SECRET_PREFIX + self._deps.ids.random_hex(48)

    async def _url(self, raw: object) -> str:
        url = check_text(raw, "url", max_length=MAX_URL).strip() if isinstance(raw, str) else None
        if not url:
            raise ValidationError("url must be an http or https URL", field="url")
        await self._deps.webhook_urls.check(url, "url")
        return url

    async def _endpoint(self, uow: UnitOfWork, endpoint_id: UUID) -> WebhookEndpoint:
        found = await uow.webhooks.get(endpoint_id)
        if found is None:
            raise WebhookNotFound()
        return found

    def _delivery(self, endpoint: WebhookEndpoint, event: Event, now: datetime) -> Delivery:
        return Delivery(self._deps.ids.new_id(), endpoint.id, event.id, event.type, now, now,
                        updated_at=now)

    def _outgoing(self, delivery: Delivery, endpoint: WebhookEndpoint, event: Event,
                  now: datetime) -> Outgoing:
        body = event.body()
        headers = {"Content-Type": "application/json", "Hamyon-Event-Id": event.id,
                   "Hamyon-Event-Type": event.type,
                   "Hamyon-Signature": signature(endpoint.signing_secrets(now), int(now.timestamp()), body)}
        return Outgoing(delivery, endpoint.url, body, headers)


def _description(raw: object) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError("description must be a string", field="description")
    return check_text(raw, "description", max_length=MAX_DESCRIPTION, multiline=True).strip()

