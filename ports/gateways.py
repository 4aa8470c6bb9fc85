"""The outgoing gateway port: what a use case asks of a payment gateway."""

from __future__ import annotations

from typing import Protocol

from domain.gateways import CheckoutSession, Probe
from domain.payments import Payment


class PaymentGateway(Protocol):
    name: str

    async def checkout(self, payment: Payment) -> CheckoutSession:
        """Open a checkout for the payment. Raises GatewayError when the gateway refuses."""
        ...

    def payment_url(self, payment: Payment) -> str:
        """Where the payer goes to pay this payment (recomputed, never stored)."""
        ...

    async def probe(self) -> Probe:
        """A cheap request with a short timeout, to report availability."""
        ...


class GatewayRegistry(Protocol):
    def get(self, name: str) -> PaymentGateway | None:
        """The adapter for a gateway name, or None when the gateway has no working adapter."""
        ...
