"""Bearer tokens: the platform's JWTs, verified with PyJWT.

Hamyon keeps no passwords: ``sub`` is the user id, ``exp`` is required, ``role: admin`` opens the
admin API. HS256 with a shared secret, or RS256/ES256 with the identity provider's public key.
``TokenIssuer`` makes development tokens (``hamyon token``) and test tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from attrs import frozen

from entrypoints.http.errors import HttpError

MAX_USER_ID = 128
PUBLIC_KEY_ALGORITHMS = ("RS256", "ES256")


@frozen
class Principal:
    """Who is calling: a platform user, maybe an admin."""

    user_id: str
    is_admin: bool = False


class TokenVerifier:
    def __init__(self, *, secret: str = "", public_key: str = "", leeway_seconds: int = 30) -> None:
        if not secret and not public_key:
            raise ValueError("a JWT secret or public key is required")
        self._key = public_key or secret
        self._algorithms = list(PUBLIC_KEY_ALGORITHMS) if public_key else ["HS256"]
        self._leeway = leeway_seconds

    def principal(self, authorization: str | None) -> Principal:
        """The caller named by an ``Authorization: Bearer <JWT>`` header; 401 when it is missing,
        malformed, badly signed, expired or without ``exp`` / ``sub``."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, message="Authentication credentials were not provided")
        try:
            claims = jwt.decode(token.strip(), self._key, algorithms=self._algorithms,
                                options={"require": ["exp", "sub"]}, leeway=self._leeway)
        except jwt.ExpiredSignatureError:
            raise HttpError(401, message="Token has expired") from None
        except jwt.PyJWTError:
            raise HttpError(401, message="Invalid token") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_USER_ID:
            raise HttpError(401, message="Invalid token subject")
        return Principal(subject.strip(), claims.get("role") == "admin")


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
