"""Bearer tokens: the platform's JWTs, verified with PyJWT.

Hamyon keeps no passwords: ``sub`` is the user id, ``exp`` is required, ``role: admin`` opens the
admin API. HS256 with a shared secret, or RS256/ES256 with the identity provider's public key.
``TokenIssuer`` makes development tokens (``hamyon token``) and test tokens.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
from attrs import frozen

from entrypoints.http.errors import HttpError

MAX_USER_ID = 128
PUBLIC_KEY_ALGORITHMS = ("RS256", "ES256")
REMEMBERED_TOKENS = 10_000
REMEMBER_SECONDS = 60.0


@frozen
class Principal:
    """Who is calling: a platform user, maybe an admin."""

    user_id: str
    is_admin: bool = False


class TokenVerifier:
    """Checks bearer tokens. A token that passed is remembered (the most recent
    ``REMEMBERED_TOKENS`` of them) until it expires or for ``REMEMBER_SECONDS``, whichever comes
    first, so a client's every request does not pay for the signature again; an expired token
    is refused whether remembered or not. ``clock`` (Unix seconds) is for tests."""

    def __init__(self, *, secret: str = "", public_key: str = "", leeway_seconds: int = 30,
                 clock: Callable[[], float] = time.time) -> None:
        if not secret and not public_key:
            raise ValueError("a JWT secret or public key is required")
        self._key = public_key or secret
        self._algorithms = list(PUBLIC_KEY_ALGORITHMS) if public_key else ["HS256"]
        self._leeway = leeway_seconds
        self._clock = clock
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def principal(self, authorization: str | None) -> Principal:
        """The caller named by an ``Authorization: Bearer <JWT>`` header; 401 when it is missing,
        malformed, badly signed, expired or without ``exp`` / ``sub``."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise HttpError(401, message="Authentication credentials were not provided")
        now = self._clock()
        remembered = self._verified.get(token)
        if remembered is not None:
            if now < remembered[1]:
                self._verified.move_to_end(token)
                return remembered[0]
            del self._verified[token]
        principal, expires = self._verify(token, now)
        self._verified[token] = principal, min(expires, now + REMEMBER_SECONDS)
        if len(self._verified) > REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str, now: float) -> tuple[Principal, float]:
        """The token's caller and the moment (Unix seconds) it stops being accepted."""
        try:
            claims = jwt.decode(token, self._key, algorithms=self._algorithms,
                                options={"require": ["exp", "sub"]}, leeway=self._leeway)
        except jwt.ExpiredSignatureError:
            raise HttpError(401, message="Token has expired") from None
        except jwt.PyJWTError:
            raise HttpError(401, message="Invalid token") from None
        expires = int(claims["exp"]) + self._leeway  # PyJWT's rule: refused from exp + leeway on
        if now >= expires:
            raise HttpError(401, message="Token has expired")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_USER_ID:
            raise HttpError(401, message="Invalid token subject")
        return Principal(subject.strip(), claims.get("role") == "admin"), expires


class TokenIssuer:
    """Signs tokens the verifier accepts: HS256 with a secret, or RS256/ES256 with a private key."""

    def __init__(self, key: str, algorithm: str = "HS256") -> None:
        self._key = key
        self._algorithm = algorithm

    def issue(self, user_id: str, *, admin: bool = False, ttl_seconds: int = 3600,
              now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        claims: dict[str, object] = {"sub": user_id, "iat": issued,
                                     "exp": issued + timedelta(seconds=ttl_seconds)}
        if admin:
            claims["role"] = "admin"
        return jwt.encode(claims, self._key, algorithm=self._algorithm)
