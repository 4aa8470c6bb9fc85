"""The sandbox: Hamyon's own simulated redirect gateway, for development only (GATEWAYS.md's
"redirect gateway" shape, with nothing outside to call).

- ``gateway``: ``SandboxGateway``, whose checkout page Hamyon serves itself and whose callbacks
  are signed with a key derived from ``HAMYON_SECRET_KEY``;
- ``page``: that checkout as HTML, as a real gateway's hosted page looks (merchant, amounts,
  time left, Pay and Cancel; the finished page), in the words of ``texts`` (uz, ru, en);
- its presses and signed callbacks go through the gateway-neutral redirect flow
  (``application.gateways.redirect``), as a real redirect gateway's would.

``SANDBOX`` is the package's descriptor for the composition root. On in development unless
``HAMYON_SANDBOX=0``; the settings refuse it in production.
"""

from __future__ import annotations

from decimal import Decimal

from adapters.gateways.package import GatewayPackage, GatewaySeed, redirect_package
from adapters.gateways.sandbox.gateway import CANCEL, PAY, SandboxGateway, sandbox_gateway
from adapters.gateways.sandbox.page import Checkout, error_page, page
from adapters.gateways.sandbox.texts import LANGUAGES
from application.gateways.redirect import RedirectFlow
from domain.money import Currency

# The checkout page's presses and signed callbacks go through the redirect flow.
SANDBOX: GatewayPackage[RedirectFlow] = redirect_package(
    GatewaySeed(SandboxGateway.name, "Sandbox", Currency.UZS, Decimal(1_000), Decimal(10_000_000)),
    sandbox_gateway,
)

__all__ = ["CANCEL", "LANGUAGES", "PAY", "SANDBOX", "Checkout", "SandboxGateway", "error_page",
           "page", "sandbox_gateway"]
