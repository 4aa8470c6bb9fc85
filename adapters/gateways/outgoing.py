"""Outgoing HTTP for gateway adapters: short timeouts, and tenacity retries with backoff on
connection errors and 5xx answers only. A 4xx is the gateway's own answer and is never retried.

The retry policy is a value the composition root (or a test) passes in: ``NO_RETRY`` turns it off.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tornado.httpclient
from attrs import frozen
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from domain.errors import GatewayError
from domain.payments import Payment

T = TypeVar("T")


class GatewayUnreachable(Exception):
    """A connection error, a timeout or a 5xx: worth another try."""


@frozen
class OutgoingRetry:
    attempts: int = 3
    first_wait: float = 0.2  # seconds; doubles each try up to max_wait
    max_wait: float = 2.0

    async def __call__(self, operation: Callable[[], Awaitable[T]]) -> T:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(GatewayUnreachable),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.first_wait, max=self.max_wait),
            reraise=True,
        ):
            with attempt:
                return await operation()
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover


DEFAULT_RETRY = OutgoingRetry()
NO_RETRY = OutgoingRetry(attempts=1)


@frozen
class Answer:
    status: int
    text: str
    seconds: float  # how long the gateway took to answer


@frozen
class GatewayHttp:
    """A gateway's HTTP client: every request has a connect and a total timeout."""

    gateway: str
    timeout: float = 10.0
    connect_timeout: float = 5.0
    retry: OutgoingRetry = DEFAULT_RETRY

    async def post_json(self, url: str, payload: dict[str, Any]) -> Answer:
        """POST JSON, retried on connection errors and 5xx; after the last try, GatewayError."""
        body = json.dumps(payload)
        try:
            return await self.retry(lambda: self._once(url, "POST", body))
        except GatewayUnreachable as error:
            raise GatewayError(f"{self.gateway} did not answer", gateway=self.gateway,
                               reason=str(error)) from error

    async def get_once(self, url: str, *, timeout: float) -> Answer:
        """One GET without retries (availability probes); GatewayUnreachable when it fails."""
        return await self._once(url, "GET", None, timeout=timeout)

    async def once(self, url: str, method: str, body: str | None = None, *,
                   headers: dict[str, str] | None = None) -> Answer:
        """One request (JSON headers, plus ``headers``): GatewayUnreachable on a connection error,
        a timeout or a 5xx, for the caller's retry policy; any other answer as it came."""
        return await self._once(url, method, body, headers=headers)

    async def _once(self, url: str, method: str, body: str | None, *,
                    timeout: float | None = None, headers: dict[str, str] | None = None) -> Answer:
        request = tornado.httpclient.HTTPRequest(
            url, method=method, body=body, headers={"Content-Type": "application/json",
                                                    "Accept": "application/json", **(headers or {})},
            connect_timeout=min(timeout or self.connect_timeout, self.connect_timeout),
            request_timeout=timeout or self.timeout, follow_redirects=False)
        started = time.perf_counter()
        try:
            response = await tornado.httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        except tornado.httpclient.HTTPClientError as error:  # only 599: timeouts
            raise GatewayUnreachable(f"no answer ({error.message})") from error
        except OSError as error:
            raise GatewayUnreachable(f"connection failed ({type(error).__name__})") from error
        if response.code >= 500:
            raise GatewayUnreachable(f"HTTP {response.code}")
        text = (response.body or b"").decode("utf-8", "replace")
        return Answer(response.code, text, time.perf_counter() - started)


def return_to(payment: Payment, return_base: str) -> str:
    """The URL a gateway that sends the payer back itself (Click, Payme) is given: Hamyon's
    return endpoint, which adds the payment's id and status on the way to the platform (without
    ``return_base``, the payment's own return URL); empty when the payment has nowhere to return."""
    if not (payment.return_url or payment.callback_url):
        return ""
    if not return_base:
        return payment.return_url
    return f"{return_base}/api/payments/{payment.id}/return/"
