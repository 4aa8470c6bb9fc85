"""Delivering events to the platform's webhook endpoints (SPEC §12), run as a background job.

Each run queues the new events for their endpoints, takes the deliveries that are due (at most a
few in flight per endpoint, so that one slow or unreachable endpoint never holds up the others)
and sends each in a task of its own: a run never waits for an endpoint. Each outcome is written
down (a 2xx within 10 s is delivered; anything else is retried with backoff for three days),
counted in ``hamyon_webhook_deliveries_total{outcome}``, and logged when it failed.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from typing import Any, Protocol
from uuid import UUID

import structlog

from application.hamyon import Hamyon
from application.webhooks import Outgoing

log = structlog.get_logger("hamyon.webhooks")
IN_FLIGHT = 64  # deliveries this process sends at once
PER_ENDPOINT = 8  # of them, to one endpoint


class Sender(Protocol):
    async def send(self, url: str, body: bytes,
                   headers: Mapping[str, str]) -> tuple[int | None, int, str]: ...

    def close(self) -> None: ...


class Deliverer:
    def __init__(self, hamyon: Hamyon, sender: Sender, metrics: Any = None, *,
                 in_flight: int = IN_FLIGHT, per_endpoint: int = PER_ENDPOINT) -> None:
        self._hamyon = hamyon
        self._sender = sender
        self._metrics = metrics
        self._limit = in_flight
        self._per_endpoint = per_endpoint
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: Counter[UUID] = Counter()

    async def run(self, budget: float = 0.4) -> int:
        """One round, of about ``budget`` seconds: queue new events and keep the due deliveries
        going (a finished one makes room for the next) until nothing is due or the time is up;
        what is still in flight then goes on in the background. Returns how many started."""
        webhooks, loop = self._hamyon.webhooks, asyncio.get_running_loop()
        until, started = loop.time() + budget, 0
        while True:
            await webhooks.dispatch()
            room = self._limit - len(self._tasks)
            claimed = await webhooks.claim(room, busy=self._busy, per_endpoint=self._per_endpoint) \
                if room > 0 else []
            for outgoing in claimed:
                self._start(outgoing)
            started += len(claimed)
            left = until - loop.time()
            if left <= 0 or not self._tasks:
                break
            await asyncio.wait(list(self._tasks), timeout=left, return_when=asyncio.FIRST_COMPLETED)
        if self._metrics is not None:
            oldest = await webhooks.oldest_undelivered()
            age = (self._hamyon.clock.now() - oldest).total_seconds() if oldest is not None else 0.0
            self._metrics.webhook_backlog(max(0.0, age))
        return started

    async def drain(self) -> None:
        """Wait for the deliveries in flight (tests; shutdown waits through ``close``)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Stop: what is in flight is abandoned; its lease runs out and it is sent again later."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        self._sender.close()

    def _start(self, outgoing: Outgoing) -> None:
        endpoint = outgoing.delivery.endpoint_id
        self._busy[endpoint] += 1
        task = asyncio.create_task(self._deliver(outgoing), name=f"webhook:{outgoing.delivery.id}")
        self._tasks.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._tasks.discard(finished)
            self._busy[endpoint] -= 1
            if self._busy[endpoint] <= 0:
                del self._busy[endpoint]

        task.add_done_callback(done)

    async def _deliver(self, outgoing: Outgoing) -> None:
        status, duration_ms, error = await self._sender.send(outgoing.url, outgoing.body, outgoing.headers)
        try:
            saved = await self._hamyon.webhooks.record(outgoing.delivery, http_status=status,
                                                       duration_ms=duration_ms, error=error)
        except Exception:
            log.exception("webhook_record_failed", delivery_id=str(outgoing.delivery.id))
            return
        outcome = saved.status.value if saved.status.value != "pending" else "retrying"
        if self._metrics is not None:
            self._metrics.webhook_delivery(outcome)
        if outcome != "delivered":
            log.warning("webhook_delivery_failed", outcome=outcome, event_id=saved.event_id,
                        endpoint_id=str(saved.endpoint_id), attempt=saved.attempt,
                        http_status=status, error=saved.error,
                        next_attempt_at=saved.next_attempt_at.isoformat() if saved.next_attempt_at else None)
