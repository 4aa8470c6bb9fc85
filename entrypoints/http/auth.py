"""Bearer tokens: the platform's JWTs, verified with PyJWT.

Hamyon keeps no passwords: ``sub`` is the user id, ``exp`` is required, ``role: admin`` opens the
admin API. HS256 with a shared secret, or RS256/ES256 with the identity provider's public key, or
with the keys it publishes (JWKS: fetched on first use, cached, fetched again on an unknown
``kid``). ``aud`` and ``iss`` are required and checked when configured. ``TokenIssuer`` makes
development tokens (``hamyon token``) and test tokens.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import tornado.httpclient
from attrs import frozen

from domain.text import is_single_line_text
from entrypoints.http.errors import HttpError

MAX_USER_ID = 128
PUBLIC_KEY_ALGORITHMS = ("RS256", "ES256")
REMEMBERED_TOKENS = 10_000
REMEMBER_SECONDS = 60.0
JWKS_REFETCH_SECONDS = 10.0  # an unknown kid fetches the keys again at most this often
JWKS_TIMEOUT_SECONDS = 5.0


@frozen
class Principal:
    """Who is calling: a platform user, maybe an admin."""

    user_id: str
    is_admin: bool = False
    scopes: frozenset[str] | None = None  # a platform key's; None: a user's token, all a user may do
    key_name: str = ""  # the platform key acting, if one is

    @property
    def actor(self) -> str:
        """Who the audit log names for this caller's writes."""
        return f"api-key:{self.key_name}" if self.key_name else self.user_id


async def fetch_url(url: str) -> bytes:
    """One GET with a short timeout (the JWKS document); raises on any failure."""
    request = tornado.httpclient.HTTPRequest(url, connect_timeout=JWKS_TIMEOUT_SECONDS,
                                             request_timeout=JWKS_TIMEOUT_SECONDS,
                                             follow_redirects=False)
    response = await tornado.httpclient.AsyncHTTPClient().fetch(request)
    return response.body or b""


class JwksKeys:
    """The identity provider's published keys, by ``kid``: fetched on first use and again when a
    token names a ``kid`` not among them (at most every ``refetch_seconds``, so unknown kids
    cannot make us hammer the provider). A failed fetch keeps the keys there were."""

    def __init__(self, url: str, *, fetch: Callable[[str], Awaitable[bytes]] = fetch_url,
                 clock: Callable[[], float] = time.monotonic,
                 refetch_seconds: float = JWKS_REFETCH_SECONDS) -> None:
        self._url, self._fetch, self._clock, self._refetch = url, fetch, clock, refetch_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None

    async def key(self, kid: str) -> Any | None:
        """The key named ``kid`` (a ``jwt.PyJWK``), or None when the provider has none by it."""
        if kid not in self._keys and self._may_fetch():
            await self._load()
        return self._keys.get(kid)

    def _may_fetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._refetch

    async def _load(self) -> None:
        self._fetched_at = self._clock()
        try:
            document = json.loads(await self._fetch(self._url))
            found = jwt.PyJWKSet.from_dict(document).keys
        except Exception:  # unreachable, not JSON, no usable key: keep the keys there were
            return
        self._keys = {key.key_id: key for key in found if key.key_id}


class TokenVerifier:
    """Checks bearer tokens. A token that passed is remembered (the most recent
    ``REMEMBERED_TOKENS`` of them) until it expires or for ``REMEMBER_SECONDS``, whichever comes
    first, so a client's every request does not pay for the signature again; an expired token
    is refused whether remembered or not. ``clock`` (Unix seconds) is for tests."""

    def __init__(self, *, secret: str = "", public_key: str = "", jwks: JwksKeys | None = None,
                 audience: str = "", issuer: str = "", leeway_seconds: int = 30,
                 clock: Callable[[], float] = time.time) -> None:
        if not secret and not public_key and jwks is None:
            raise ValueError("a JWT secret, public key or JWKS URL is required")
        self._key = public_key or secret
        self._jwks = jwks
        self._algorithms = list(PUBLIC_KEY_ALGORITHMS) if public_key or jwks else ["HS256"]
        self._audience, self._issuer = audience or None, issuer or None
        self._leeway = leeway_seconds
        self._clock = clock
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def principal(self, authorization: str | None) -> Principal:
        """The caller named by an ``Authorization: Bearer <JWT>`` header; 401 when it is missing,
        malformed, badly signed, expired, without ``exp`` / ``sub``, or (when configured) with
        another ``aud`` or ``iss``. With JWKS, ``authenticate`` (it may fetch keys)."""
        return self._remembered_or(bearer_token(authorization), self._key)

    async def authenticate(self, authorization: str | None) -> Principal:
        """``principal``, with the signing key found in the provider's JWKS by the token's kid."""
        token = bearer_token(authorization)
        if self._jwks is None:
            return self._remembered_or(token, self._key)
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise HttpError(401, message="Invalid token") from None
        key = await self._jwks.key(kid) if isinstance(kid, str) else None
        if key is None:
            raise HttpError(401, message="Invalid token")
        return self._remembered_or(token, key.key)

    def _remembered_or(self, token: str, key: Any) -> Principal:
        now = self._clock()
        remembered = self._verified.get(token)
        if remembered is not None:
            if now < remembered[1]:
                self._verified.move_to_end(token)
                return remembered[0]
            del self._verified[token]
        principal, expires = self._verify(token, now, key)
        self._verified[token] = principal, min(expires, now + REMEMBER_SECONDS)
        if len(self._verified) > REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str, now: float, key: Any) -> tuple[Principal, float]:
        """The token's caller and the moment (Unix seconds) it stops being accepted."""
        required = ["exp", "sub", *(["aud"] if self._audience else []), *(["iss"] if self._issuer else [])]
        try:
            claims = jwt.decode(token, key, algorithms=self._algorithms, audience=self._audience,
                                issuer=self._issuer, options={"require": required,
                                                              "verify_aud": bool(self._audience)},
                                leeway=self._leeway)
        except jwt.ExpiredSignatureError:
            raise HttpError(401, message="Token has expired") from None
        except jwt.PyJWTError:
            raise HttpError(401, message="Invalid token") from None
        expires = int(claims["exp"]) + self._leeway  # PyJWT's rule: refused from exp + leeway on
        if now >= expires:
            raise HttpError(401, message="Token has expired")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_USER_ID \
                or not is_single_line_text(subject):  # a user id is plain single-line text
            raise HttpError(401, message="Invalid token subject")
        return Principal(subject.strip(), claims.get("role") == "admin"), expires


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; 401 without one."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise HttpError(401, message="Authentication credentials were not provided")
    return token


class TokenIssuer:
    """Signs tokens the verifier accepts: HS256 with a secret, or RS256/ES256 with a private key."""

    def __init__(self, key: str, algorithm: str = "HS256") -> None:
        self._key = key
        self._algorithm = algorithm

    def issue(self, user_id: str, *, admin: bool = False, ttl_seconds: int = 3600,
              now: datetime | None = None, **claims: object) -> str:
        """A token for ``user_id``; ``claims`` adds others (``aud``, ``iss``) and ``kid`` goes
        to the header."""
        issued = now or datetime.now(UTC)
        kid = claims.pop("kid", None)
        body: dict[str, object] = {"sub": user_id, "iat": issued,
                                   "exp": issued + timedelta(seconds=ttl_seconds), **claims}
        if admin:
            body["role"] = "admin"
        headers = {"kid": kid} if isinstance(kid, str) else None
        return jwt.encode(body, self._key, algorithm=self._algorithm, headers=headers)
