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
from adapters.gateways.package import GatewayPackage, GatewaySeed, GatewaySettings
from application.gateways.redirect import RedirectFlow
from application.hamyon import Hamyon
from domain.money import Currency
from ports.gateways import PaymentGateway


def medogram_protocol(settings: GatewaySettings, hamyon: Hamyon) -> RedirectFlow | None:
    """The callback side (``/crazyminer/payment/callback/``): the redirect flow over medogram."""
    gateway = medogram_gateway(settings.gateway_env)
    return RedirectFlow(hamyon, gateway) if gateway is not None else None


def _outgoing(settings: GatewaySettings) -> list[PaymentGateway]:
    gateway = medogram_gateway(settings.gateway_env)
    return [gateway] if gateway is not None else []


MEDOGRAM: GatewayPackage[RedirectFlow] = GatewayPackage(
    name=MedogramGateway.name,
    seeds=(GatewaySeed(MedogramGateway.name, "Medogram", Currency.IRR, Decimal(10_000),
                       Decimal(1_000_000_000)),),
    outgoing=_outgoing,
    inbound=medogram_protocol,
)

__all__ = ["MEDOGRAM", "MedogramCredentials", "MedogramGateway", "medogram_gateway", "medogram_protocol"]
