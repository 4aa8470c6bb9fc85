"""The adapter's outgoing calls against a fake Click on loopback: status_by_mti with its Auth
header, retries on 5xx and connection errors only, and the availability probe."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import tornado.web
from attrs import define, field

from adapters.gateways.click import ClickCredentials, ClickGateway
from adapters.gateways.outgoing import OutgoingRetry
from domain.errors import GatewayError
from domain.payments import Payment
from tests.gateways.click.conftest import CREDENTIALS, MERCHANT_USER_ID, SECRET, SERVICE_ID, uzs
from tests.http.loopback import closed_port_url, serving

NOW = 1_768_460_400  # the Auth header's Unix time, fixed
FAST = OutgoingRetry(attempts=3, first_wait=0, max_wait=0)


@define
class FakeClick:
    """Answers each status request with the next of ``answers`` (status, body) and keeps what it got."""

    answers: list[tuple[int, Any]] = field(factory=list)
    requests: list[tuple[str, dict[str, str]]] = field(factory=list)

    def next_answer(self) -> tuple[int, Any]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class StatusHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeClick) -> None:
        self.fake = fake

    def get(self, path: str) -> None:
        self.fake.requests.append((path, dict(self.request.headers)))
        status, body = self.fake.next_answer()
        self.set_status(status)
        self.finish(json.dumps(body) if not isinstance(body, str) else body)


@asynccontextmanager
async def fake_click(*answers: tuple[int, Any]) -> AsyncIterator[tuple[FakeClick, str]]:
    fake = FakeClick(list(answers) or [(404, {})])
    app = tornado.web.Application([(r"/v2/merchant/(.*)", StatusHandler, {"fake": fake})])
    async with serving(app) as url:
        yield fake, f"{url}/v2/merchant"


def gateway(api_url: str, **options: Any) -> ClickGateway:
    return ClickGateway(CREDENTIALS, api_url=api_url, retry=FAST, unix_time=lambda: NOW, **options)


def payment(created_at: datetime = datetime(2026, 1, 15, 7, 0, tzinfo=UTC), ttl: int = 1800) -> Payment:
    return Payment(uuid.uuid4(), "PAY-1-ABCDEF12", "alice", "click", uzs("10000"), uzs("250"), created_at,
                   created_at + timedelta(seconds=ttl))


def paid_answer(order: Payment) -> dict[str, Any]:
    return {"error_code": 0, "error_note": "Success", "payment_id": 1234567, "payment_status": 2,
            "merchant_trans_id": str(order.id)}


async def test_status_by_mti_signs_its_auth_header_and_reads_a_paid_payment(io_loop):
    order = payment()
    async with fake_click((200, paid_answer(order))) as (fake, url):
        verification = await gateway(url).status_by_mti(order)
    path, headers = fake.requests[0]
    assert path == f"payment/status_by_mti/{SERVICE_ID}/{order.id}/2026-01-15"  # Tashkent's day
    digest = hashlib.sha1(f"{NOW}{SECRET}".encode()).hexdigest()
    assert headers["Auth"] == f"{MERCHANT_USER_ID}:{digest}:{NOW}"
    assert re.fullmatch(r"[^:]+:[0-9a-f]{40}:[0-9]{10}", headers["Auth"])
    assert headers["Accept"] == "application/json"
    assert (verification.paid, verification.amount) == (True, uzs("10250"))
    assert verification.order_id == str(order.id)


@pytest.mark.parametrize("answer", [
    {"error_code": 0, "payment_status": 1},  # still processing
    {"error_code": -16, "error_note": "Payment not found"},
    {"error_code": 0, "payment_status": 2, "merchant_trans_id": "someone-else"},
    {"error_code": False, "payment_status": 2},
])
async def test_anything_but_a_finished_payment_of_this_order_is_not_paid(io_loop, answer):
    order = payment()
    async with fake_click((200, {"merchant_trans_id": str(order.id), **answer})) as (_, url):
        click = gateway(url)
        verification = await click.status_by_mti(order)
        assert not verification.paid and verification.amount is None
        assert await click.reconcile(order) is None  # left for a later run or its expiry


async def test_reconcile_hands_a_paid_verification_to_reconciliation(io_loop):
    order = payment()
    async with fake_click((200, paid_answer(order))) as (_, url):
        verification = await gateway(url).reconcile(order)
    assert verification is not None and verification.paid and verification.amount == order.total_amount


async def test_a_payment_that_may_have_crossed_midnight_is_looked_up_on_both_days(io_loop):
    order = payment(created_at=datetime(2026, 1, 15, 18, 50, tzinfo=UTC))  # 23:50 in Tashkent
    async with fake_click((200, {"error_code": -16}), (200, paid_answer(order))) as (fake, url):
        verification = await gateway(url).status_by_mti(order)
    assert [path.rsplit("/", 1)[1] for path, _ in fake.requests] == ["2026-01-15", "2026-01-16"]
    assert verification.paid


async def test_server_errors_are_retried_and_refusals_are_not(io_loop):
    order = payment()
    async with fake_click((503, "down"), (502, "down"), (200, paid_answer(order))) as (fake, url):
        assert (await gateway(url).status_by_mti(order)).paid
        assert len(fake.requests) == 3
    async with fake_click((401, {"error": "bad auth"})) as (fake, url):
        with pytest.raises(GatewayError):
            await gateway(url).status_by_mti(order)
        assert len(fake.requests) == 1
    async with fake_click((500, "down")) as (fake, url):
        with pytest.raises(GatewayError, match="did not answer"):
            await gateway(url).status_by_mti(order)
        assert len(fake.requests) == 3


async def test_without_a_merchant_user_id_the_merchant_api_is_not_asked(io_loop):
    async with fake_click((200, {})) as (fake, url):
        click = ClickGateway(ClickCredentials(SERVICE_ID, "1", SECRET), api_url=url, retry=FAST)
        with pytest.raises(GatewayError, match="MERCHANT_USER_ID"):
            await click.status_by_mti(payment())
    assert fake.requests == []


async def test_probe_reports_a_reachable_click_available(io_loop):
    async with fake_click((404, {})) as (_, url):
        probe = await gateway(url).probe()
    assert probe.available and probe.response_time >= 0


async def test_probe_of_an_unreachable_click_reports_unavailable_quickly_without_raising(io_loop):
    probe = await gateway(f"{closed_port_url()}/v2/merchant", probe_timeout=2.0).probe()
    assert not probe.available and "unavailable" in probe.message.lower()
    assert probe.response_time < 2.0


async def test_click_and_its_card_rails_share_one_cached_probe(io_loop):
    async with fake_click((404, {})) as (fake, url):
        click = gateway(url)
        probes = [await adapter.probe() for adapter in (click, click.rail("uzcard"), click.rail("humo"))]
    assert all(probe.available for probe in probes)
    assert len(fake.requests) == 1
