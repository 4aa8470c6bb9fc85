"""The outgoing side: the checkout link, the probe, and the composition from the environment."""

from __future__ import annotations

import base64
from decimal import Decimal
from pathlib import Path

import attrs
import tornado.web

from adapters.gateways.payme import SANDBOX_CHECKOUT_URL, PaymeGateway, PaymeMerchantApi, payme_gateway
from application.payments import CreatePayment
from entrypoints.runtime import build_hamyon, gateway_adapters, inbound_protocols
from entrypoints.settings import load_settings
from tests.gateways.payme.conftest import MERCHANT
from tests.http.loopback import closed_port_url, serving


def decoded(url: str, host: str) -> str:
    assert url.startswith(host)
    return base64.b64decode(url.removeprefix(host)).decode()


async def test_checkout_link_carries_merchant_order_total_in_tiyin_return_url_and_language(payme):
    async with payme() as world:
        created = await world.hamyon.payments.create(CreatePayment(
            "alice", "payme", Decimal("10000"), return_url="https://app.example/back?x=1;y=2"))
    payment = created.payment
    assert decoded(created.payment_url, "https://checkout.paycom.uz/") == (
        f"m={MERCHANT};ac.order_id={payment.id};a=1025000;c=https://app.example/back?x=1%3By=2;l=uz")
    assert payment.status.value == "pending"  # Payme's CreateTransaction opens the attempt


async def test_sandbox_link_without_return_url_in_russian(payme):
    async with payme() as world:
        payment = await world.order("20000")
    gateway = PaymeGateway(MERCHANT, checkout_url=SANDBOX_CHECKOUT_URL.rstrip("/"), language="ru")
    assert decoded(gateway.payment_url(payment), SANDBOX_CHECKOUT_URL) == (
        f"m={MERCHANT};ac.order_id={payment.id};a=2050000;l=ru")


class Status(tornado.web.RequestHandler):
    """Answers the status its path names: ``/503/`` → 503."""

    def get(self, code: str) -> None:
        self.set_status(int(code or 200))


async def test_probe_reports_availability_and_never_raises(io_loop):
    async with serving(tornado.web.Application([(r"/(\d*)/?", Status)])) as url:
        up = await PaymeGateway(MERCHANT, checkout_url=f"{url}/").probe()
        broken = await PaymeGateway(MERCHANT, checkout_url=f"{url}/503").probe()
        down = await PaymeGateway(MERCHANT, checkout_url=f"{closed_port_url()}/", probe_timeout=1).probe()
    assert up.available and up.response_time >= 0
    assert not broken.available and "503" in broken.message
    assert not down.available and down.response_time < 5


SEEN: list[str] = []


class Counted(tornado.web.RequestHandler):
    def get(self) -> None:
        SEEN.append(self.request.path)


async def test_probe_is_reused_within_its_window_so_status_requests_never_flood_payme(io_loop):
    SEEN.clear()
    async with serving(tornado.web.Application([(r"/.*", Counted)])) as url:
        cached = PaymeGateway(MERCHANT, checkout_url=f"{url}/")
        reused = [await cached.probe() for _ in range(3)]
        fresh = PaymeGateway(MERCHANT, checkout_url=f"{url}/", probe_ttl=0)
        again = [await fresh.probe() for _ in range(2)]
    assert all(probe.available for probe in reused + again)
    assert len(SEEN) == 1 + 2


def test_payme_is_configured_only_with_merchant_id_and_key():
    assert payme_gateway({}) is None
    assert payme_gateway({"HAMYON_PAYME_MERCHANT_ID": MERCHANT}) is None
    assert payme_gateway({"HAMYON_PAYME_KEY": "k"}) is None
    assert payme_gateway({"HAMYON_PAYME_MERCHANT_ID": MERCHANT, "HAMYON_PAYME_KEY": "k"}).name == "payme"


async def test_the_environment_turns_payme_on(io_loop, tmp_path: Path):
    env = {"HAMYON_DATABASE_URL": "memory://", "HAMYON_PAYME_MERCHANT_ID": MERCHANT,
           "HAMYON_PAYME_KEY": "k", "HAMYON_PAYME_TEST_KEY": "t",
           "HAMYON_PAYME_CHECKOUT_URL": SANDBOX_CHECKOUT_URL}
    settings = load_settings(env, dotenv=tmp_path / "none.env")
    bare = load_settings({"HAMYON_DATABASE_URL": "memory://"}, dotenv=tmp_path / "none.env")
    hamyon = await build_hamyon(settings)
    try:
        protocols = inbound_protocols(settings, hamyon)
        active = {config.name for config in await hamyon.gateways.active()}
        created = await hamyon.payments.create(CreatePayment("alice", "payme", Decimal("10000")))
    finally:
        await hamyon.close()
    assert "payme" in {adapter.name for adapter in gateway_adapters(settings)}
    assert "payme" not in {adapter.name for adapter in gateway_adapters(bare)}
    assert isinstance(protocols["payme"], PaymeMerchantApi) and "payme" in active
    assert created.payment_url.startswith(SANDBOX_CHECKOUT_URL)


async def test_with_a_service_url_the_payer_returns_through_hamyon(payme):
    async with payme() as world:
        payment = await world.order("20000")
    with_url = attrs.evolve(payment, return_url="https://app.example/back")
    gateway = PaymeGateway(MERCHANT, return_base="https://pay.hamyon.example")
    assert decoded(gateway.payment_url(with_url), "https://checkout.paycom.uz/") == (
        f"m={MERCHANT};ac.order_id={payment.id};a=2050000;"
        f"c=https://pay.hamyon.example/api/payments/{payment.id}/return/;l=uz")
