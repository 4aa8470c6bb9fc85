"""The HTTP client that posts an event: one POST, 10 seconds at most, no redirects followed (a
redirect is not a delivery). With a URL policy, the policy resolves the endpoint's host and the
connection goes to the addresses it checked (``adapters.webhooks.urls.PinnedResolver``)."""

from __future__ import annotations

import time
from collections.abc import Mapping

import tornado.httpclient

from adapters.webhooks.urls import PinnedResolver, ResolvingUrlPolicy
from domain.errors import ValidationError
from domain.events import DELIVERY_TIMEOUT_SECONDS


class TornadoSender:
    def __init__(self, policy: ResolvingUrlPolicy | None = None,
                 timeout: float = DELIVERY_TIMEOUT_SECONDS) -> None:
        # The name's lookup gets half the time: a slow name server fails the delivery in time.
        resolver = None if policy is None else PinnedResolver(policy=policy, timeout=timeout / 2)
        self._client = tornado.httpclient.AsyncHTTPClient(force_instance=True, max_clients=64,
                                                          resolver=resolver)
        self._policy = policy
        self._timeout = timeout

    async def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> tuple[int | None, int, str]:
        """The answer's status (None when there was none), how long it took in ms, and an error
        (empty for an answer)."""
        started = time.perf_counter()
        try:
            if self._policy is not None:
                self._policy.parts(url)  # the scheme; the addresses are checked as they are resolved
            answer = await self._client.fetch(
                url, method="POST", body=body, headers=dict(headers), raise_error=False,
                follow_redirects=False, connect_timeout=self._timeout, request_timeout=self._timeout,
                user_agent="Hamyon-Webhooks/1")
        except ValidationError as refusal:
            return None, _ms(started), refusal.message
        except Exception as failure:  # any failure to reach the endpoint is a retry
            return None, _ms(started), f"{type(failure).__name__}: {failure}"[:500]
        if answer.code == 599:  # Tornado's own: timeout or connection error
            return None, _ms(started), str(answer.error or "no answer")[:500]
        return answer.code, _ms(started), ""

    def close(self) -> None:
        self._client.close()


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
