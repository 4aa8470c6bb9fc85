"""Who may call (SPEC §15): a user's JWT, or a platform key acting for a user within its scopes,
and which browser origins may call at all (CORS).

A platform key (``Authorization: Bearer hk_…``) names the user it acts for in ``Hamyon-User``.
It opens only the routes whose scope it holds (403 ``scope_missing`` elsewhere), never the rest
of the admin API. A preflight from an allowed origin is answered 204 with what the browser
needs; one from another origin is 403, naming the setting.
"""

from __future__ import annotations

from collections.abc import Iterable

from application.hamyon import Hamyon
from domain.api_keys import looks_like_key
from domain.text import is_single_line_text
from entrypoints.http.auth import MAX_USER_ID, Principal, TokenVerifier, bearer_token
from entrypoints.http.errors import HttpError
from entrypoints.http.routes import Route

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept-Language, Hamyon-User"
EXPOSED_HEADERS = "X-Request-ID, Idempotent-Replayed, X-Total-Count"
PREFLIGHT_MAX_AGE = "600"


async def caller(route: Route, authorization: str | None, acting_for: str | None,
                 verifier: TokenVerifier, hamyon: Hamyon) -> Principal:
    """The principal a request authenticates as, allowed on ``route``, or 401 / 403."""
    token = bearer_token(authorization)
    if looks_like_key(token):
        return await _key_principal(route, token, acting_for, hamyon)
    principal = await verifier.authenticate(authorization)
    if route.auth == "admin" and not principal.is_admin:
        raise HttpError(403, "not_admin", "Admin role required")
    return principal


async def _key_principal(route: Route, token: str, acting_for: str | None,
                         hamyon: Hamyon) -> Principal:
    key = await hamyon.api_keys.authenticate(token)
    if key is None:
        raise HttpError(401, message="Invalid or revoked API key")
    if not route.scope or route.scope not in key.scopes:
        needed = f"the {route.scope!r} scope" if route.scope else "a user's token or an admin's"
        raise HttpError(403, "scope_missing", f"This API key cannot call this operation: it needs {needed}")
    if route.auth == "admin":
        return Principal(f"api-key:{key.name}", scopes=key.scopes, key_name=key.name)
    return Principal(_user(acting_for), scopes=key.scopes, key_name=key.name)


def _user(raw: str | None) -> str:
    user = (raw or "").strip()
    if not user or len(user) > MAX_USER_ID or not is_single_line_text(user):
        raise HttpError(400, "validation_error", "An API key acts for the user named in the "
                        "Hamyon-User header (1 to 128 characters)", field="Hamyon-User")
    return user


def allowed_origin(origin: str | None, allowed: Iterable[str]) -> str | None:
    """The request's ``Origin`` when it is one of the allowed ones (exact match)."""
    return origin if origin and origin in allowed else None
