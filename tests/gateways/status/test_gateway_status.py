"""``GET /api/payments/gateways/status/`` really probes each active gateway (2 s timeout),
reports ``response_time`` in seconds, and reuses a probe for a few seconds so the public endpoint
cannot be used to flood a gateway."""

from __future__ import annotations

import asyncio

from adapters.gateways.outgoing import NO_RETRY, GatewayHttp
from adapters.gateways.probes import ProbeCache, probe_url
from domain.gateways import Probe
from tests.gateways.medogram.conftest import medogram  # noqa: F401 - the fixture
from tests.gateways.medogram.fake_bitpay import start_fake_bitpay
from tests.http.loopback import close, closed_port_url

STATUS = "/api/payments/gateways/status/"


def _entry(reply, name: str) -> dict:
    return next(item for item in reply.json["gateways"] if item["name"] == name)


async def test_an_answering_gateway_is_available_with_its_response_time(medogram):  # noqa: F811
    async with medogram() as world:
        reply = await world.server.get(STATUS, user=None)
    entry = _entry(reply, "medogram")
    assert reply.status == 200 and reply.json["success"] is True
    assert (entry["available"], entry["message"], entry["gateway"]) == (True, "Service available",
                                                                        "Medogram")
    assert 0 <= entry["response_time"] < 2
    assert [(seen.method, seen.path) for seen in world.fake.seen] == [("GET", "/")]


async def test_a_second_look_within_the_window_does_not_probe_again(medogram):  # noqa: F811
    async with medogram() as world:
        answers = [await world.server.get(STATUS, user=None) for _ in range(3)]
    assert all(_entry(reply, "medogram")["available"] for reply in answers)
    assert len(world.fake.seen) == 1


async def test_once_the_window_has_passed_the_gateway_is_probed_again(medogram):  # noqa: F811
    async with medogram(probe_ttl=0) as world:
        for _ in range(2):
            await world.server.get(STATUS, user=None)
    assert len(world.fake.seen) == 2


async def test_a_gateway_that_does_not_answer_is_reported_unavailable(medogram):  # noqa: F811
    async with medogram(gateway_url=closed_port_url()) as world:
        reply = await world.server.get(STATUS, user=None)
    entry = _entry(reply, "medogram")
    assert entry["available"] is False and entry["message"].startswith("Service unavailable")


async def test_a_hanging_gateway_is_unavailable_after_the_probe_timeout(io_loop):
    fake, server = start_fake_bitpay()
    fake.hang = True
    try:
        probe = await probe_url(GatewayHttp("medogram", retry=NO_RETRY), f"{fake.url}/", timeout=0.2)
    finally:
        fake.released.set()
        await close(server)
    assert probe.available is False and "no answer" in probe.message


async def test_callers_arriving_during_a_probe_share_it(io_loop):
    calls = []
    gate = asyncio.Event()

    async def slow_probe() -> Probe:
        calls.append(1)
        await gate.wait()
        return Probe(True, "Service available", 0.1)

    now = [100.0]
    cache = ProbeCache(slow_probe, ttl=10, clock=lambda: now[0])
    waiting = [asyncio.ensure_future(cache()) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*waiting)
    assert len(calls) == 1 and all(result.available for result in results)
    now[0] += 9.9
    await cache()
    now[0] += 0.2  # past the window
    await cache()
    assert len(calls) == 2
