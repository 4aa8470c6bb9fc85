"""The sandbox gateway: Hamyon's own simulated redirect gateway, for development only.

Its checkout page (``/sandbox/pay/<id>``) is served by Hamyon itself. A press of Pay or Cancel
becomes a callback signed with HMAC-SHA256 (a key derived from ``HAMYON_SECRET_KEY``), handed to
the same redirect flow a real redirect gateway's callback goes through; ``verify`` checks the
signature in constant time, so a forged callback changes nothing. A signed Cancel is the gateway's
authenticated word that the payer cancelled (``Verification.cancelled``): it cancels the payment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from adapters.crypto import derive_key
from adapters.gateways.package import GatewaySettings
from domain.errors import Forbidden
from domain.gateways import CheckoutSession, Probe, Verification
from domain.payments import Payment

PAY, CANCEL = "pay", "cancel"


class SandboxGateway:
    name = "sandbox"
    simulates_receipts = True  # a paid (or refunded) sandbox payment gets a simulated receipt

    def __init__(self, base_url: str = "http://localhost:8000", secret_key: str = "", *,
                 merchant_name: str = "Hamyon") -> None:
        self._base_url = base_url.rstrip("/")
        self.merchant_name = merchant_name  # whom the checkout page says the payer pays
        # Without a secret (embedding, tests) each instance signs with its own random key.
        self._key = base64.urlsafe_b64decode(derive_key(secret_key, "sandbox_callback")) \
            if secret_key else secrets.token_bytes(32)

    async def checkout(self, payment: Payment) -> CheckoutSession:
        return CheckoutSession(self.payment_url(payment), external_id=f"sbx-{payment.id}",
                               opens_attempt=True)

    def payment_url(self, payment: Payment) -> str:
        return f"{self._base_url}/sandbox/pay/{payment.id}"

    async def probe(self) -> Probe:
        return Probe(True, "Service available", 0.0)  # served by this process: nothing to ask

    def signed_callback(self, payment: Payment, action: str) -> dict[str, str]:
        """The callback the checkout page sends when the payer presses ``pay`` or ``cancel``."""
        return {"id_get": payment.external_id, "action": action,
                "signature": self._signature(payment, action)}

    async def verify(self, payment: Payment, callback: Mapping[str, str]) -> Verification:
        action = callback.get("action", "")
        given = callback.get("signature", "").encode()
        if not hmac.compare_digest(self._signature(payment, action).encode(), given):
            raise Forbidden("The sandbox callback's signature is not valid")
        raw = json.dumps({"action": action})
        if action == PAY:
            return Verification(True, payment.total_amount, str(payment.id), "paid in the sandbox",
                                raw=raw)
        if action == CANCEL:
            return Verification(False, message="the payer cancelled in the sandbox", raw=raw,
                                cancelled=True)
        return Verification(False, message=f"the sandbox knows no action {action!r}", raw=raw)

    def _signature(self, payment: Payment, action: str) -> str:
        # Signs the session, the payment, its total and the action: a signature fits no other use.
        message = "|".join((payment.external_id, str(payment.id), str(payment.total_amount.minor),
                            payment.currency.value, action))
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()


def sandbox_gateway(settings: GatewaySettings) -> SandboxGateway | None:
    """On in development unless ``HAMYON_SANDBOX=0`` (the settings refuse it in production)."""
    if not settings.sandbox:
        return None
    return SandboxGateway(settings.base_url, settings.secret_key,
                          merchant_name=settings.merchant_name)

