"""Events reach the platform's endpoints: signed, retried with backoff, given up after three
days, each endpoint on its own (SPEC §12). A real receiver on loopback; the storage is memory
and SQLite, with a manual clock."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import pytest
from attrs import define

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from adapters.webhooks.sender import TornadoSender
from application.billing import ChargeRequest
from application.hamyon import Hamyon
from application.payments import CreatePayment
from domain.errors import InsufficientFunds
from domain.events import Delivery, DeliveryStatus, WebhookEndpoint
from domain.paging import PageRequest
from domain.payments import Payment
from entrypoints.bootstrap import bootstrap
from entrypoints.http.metrics import Metrics
from entrypoints.webhook_delivery import Deliverer
from tests.ops.test_metrics import sample
from tests.webhooks.receiver import Receiver, receiving, verify

ADMIN = "admin-1"


@define
class Platform:
    hamyon: Hamyon
    clock: ManualClock
    receiver: Receiver
    deliverer: Deliverer

    async def deliver(self) -> None:
        await self.deliverer.run()
        await self.deliverer.drain()

    async def subscribe(self, path: str, *events: str) -> WebhookEndpoint:
        """An admin subscribes the receiver's ``path`` to the events."""
        return await self.hamyon.webhooks.create(self.receiver.url(path), list(events), actor=ADMIN)

    async def deliveries(self, endpoint: WebhookEndpoint) -> tuple[Delivery, ...]:
        return (await self.hamyon.webhooks.deliveries(endpoint.id, PageRequest(1, 20))).items

    async def topup(self, user_id: str = "42", amount: str = "20000") -> Payment:
        """A top-up created, not paid: it emits ``payment.created``."""
        return (await self.hamyon.payments.create(CreatePayment(user_id, "sandbox", Decimal(amount)))).payment

    async def paid_topup(self, user_id: str, amount: str = "200000") -> None:
        payment = await self.topup(user_id, amount)
        await self.hamyon.settlement.complete_attempt("sandbox", payment.external_id)

    def now(self) -> float:
        return self.clock.now().timestamp()


@pytest.fixture(params=["memory", "sqlite"])
def platform(request):
    @asynccontextmanager
    async def build() -> AsyncIterator[Platform]:
        url = "memory://" if request.param == "memory" else f"sqlite:///{tempfile.mkdtemp()}/h.db"
        clock = ManualClock()
        hamyon = await bootstrap(url, clock=clock, gateways=[SandboxGateway()],
                                 active_gateways={"sandbox"})
        async with receiving() as receiver:
            deliverer = Deliverer(hamyon, TornadoSender(timeout=2))
            try:
                yield Platform(hamyon, clock, receiver, deliverer)
            finally:
                await deliverer.close()
                await hamyon.close()

    return build


async def test_a_completed_top_up_reaches_a_subscribed_endpoint_signed_with_its_secret(platform):
    async with platform() as p:
        endpoint = await p.subscribe("/hooks", "payment.completed")
        await p.paid_topup("42")
        await p.deliver()
        [got] = p.receiver.received
        body = json.loads(got.body)
        assert got.headers["Hamyon-Event-Type"] == body["type"] == "payment.completed"
        assert got.headers["Hamyon-Event-Id"] == body["id"] and body["id"].startswith("evt_")
        assert body["user_id"] == "42" and body["data"]["status"] == "completed"
        assert body["data"]["amount"] == 200000 and body["data"]["currency"] == "UZS"
        assert verify(endpoint.secret, got.headers["Hamyon-Signature"], got.body, now=p.now())
        assert not verify("whsec_other", got.headers["Hamyon-Signature"], got.body, now=p.now())
        [delivery] = await p.deliveries(endpoint)
        assert (delivery.status, delivery.attempt, delivery.http_status) == (DeliveryStatus.DELIVERED, 1, 200)


async def test_an_endpoint_gets_only_what_it_subscribed_to_and_star_gets_everything(platform):
    async with platform() as p:
        await p.subscribe("/charges", "charge.succeeded")
        await p.subscribe("/all", "*")
        await p.paid_topup("42")
        await p.hamyon.billing.charge(ChargeRequest("42", "consultation", 1))
        await p.deliver()
        assert [json.loads(r.body)["type"] for r in p.receiver.at("/charges")] == ["charge.succeeded"]
        assert sorted(json.loads(r.body)["type"] for r in p.receiver.at("/all")) == [
            "charge.succeeded", "fiscal.receipt_ready", "payment.completed", "payment.created"]


async def test_a_refused_charge_emits_nothing(platform):
    async with platform() as p:
        await p.subscribe("/hooks", "*")
        with pytest.raises(InsufficientFunds):
            await p.hamyon.billing.charge(ChargeRequest("broke", "consultation", 1))
        await p.deliver()
        assert p.receiver.received == []
        assert (await p.hamyon.webhooks.events(PageRequest(1, 20))).items == ()


async def test_a_failing_endpoint_is_retried_with_backoff_and_given_up_after_three_days(platform):
    async with platform() as p:
        p.receiver.answers["/down"] = (500, 0.0)
        endpoint = await p.subscribe("/down", "payment.created")
        await p.topup()
        await p.deliver()
        assert len(p.receiver.at("/down")) == 1
        await p.deliver()  # not due yet: nothing sent again
        assert len(p.receiver.at("/down")) == 1
        p.clock.advance(seconds=31)
        await p.deliver()
        assert len(p.receiver.at("/down")) == 2
        [delivery] = await p.deliveries(endpoint)
        assert delivery.status is DeliveryStatus.PENDING and delivery.attempt == 2
        assert (delivery.next_attempt_at - p.clock.now()).total_seconds() == 120
        for _ in range(40):  # walk three days of retries
            p.clock.advance(hours=2)
            await p.deliver()
        [delivery] = await p.deliveries(endpoint)
        assert delivery.status is DeliveryStatus.FAILED and delivery.next_attempt_at is None
        sent = len(p.receiver.at("/down"))
        p.clock.advance(days=1)
        await p.deliver()
        assert len(p.receiver.at("/down")) == sent  # failed is final


async def test_a_retried_delivery_succeeds_once_the_endpoint_answers_2xx(platform):
    async with platform() as p:
        p.receiver.answers["/flaky"] = (503, 0.0)
        endpoint = await p.subscribe("/flaky", "payment.created")
        await p.topup()
        await p.deliver()
        p.receiver.answers["/flaky"] = (204, 0.0)
        p.clock.advance(seconds=31)
        await p.deliver()
        first, second = p.receiver.at("/flaky")
        assert first.body == second.body
        assert first.headers["Hamyon-Event-Id"] == second.headers["Hamyon-Event-Id"]
        [delivery] = await p.deliveries(endpoint)
        assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempt == 2


async def test_a_slow_endpoint_does_not_hold_up_another(platform):
    async with platform() as p:
        p.receiver.answers["/slow"] = (200, 1.5)
        await p.subscribe("/slow", "payment.created")
        await p.subscribe("/fast", "payment.created")
        await p.topup()
        await p.deliverer.run()
        for _ in range(50):
            if p.receiver.at("/fast"):
                break
            await asyncio.sleep(0.02)
        assert len(p.receiver.at("/fast")) == 1 and p.receiver.at("/slow") == []
        await p.deliverer.drain()
        assert len(p.receiver.at("/slow")) == 1


async def test_a_rotated_secret_signs_beside_the_new_one_for_24_hours_then_alone(platform):
    async with platform() as p:
        endpoint = await p.subscribe("/hooks", "payment.created")
        rotated = await p.hamyon.webhooks.rotate_secret(endpoint.id, actor=ADMIN)
        assert rotated.secret != endpoint.secret and rotated.secret.startswith("whsec_")
        await p.topup()
        await p.deliver()
        [first] = p.receiver.received
        header = first.headers["Hamyon-Signature"]
        assert header.count("v1=") == 2
        assert verify(endpoint.secret, header, first.body, now=p.now())
        assert verify(rotated.secret, header, first.body, now=p.now())
        p.clock.advance(hours=24, seconds=1)
        await p.topup()
        await p.deliver()
        second = p.receiver.received[-1]
        header = second.headers["Hamyon-Signature"]
        assert header.count("v1=") == 1
        assert verify(rotated.secret, header, second.body, now=p.now())
        assert not verify(endpoint.secret, header, second.body, now=p.now())


async def test_ping_goes_to_its_endpoint_only_and_resend_sends_an_event_again(platform):
    async with platform() as p:
        pinged = await p.subscribe("/pinged", "*")
        await p.subscribe("/other", "*")
        event = await p.hamyon.webhooks.ping(pinged.id, actor=ADMIN)
        await p.deliver()
        assert [json.loads(r.body)["type"] for r in p.receiver.at("/pinged")] == ["ping"]
        assert p.receiver.at("/other") == []
        await p.paid_topup("42")
        await p.deliver()
        [completed] = (await p.hamyon.webhooks.events(PageRequest(1, 20), type="payment.completed")).items
        queued = await p.hamyon.webhooks.resend(completed.id, actor=ADMIN)
        assert len(queued) == 2
        await p.deliver()
        again = [r for r in p.receiver.at("/other") if r.headers["Hamyon-Event-Id"] == completed.id]
        assert len(again) == 2 and again[0].body == again[1].body
        assert (await p.hamyon.webhooks.event(event.id)).type == "ping"


async def test_a_resend_while_the_event_is_still_being_sent_queues_no_second_delivery(platform):
    # SPEC §12: one event never reaches one endpoint twice at the same time.
    async with platform() as p:
        p.receiver.answers["/slow"] = (200, 1.0)
        await p.subscribe("/slow", "payment.created")
        await p.topup()
        await p.deliverer.run(budget=0.05)  # the first delivery is in flight (a slow endpoint)
        [created] = (await p.hamyon.webhooks.events(PageRequest(1, 20), type="payment.created")).items
        assert await p.hamyon.webhooks.resend(created.id, actor=ADMIN) == []
        await p.deliverer.run(budget=0.05)
        await p.deliverer.drain()
        assert len(p.receiver.at("/slow")) == 1 and p.receiver.most_at_once == 1
        assert len(await p.hamyon.webhooks.resend(created.id, actor=ADMIN)) == 1  # delivered: again
        await p.deliver()
        assert len(p.receiver.at("/slow")) == 2 and p.receiver.most_at_once == 1


async def test_a_second_rotation_within_a_day_keeps_the_first_old_secret_for_its_24_hours(platform):
    # SPEC §12: the old secret keeps signing beside the new one for 24 hours, one v1= each.
    async with platform() as p:
        original = await p.subscribe("/hooks", "payment.created")
        first = await p.hamyon.webhooks.rotate_secret(original.id, actor=ADMIN)
        p.clock.advance(hours=1)
        second = await p.hamyon.webhooks.rotate_secret(original.id, actor=ADMIN)  # a double click
        await p.topup()
        await p.deliver()
        [soon] = p.receiver.received
        for secret in (original.secret, first.secret, second.secret):
            assert verify(secret, soon.headers["Hamyon-Signature"], soon.body, now=p.now())
        p.clock.advance(hours=23, minutes=30)  # the original's day is over; the first's is not
        await p.topup()
        await p.deliver()
        later = p.receiver.received[1]
        signature = later.headers["Hamyon-Signature"]
        assert signature.count("v1=") == 2 and not verify(original.secret, signature, later.body, now=p.now())
        assert verify(first.secret, signature, later.body, now=p.now())


async def test_an_endpoint_deleted_while_a_delivery_is_in_flight_leaves_nothing_waiting(platform):
    async with platform() as p:
        p.receiver.answers["/slow"] = (500, 0.5)  # its outcome would be a retry, still pending
        endpoint = await p.subscribe("/slow", "payment.created")
        await p.topup()
        await p.deliverer.run(budget=0.05)
        await p.hamyon.webhooks.delete(endpoint.id, actor=ADMIN)
        await p.deliverer.drain()
        assert len(p.receiver.at("/slow")) == 1
        assert await p.hamyon.webhooks.oldest_undelivered() is None


async def test_an_inactive_endpoint_receives_nothing(platform):
    async with platform() as p:
        endpoint = await p.subscribe("/hooks", "*")
        await p.hamyon.webhooks.update(endpoint.id, {"is_active": False}, actor=ADMIN)
        await p.paid_topup("42")
        await p.deliver()
        assert p.receiver.received == []


async def test_deliveries_are_counted_by_outcome_and_the_backlog_is_a_gauge(platform):
    async with platform() as p:
        metrics = Metrics()
        counted = Deliverer(p.hamyon, TornadoSender(timeout=2), metrics)
        p.receiver.answers["/down"] = (500, 0.0)
        await p.subscribe("/up", "payment.created")
        await p.subscribe("/down", "payment.created")
        await p.topup()
        p.clock.advance(seconds=5)
        await counted.run()
        await counted.drain()
        await counted.run()  # the failed one waits for its retry: 5 s old, still undelivered
        await counted.close()
        text = metrics.exposition()[0].decode()
    assert sample(text, "hamyon_webhook_deliveries_total", outcome="delivered") == 1
    assert sample(text, "hamyon_webhook_deliveries_total", outcome="retrying") == 1
    assert sample(text, "hamyon_webhook_oldest_undelivered_seconds") == 5
