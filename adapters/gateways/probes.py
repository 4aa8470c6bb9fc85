"""Availability probes: one cheap request with a short timeout, and a cache in front of it so the
public status endpoint can never be used to flood a gateway.

``ProbeCache`` answers from its last result for ``ttl`` seconds, and callers that arrive while a
probe is running wait for that probe instead of starting their own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from adapters.gateways.outgoing import GatewayHttp, GatewayUnreachable
from domain.gateways import Probe

PROBE_TIMEOUT = 2.0  # seconds
PROBE_TTL = 10.0  # seconds a probe result is reused


async def probe_url(http: GatewayHttp, url: str, timeout: float = PROBE_TIMEOUT) -> Probe:
    """Any answer below 500 means the gateway is up (its front page may well say 404 or 405)."""
    started = time.perf_counter()
    try:
        answer = await http.get_once(url, timeout=timeout)
    except GatewayUnreachable as error:
        return Probe(False, f"Service unavailable: {error}", time.perf_counter() - started)
    return Probe(True, "Service available", answer.seconds)


class ProbeCache:
    def __init__(self, probe: Callable[[], Awaitable[Probe]], ttl: float = PROBE_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._probe = probe
        self._ttl = ttl
        self._clock = clock
        self._last: tuple[float, Probe] | None = None
        self._running: asyncio.Future[Probe] | None = None

    async def __call__(self) -> Probe:
        if self._last is not None and self._clock() - self._last[0] < self._ttl:
            return self._last[1]
        if self._running is None:
            self._running = asyncio.ensure_future(self._refresh())
        return await asyncio.shield(self._running)

    async def _refresh(self) -> Probe:
        try:
            result = await self._probe()
            self._last = (self._clock(), result)
            return result
        finally:
            self._running = None
