"""Payme (GATEWAYS.md, "Payme Merchant API"): the checkout link we hand the payer, and the Merchant
API Payme calls over JSON-RPC.

- ``checkout``: ``PaymeGateway``, the outgoing side (the link and a probe);
- ``api``: ``PaymeMerchantApi(hamyon, PaymeCredentials(merchant_id, key, test_key), key_store=...)``
  answers every request (``handle``) and runs the 12-hour sweep (``cancel_stale_transactions``);
- ``transactions`` (its rules on the settlement use cases), ``views`` (its result shapes),
  ``wire`` (the JSON-RPC envelope and params), ``errors`` (its error table), ``keys`` (Basic auth
  and ChangePassword).

``PAYME`` is the package's descriptor for the composition root. Active with
``HAMYON_PAYME_MERCHANT_ID`` and ``HAMYON_PAYME_KEY``.
"""

from __future__ import annotations

from decimal import Decimal

from adapters.crypto import FernetCipher
from adapters.gateways.package import GatewayJob, GatewayPackage, GatewaySeed, GatewaySettings
from adapters.gateways.payme.api import PaymeMerchantApi
from adapters.gateways.payme.checkout import SANDBOX_CHECKOUT_URL, PaymeGateway, payme_gateway
from adapters.gateways.payme.errors import PaymeError
from adapters.gateways.payme.keys import MemoryKeyStore, PaymeCredentials, PaymeKeyStore, StoredKeyStore
from adapters.gateways.payme.transactions import GATEWAY
from adapters.gateways.payme.views import TIMEOUT_MS
from adapters.gateways.payme.wire import to_ms
from application.hamyon import Hamyon
from domain.money import Currency
from ports.gateways import PaymentGateway


def payme_protocol(settings: GatewaySettings, hamyon: Hamyon) -> PaymeMerchantApi | None:
    """The Merchant API for the configured merchant; keys set by ChangePassword are kept
    encrypted (HAMYON_SECRET_KEY) in storage."""
    env = settings.gateway_env
    if payme_gateway(env) is None:
        return None
    credentials = PaymeCredentials(env["HAMYON_PAYME_MERCHANT_ID"], env["HAMYON_PAYME_KEY"],
                                   env.get("HAMYON_PAYME_TEST_KEY", ""))
    cipher = FernetCipher(settings.secret_key, settings.secret_key_fallbacks)
    return PaymeMerchantApi(hamyon, credentials, key_store=StoredKeyStore.of(hamyon, cipher))


def _outgoing(settings: GatewaySettings) -> list[PaymentGateway]:
    gateway = payme_gateway(settings.gateway_env, return_base=settings.base_url)
    return [gateway] if gateway is not None else []


PAYME: GatewayPackage[PaymeMerchantApi] = GatewayPackage(
    name=GATEWAY,
    seeds=(GatewaySeed(GATEWAY, "Payme", Currency.UZS, Decimal(1_000), Decimal(10_000_000),
                       Decimal("2.5")),),
    outgoing=_outgoing,
    inbound=payme_protocol,
    jobs=(GatewayJob("payme_stale_transactions", 300, lambda api: api.cancel_stale_transactions()),),
)

__all__ = ["PAYME", "SANDBOX_CHECKOUT_URL", "TIMEOUT_MS", "MemoryKeyStore", "PaymeCredentials",
           "PaymeError", "PaymeGateway", "PaymeKeyStore", "PaymeMerchantApi", "StoredKeyStore",
           "payme_gateway", "payme_protocol", "to_ms"]
