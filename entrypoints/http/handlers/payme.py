"""Payme's Merchant API endpoint: every request gets its JSON-RPC answer with HTTP 200.

Payme reads any other status as a transport failure, so nothing here answers otherwise: another
method than POST gets -32300, an oversized body -32600, a failure of our own -32400, and a
server without Payme credentials -32504 (no key can be right).
"""

from __future__ import annotations

import time
from typing import Any

from adapters.gateways.payme import wire
from adapters.gateways.payme.errors import (
    AUTH_FAILED,
    INTERNAL,
    INVALID_REQUEST,
    NOT_POST,
    PaymeError,
)
from entrypoints.http.jsonio import encode
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import NONE, Route

GATEWAY = "payme"
PAYME_ALWAYS_200 = ("JSON-RPC 2.0 with Basic auth (Paycom:<key>). Every answer, errors included, has "
                    "HTTP status 200; any method other than POST is answered -32300.")


class PaymeWebhookHandler(ApiHandler):
    def prepare(self) -> None:
        # Not the base class's: it would answer 405 or 413; Payme must hear JSON-RPC at 200.
        # Another method than POST is answered (-32300) once its body is read, so no other
        # verb is routed.
        self._started = time.perf_counter()
        self.operation = self.operations.get("POST")
        self.start_body()
        if self.request.method != "POST":
            async def not_post(*args: Any) -> None:
                self._answer(wire.error(None, PaymeError(NOT_POST)))

            self.answer_after_body(not_post)

    def body_overflowed(self) -> None:
        """An oversized call is answered -32600 by ``post``, at HTTP 200 like every other."""

    async def post(self) -> None:
        protocol = self.context.inbound.get(GATEWAY)
        if protocol is None:
            self._answer(wire.error(None, PaymeError(AUTH_FAILED)))
        elif self.oversized:
            self._answer(wire.error(None, PaymeError(INVALID_REQUEST)))
        else:
            self._answer(await protocol.handle(self.request.headers.get("Authorization"),
                                               self.raw_body, self.request.method or ""))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Tornado refuses a verb it does not know before ``prepare``: that is -32300 too.
        code = NOT_POST if self.request.method != "POST" else INTERNAL
        self._answer(wire.error(None, PaymeError(code)))

    def _answer(self, answer: dict[str, Any]) -> None:
        if self.context.metrics is not None:
            error = answer.get("error")
            self.context.metrics.webhook(GATEWAY, error.get("code") if isinstance(error, dict) else 0)
        self.set_status(200)
        self.finish(encode(answer))


ROUTES = (
    Route("POST", "/api/payments/payme/webhook/", PaymeWebhookHandler, "Payme Merchant API (JSON-RPC)",
          NONE, response="WebhookAnswer", tag="webhooks", description=PAYME_ALWAYS_200),
)
