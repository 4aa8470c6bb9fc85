"""When medogram refuses, is down, hangs or answers nonsense: a clear 502, the payment failed (on
create) or left as it was (on verify), the reason in the payment log, and never the API key."""

from __future__ import annotations

from uuid import UUID

from domain.paging import PageRequest
from tests.gateways.medogram.conftest import CM
from tests.gateways.medogram.fake_bitpay import API_KEY
from tests.http.loopback import closed_port_url


async def _failed_payment_logs(world) -> list:
    page = await world.hamyon.admin.search_payments(PageRequest())
    assert [payment.status.value for payment in page.items] == ["failed"]
    return await world.hamyon.admin.payment_logs(page.items[0].id)


async def test_create_refused_by_medogram_is_502_and_the_payment_failed(medogram):
    async with medogram() as world:
        world.fake.send_answer = "-2"
        reply = await world.server.post(f"{CM}/create/", {"amount": 100000})
        logs = await _failed_payment_logs(world)
    assert reply.status == 502 and reply.json["code"] == "gateway_error"
    assert reply.json["gateway_code"] == -2 and "bad amount" in reply.json["error"]
    assert any(log.type == "error" and "bad amount" in log.message for log in logs)


async def test_create_against_a_5xx_gateway_is_retried_then_502(medogram):
    async with medogram() as world:
        world.fake.failing = 503
        reply = await world.server.post(f"{CM}/create/", {"amount": 100000})
        logs = await _failed_payment_logs(world)
    assert reply.status == 502 and "did not answer" in reply.json["error"]
    assert len(world.fake.requests_to("gateway-send")) == 3  # the policy's three tries
    assert any(log.type == "error" and "HTTP 503" in log.payload for log in logs)


async def test_create_against_a_closed_port_is_retried_then_502(medogram):
    async with medogram(gateway_url=closed_port_url()) as world:
        reply = await world.server.post(f"{CM}/create/", {"amount": 100000})
        await _failed_payment_logs(world)
    assert reply.status == 502 and reply.json["reason"].startswith("connection failed")


async def test_a_4xx_answer_is_never_retried(medogram):
    async with medogram() as world:
        world.fake.failing = 400
        reply = await world.server.post(f"{CM}/create/", {"amount": 100000})
    assert reply.status == 502
    assert len(world.fake.requests_to("gateway-send")) == 1


async def test_a_hanging_gateway_times_out_into_502(medogram):
    async with medogram(timeout=0.2) as world:
        world.fake.hang = True
        reply = await world.server.post(f"{CM}/create/", {"amount": 100000})
    assert reply.status == 502 and reply.json["reason"].startswith("no answer")


async def test_verification_while_medogram_is_down_leaves_the_payment_processing(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        world.fake.failing = 502
        reply = await world.callback("123")
        logs = await world.hamyon.admin.payment_logs(UUID(created["transaction_id"]))
        assert reply.status == 502
        assert len(world.fake.requests_to("gateway-result-second")) == 3
        assert await world.status(created["transaction_id"]) == "processing"
        assert await world.balance() == 0
        assert [log.type for log in logs][-1] == "error"
        world.fake.failing = None
        retried = await world.callback("123")  # the payer's browser tries again later
        assert retried.status == 200 and await world.balance() == 100000


async def test_the_api_key_is_in_no_payment_log(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        world.fake.failing = 503
        await world.callback("123")
        world.fake.failing = None
        await world.callback("123")
        logs = await world.hamyon.admin.payment_logs(UUID(created["transaction_id"]))
    assert logs and all(API_KEY not in log.payload and API_KEY not in log.message for log in logs)
