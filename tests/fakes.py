"""Gateway fakes shared by the use-case and HTTP tests (fakes, not mocks)."""

from __future__ import annotations

from domain.errors import GatewayError
from domain.gateways import CheckoutSession, Probe
from domain.payments import Payment


class CardGateway:
    """A card gateway like Click: checkout is only a link; the gateway calls us back later."""

    def __init__(self, name: str = "click") -> None:
        self.name = name

    async def checkout(self, payment: Payment) -> CheckoutSession:
        return CheckoutSession(self.payment_url(payment))

    def payment_url(self, payment: Payment) -> str:
        return f"https://pay.example/{self.name}?order={payment.id}"

    async def probe(self) -> Probe:
        return Probe(True, "Service available", 0.234)  # the seed's example figure


class RefusingGateway(CardGateway):
    async def checkout(self, payment: Payment) -> CheckoutSession:
        raise GatewayError("Gateway refused the payment", gateway_code=-2)
