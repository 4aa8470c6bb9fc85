"""What every handler is given: the facade, the HTTP settings, the token verifier, the limiter."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from application.hamyon import Hamyon
from entrypoints.http.auth import JWKS_REFETCH_SECONDS, JwksKeys, TokenVerifier
from entrypoints.http.converter import RequestShapes
from entrypoints.http.i18n import DEFAULT_LANGUAGE

MAX_BODY_BYTES = 64 * 1024


@frozen
class HttpConfig:
    """The HTTP edge's settings. ``from_settings`` reads them from the service settings."""

    jwt_secret: str = field(default="", repr=False)
    jwt_public_key: str = ""
    max_body_bytes: int = MAX_BODY_BYTES
    default_language: str = DEFAULT_LANGUAGE
    status_requests_per_minute: int = 120  # the public CrazyMiner status endpoint, per client
    production: bool = False
    jwt_audience: str = ""
    jwt_issuer: str = ""
    jwt_jwks_url: str = ""
    cors_origins: tuple[str, ...] = ()
    jwks_refetch_seconds: float = JWKS_REFETCH_SECONDS  # how often an unknown kid may fetch again
    session_secret: str = field(default="", repr=False)  # signs the admin console's sessions

    @classmethod
    def from_settings(cls, settings: Any) -> HttpConfig:
        return cls(jwt_secret=settings.jwt_secret, jwt_public_key=settings.jwt_public_key,
                   production=settings.is_production, jwt_audience=settings.jwt_audience,
                   jwt_issuer=settings.jwt_issuer, jwt_jwks_url=settings.jwt_jwks_url,
                   cors_origins=tuple(settings.cors_origins), session_secret=settings.secret_key)

    def verifier(self) -> TokenVerifier:
        """The token verifier these settings describe (JWKS over a public key over a secret)."""
        jwks = JwksKeys(self.jwt_jwks_url, refetch_seconds=self.jwks_refetch_seconds) \
            if self.jwt_jwks_url else None
        return TokenVerifier(secret=self.jwt_secret, public_key="" if jwks else self.jwt_public_key,
                             jwks=jwks, audience=self.jwt_audience, issuer=self.jwt_issuer)


class RateLimiter:
    """A sliding one-minute window per client key, kept in this process (a soft flood guard)."""

    def __init__(self, per_minute: int, clock: Any = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - 60:
            hits.popleft()
        if len(hits) >= self._limit:
            return False
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle clients so memory stays bounded
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - 60}
        return True


@frozen
class HttpContext:
    hamyon: Hamyon
    config: HttpConfig
    verifier: TokenVerifier
    status_limiter: RateLimiter
    validator: RequestShapes  # the route table's request shapes, by name
    metrics: Any = None
    # Inbound gateway protocols by name ("click", "payme", "medogram", "sandbox"), built by the
    # composition root with their credentials; a webhook whose protocol is missing answers 501.
    inbound: Mapping[str, Any] = field(factory=dict)
