"""Click (GATEWAYS.md, "Click SHOP-API"), with its card rails UzCard and Humo.

- ``merchant_api``: ``ClickGateway``, the side we call: the pay link (``card_type`` preselects a
  rail), a probe, and the Merchant API's ``status_by_mti`` that reconciliation asks;
- ``shop_api``: ``ClickShopApi(hamyon, ClickCredentials(service_id, merchant_id, secret_key,
  merchant_user_id))``, the side Click calls: ``prepare(form)`` and ``complete(form)``, which
  confirm payments of all three rails;
- ``wire``: the error table, the two steps, the form's formats and the MD5 ``sign_string``.

``CLICK`` is the package's descriptor for the composition root. All three rails are active with
``HAMYON_CLICK_SERVICE_ID``, ``HAMYON_CLICK_MERCHANT_ID`` and ``HAMYON_CLICK_SECRET_KEY``.
"""

from __future__ import annotations

from decimal import Decimal

from adapters.gateways.click.merchant_api import ClickGateway, click_gateways
from adapters.gateways.click.shop_api import ClickShopApi
from adapters.gateways.click.wire import (
    CARD_RAILS,
    COMPLETE,
    NOTES,
    PREPARE,
    STEPS,
    ClickCredentials,
    ClickError,
    Step,
    answer,
    attempt_number,
    sign_string,
)
from adapters.gateways.package import GatewayJob, GatewayPackage, GatewaySeed, GatewaySettings
from application.hamyon import Hamyon
from domain.money import Currency
from ports.gateways import PaymentGateway

_UZS_CARD = (Currency.UZS, Decimal(1_000), Decimal(10_000_000), Decimal("2.5"))


def click_protocol(settings: GatewaySettings, hamyon: Hamyon) -> ClickShopApi | None:
    """The inbound SHOP-API (Prepare/Complete) when Click's credentials are set."""
    return ClickShopApi.from_env(hamyon, settings.gateway_env)


def _outgoing(settings: GatewaySettings) -> list[PaymentGateway]:
    return list(click_gateways(settings.gateway_env, return_base=settings.base_url))


CLICK: GatewayPackage[ClickShopApi] = GatewayPackage(
    name=ClickShopApi.name,
    seeds=(GatewaySeed("click", "Click", *_UZS_CARD), GatewaySeed("uzcard", "UzCard", *_UZS_CARD),
           GatewaySeed("humo", "Humo", *_UZS_CARD)),
    outgoing=_outgoing,
    inbound=click_protocol,
    jobs=(GatewayJob("click_fiscal_receipts", 10, lambda shop: shop.submit_receipts()),),
)

__all__ = ["CARD_RAILS", "CLICK", "COMPLETE", "NOTES", "PREPARE", "STEPS", "ClickCredentials",
           "ClickError", "ClickGateway", "ClickShopApi", "Step", "answer", "attempt_number",
           "click_gateways", "click_protocol", "sign_string"]
