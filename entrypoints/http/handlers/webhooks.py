"""Gateway webhooks (Click SHOP-API prepare/complete, Payme Merchant API). Their adapters arrive
with the gateways work; until then each answers 501 and changes nothing."""

from __future__ import annotations

from entrypoints.http.base import ApiHandler
from entrypoints.http.errors import HttpError


class WebhookHandler(ApiHandler):
    async def post(self) -> None:
        self.body()
        raise HttpError(501, "gateway_not_implemented", "This gateway's webhook is not available yet")
