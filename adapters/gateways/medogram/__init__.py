"""medogram (api.medogram.ir), the CrazyMiner seed's redirect gateway; it speaks the BitPay protocol.

- ``bitpay``: ``MedogramGateway``, the side we call: create a session, verify a callback, probe.
- Its callbacks go through the gateway-neutral redirect flow (``application.gateways.redirect``):
  nothing is credited before medogram verifies the payment.

``MEDOGRAM`` is the package's descriptor for the composition root. Active with the seed's own
``PAYMENT_GATEWAY_URL`` and ``PAYMENT_API_KEY`` (``PAYMENT_REDIRECT_URL`` for the way back).
"""

from __future__ import annotations

from decimal import Decimal

from adapters.gateways.medogram.bitpay import MedogramCredentials, MedogramGateway, medogram_gateway
from adapters.gateways.package import GatewayPackage, GatewaySeed, redirect_package
from application.gateways.redirect import RedirectFlow
from domain.money import Currency

# Its callbacks (``/crazyminer/payment/callback/``) go through the redirect flow over medogram.
MEDOGRAM: GatewayPackage[RedirectFlow] = redirect_package(
    GatewaySeed(MedogramGateway.name, "Medogram", Currency.IRR, Decimal(10_000), Decimal(1_000_000_000)),
    lambda settings: medogram_gateway(settings.gateway_env),
)

__all__ = ["MEDOGRAM", "MedogramCredentials", "MedogramGateway", "medogram_gateway"]
