"""UzCard and Humo: Click's pay link with the card network preselected, confirmed by Click's own
webhooks, each rail with its own gateway row and clearing account; all three only with Click's
credentials."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

from adapters.gateways.click import ClickShopApi, click_gateways
from adapters.memory import MemoryStorage
from application.hamyon import Hamyon
from application.payments import CreatePayment
from domain.ledger import Account
from domain.money import Currency
from entrypoints.bootstrap import bootstrap
from entrypoints.runtime import gateway_adapters, inbound_protocols
from entrypoints.settings import Settings
from tests.gateways.click.conftest import ENV, MERCHANT_ID, SERVICE_ID, uzs


@asynccontextmanager
async def facade() -> AsyncIterator[Hamyon]:
    hamyon = await bootstrap("memory://", gateways=click_gateways(ENV),
                             active_gateways={"click", "uzcard", "humo"})
    try:
        yield hamyon
    finally:
        await hamyon.close()


def link(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()}


async def test_pay_links_name_the_total_and_the_order_and_card_rails_preselect_their_network(click):
    async with click() as w:
        links = {}
        for gateway in ("click", "uzcard", "humo"):
            order = await w.topup(amount="10000", gateway=gateway)
            links[gateway] = (order, link(w.hamyon.payments.checkout_url(order)))
        for gateway, (order, (base, query)) in links.items():
            assert base == "https://my.click.uz/services/pay"
            expected = {"service_id": SERVICE_ID, "merchant_id": MERCHANT_ID, "amount": "10250.00",
                        "transaction_param": str(order.id)}
            if gateway != "click":
                expected["card_type"] = gateway
            assert query == expected


async def test_the_return_url_travels_url_encoded():
    adapter = click_gateways(ENV)[1]
    async with facade() as hamyon:
        created = await hamyon.payments.create(CreatePayment("alice", "uzcard", 20000,
                                                            return_url="https://shop.example/back?x=1&y=2"))
    url = adapter.payment_url(created.payment)
    assert "return_url=https%3A%2F%2Fshop.example%2Fback%3Fx%3D1%26y%3D2" in url
    assert link(url)[1]["return_url"] == "https://shop.example/back?x=1&y=2"


async def test_a_uzcard_payment_is_confirmed_through_clicks_webhooks_into_uzcards_clearing(click):
    storage = MemoryStorage()
    async with click(storage=storage) as w:
        order = await w.topup(amount="40000", gateway="uzcard")  # total 41000.00
        assert (await w.paid(order, "3001"))["error"] == 0
        assert await w.balance() == uzs("40000")
        assert await w.status(order) == "completed"
        assert (await w.hamyon.settlement.attempt("uzcard", "3001")).status.value == "completed"
        assert await w.hamyon.settlement.attempt("click", "3001") is None
        async with storage.unit_of_work(write=False) as uow:
            sums = await uow.reports.entry_sums()
        assert sums[Account.clearing("uzcard", Currency.UZS)] == -uzs("41000").minor
        assert Account.clearing("click", Currency.UZS) not in sums
    await storage.close()


def test_click_uzcard_and_humo_are_active_only_with_clicks_credentials():
    configured = Settings(sandbox=False, gateway_env=ENV)
    bare = Settings(sandbox=False, gateway_env={k: v for k, v in ENV.items() if "SECRET" not in k})
    assert [adapter.name for adapter in gateway_adapters(configured)
            if adapter.name in ("click", "uzcard", "humo")] == ["click", "uzcard", "humo"]
    assert not [adapter for adapter in gateway_adapters(bare) if adapter.name in ("click", "uzcard", "humo")]
    assert click_gateways({}) == [] and ClickShopApi.from_env(object(), bare.gateway_env) is None


async def test_the_composition_root_builds_the_click_webhooks_from_the_environment():
    async with facade() as hamyon:
        assert isinstance(inbound_protocols(Settings(sandbox=False, gateway_env=ENV), hamyon)["click"],
                          ClickShopApi)
        assert "click" not in inbound_protocols(Settings(sandbox=False, gateway_env={}), hamyon)


async def test_with_a_service_url_the_payer_returns_through_hamyon_which_adds_id_and_status():
    adapter = click_gateways(ENV, return_base="https://pay.hamyon.example/")[1]
    async with facade() as hamyon:
        created = await hamyon.payments.create(CreatePayment("alice", "uzcard", 20000,
                                                            callback_url="https://shop.example/back"))
        bare = await hamyon.payments.create(CreatePayment("alice", "uzcard", 20000))
    assert link(adapter.payment_url(created.payment))[1]["return_url"] == \
        f"https://pay.hamyon.example/api/payments/{created.payment.id}/return/"
    assert "return_url" not in link(adapter.payment_url(bare.payment))[1]
