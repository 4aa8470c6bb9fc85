"""The route table's vocabulary: one ``Route`` per method and path.

The same table builds the Tornado URL rules (``app.py``) and the OpenAPI document
(``openapi.py``), so a route cannot be served undocumented or documented unserved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from attrs import frozen

from entrypoints.http.schema_types import integer

NONE, USER, ADMIN = "none", "user", "admin"
_PARAM = re.compile(r"\{([a-z_]+)\}")


@frozen
class Query:
    """A query parameter, for the docs (handlers read and validate it themselves)."""

    name: str
    schema: dict[str, Any]
    description: str = ""


PAGING = (Query("page", integer(1, 1_000_000), "Page number (default 1)"),
          Query("per_page", integer(1, 100), "Results per page (default 20, max 100)"))


@frozen
class Route:
    method: str
    path: str  # "/api/payments/{payment_id}/status/"
    handler: type
    summary: str
    auth: str = USER  # none | user | admin
    request: str | None = None  # schema name of the JSON body
    response: str | None = None  # schema name of the success body
    status: int = 200
    errors: tuple[int, ...] = ()
    query: tuple[Query, ...] = ()
    tag: str = "payments"
    language: str = "uz"  # default language when Accept-Language names none we speak
    idempotent: bool = False  # honours Idempotency-Key (money-moving POSTs)
    form: bool = False  # also accepts application/x-www-form-urlencoded bodies (webhooks)
    headers: tuple[str, ...] = ()  # documented response headers besides X-Request-ID
    media: str = "application/json"  # the success answer's content type
    description: str = ""
    scope: str = ""  # the platform-key scope that opens it (SPEC §15); "" : no key may call it

    @property
    def operation_id(self) -> str:
        words = re.sub(r"[{}/\-]+", "_", self.path).strip("_")
        return f"{self.method.lower()}_{words}"

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    @property
    def error_statuses(self) -> tuple[int, ...]:
        implied: set[int] = set(self.errors)
        if self.auth != NONE:
            implied.add(401)
        if self.auth == ADMIN:
            implied.add(403)
        if self.request is not None or self.query or self.path_params:
            implied.add(400)
        if self.request is not None:
            implied.add(413)
        if self.idempotent:
            implied.update({400, 409})
        return tuple(sorted(implied))


def tornado_pattern(path: str) -> str:
    """``/api/payments/{payment_id}/status/`` → a regex with a named group per parameter."""
    return "^" + _PARAM.sub(lambda match: f"(?P<{match.group(1)}>[^/]+)", re.escape(path)
                            .replace(r"\{", "{").replace(r"\}", "}")) + "$"


def path_uuid(raw: str, missing: Callable[[], Exception]) -> UUID:
    """A row's id from the path; anything that is not a UUID names no row: ``missing()``, a 404."""
    try:
        return UUID(raw)
    except ValueError:
        raise missing() from None


def by_path(routes: Iterable[Route]) -> dict[str, dict[str, Route]]:
    """Routes grouped by path (one Tornado handler per path), checking each path has one handler."""
    grouped: dict[str, dict[str, Route]] = {}
    for route in routes:
        methods = grouped.setdefault(route.path, {})
        if route.method in methods:
            raise ValueError(f"{route.method} {route.path} is routed twice")
        if any(other.handler is not route.handler for other in methods.values()):
            raise ValueError(f"{route.path} needs one handler class for all its methods")
        methods[route.method] = route
    return grouped
