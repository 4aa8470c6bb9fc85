"""The sandbox gateway: Hamyon's own simulated redirect gateway, for development only.

Its checkout page (``/sandbox/pay/<id>``) is served by Hamyon itself; the page's Pay and Cancel
buttons settle the payment through the same use cases a real redirect gateway's callback uses.
"""

from __future__ import annotations

from domain.gateways import CheckoutSession, Probe
from domain.payments import Payment


class SandboxGateway:
    name = "sandbox"

    def __init__(self, base_url: str = "http://localhost:8000") -> None:
        self._base_url = base_url.rstrip("/")

    async def checkout(self, payment: Payment) -> CheckoutSession:
        return CheckoutSession(self.payment_url(payment), external_id=f"sbx-{payment.id}",
                               opens_attempt=True)

    def payment_url(self, payment: Payment) -> str:
        return f"{self._base_url}/sandbox/pay/{payment.id}"

    async def probe(self) -> Probe:
        return Probe(True, "Service available", 0.0)
