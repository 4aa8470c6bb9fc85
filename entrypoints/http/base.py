"""The base of every handler: request ids, auth, the JSON edge, paging, idempotency and errors.

Handlers stay thin: read the input with these helpers, call one facade method, render the
result. Everything that can go wrong leaves through ``write_error`` and the one error mapper.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import structlog
import tornado.web

from adapters.events import GatheredEvents, gather_events
from application.hamyon import Hamyon
from application.idempotency import IdempotencyRequest, StoredResponse
from domain.errors import DomainError, ValidationError
from domain.records import PageRequest, fingerprint
from entrypoints.http.auth import Principal
from entrypoints.http.context import HttpContext
from entrypoints.http.errors import HttpError, answer_for, http_status_answer
from entrypoints.http.i18n import negotiate
from entrypoints.http.jsonio import encode, parse_json_object
from entrypoints.http.routes import NONE, Route
from entrypoints.logging import bind_request_fields, clear_request_fields

T = TypeVar("T")
Rendered = tuple[int, Any]
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
MAX_QUERY_VALUE = 255
log = structlog.get_logger("hamyon.http")


class ApiHandler(tornado.web.RequestHandler):
    context: HttpContext
    operation: Route | None = None
    principal: Principal | None = None
    language = "uz"
    _request_id: str | None = None
    _events: GatheredEvents | None = None

    def initialize(self, context: HttpContext, operations: Mapping[str, Route]) -> None:
        self.context = context
        self.operations = operations

    @property
    def hamyon(self) -> Hamyon:
        return self.context.hamyon

    @property
    def request_id(self) -> str:
        if self._request_id is None:
            incoming = self.request.headers.get("X-Request-ID", "")
            self._request_id = incoming if _SANE_REQUEST_ID.match(incoming) else secrets.token_hex(16)
        return self._request_id

    @property
    def client_ip(self) -> str:
        """The client's address as the proxy in front reports it (``X-Real-IP``, else the last
        ``X-Forwarded-For`` hop), else the peer's; read only where a route needs it, instead of
        on every request as Tornado's ``xheaders`` would."""
        forwarded = self.request.headers.get("X-Forwarded-For", "")
        for candidate in (self.request.headers.get("X-Real-Ip", ""), forwarded.split(",")[-1].strip()):
            with contextlib.suppress(ValueError):
                return str(ipaddress.ip_address(candidate))
        return self.request.remote_ip or "unknown"

    @property
    def user_id(self) -> str:
        assert self.principal is not None, "route must require auth"
        return self.principal.user_id

    def compute_etag(self) -> str | None:
        return None  # answers about money are never served from a cache

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("X-Request-ID", self.request_id)
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        self._started = time.perf_counter()
        # Lines logged while this request runs (business events too) carry its id.
        clear_request_fields()
        bind_request_fields(request_id=self.request_id)
        self._events = gather_events()  # logged in this request's line
        self.operation = self.operations.get(self.request.method or "")
        if self.operation is None:
            raise HttpError(405)
        self.language = negotiate(self.request.headers.get("Accept-Language"),
                                  self.operation.language)
        declared = self.request.headers.get("Content-Length", "0")
        limit = self.context.config.max_body_bytes
        if (declared.isdigit() and int(declared) > limit) or len(self.request.body) > limit:
            raise HttpError(413, message=f"Request body must be at most {limit} bytes")
        if self.operation.auth != NONE:
            self.principal = self.context.verifier.principal(self.request.headers.get("Authorization"))
            bind_request_fields(user_id=self.principal.user_id)
            if self.operation.auth == "admin" and not self.principal.is_admin:
                raise HttpError(403, "not_admin", "Admin role required")

    # --- input -------------------------------------------------------------------------------

    def body(self) -> dict[str, Any]:
        """The JSON (or, for webhooks, form) body, checked against the route's request schema."""
        content_type = self.request.headers.get("Content-Type", "")
        assert self.operation is not None
        if self.operation.form and content_type.startswith("application/x-www-form-urlencoded"):
            payload: dict[str, Any] = {name: values[-1].decode("utf-8", "replace")
                                       for name, values in self.request.body_arguments.items()}
        else:
            payload = parse_json_object(self.request.body)
        if self.operation.request is not None:
            self.context.validator.validate(payload, {"$ref": self.operation.request})
        return payload

    def query(self, name: str) -> str | None:
        raw = self.get_query_argument(name, None)
        if raw is not None and len(raw) > MAX_QUERY_VALUE:
            raise ValidationError(f"{name} must be at most {MAX_QUERY_VALUE} characters", field=name)
        return raw if raw not in (None, "") else None

    def page_request(self) -> PageRequest:
        return PageRequest(self._whole("page", 1), self._whole("per_page", 20))

    def _whole(self, name: str, default: int) -> int:
        raw = self.query(name)
        if raw is None:
            return default
        if not raw.strip().isdigit() or len(raw.strip()) > 9:
            raise ValidationError(f"{name} must be a whole number", field=name)
        return int(raw)

    # --- output ------------------------------------------------------------------------------

    def reply(self, payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> None:
        self.set_status(status)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        self.finish(encode(payload))

    async def money_moving(self, action: Callable[[], Awaitable[T]],
                           render: Callable[[T], Rendered], payload: Any = None) -> None:
        """Run a money-moving action once per ``Idempotency-Key`` (when the client sends one):
        a repeat with the same body gets the stored answer; with another body, 409."""
        key = self.request.headers.get("Idempotency-Key")
        if key is None:
            status, body = render(await action())
            self.reply(body, status)
            return
        request = IdempotencyRequest(self.user_id, key.strip(), self.request.method or "POST",
                                     self.request.path, fingerprint(payload))

        def store(result: T) -> StoredResponse:
            status, body = render(result)
            return StoredResponse(status, encode(body))

        stored = await self.hamyon.idempotent(request, action, store)
        self.set_status(stored.status_code)
        if stored.replayed:
            self.set_header("Idempotent-Replayed", "true")
        self.finish(stored.body)

    # --- errors and the request log ----------------------------------------------------------

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, tornado.web.HTTPError) and not isinstance(error, HttpError):
            answer = http_status_answer(error.status_code, self.request_id)
        elif isinstance(error, BaseException):
            answer = answer_for(error, self.request_id)
        else:
            answer = http_status_answer(status_code, self.request_id)
        self.set_status(answer.status)
        self.finish(encode(answer.body))

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, (DomainError, HttpError, tornado.web.HTTPError)):
            return
        log.error("unhandled_error", request_id=self.request_id, method=self.request.method,
                  path=self.request.path, exc_info=(typ, value, tb))

    def on_finish(self) -> None:
        elapsed = time.perf_counter() - getattr(self, "_started", time.perf_counter())
        route = self.operation.path if self.operation else "unrouted"
        if self.context.metrics is not None:
            self.context.metrics.observe(self.request.method or "", route, self.get_status(), elapsed)
        # The one canonical line per request (ids and shapes only: never a header or a body), with
        # the business events the request caused.
        events = self._events
        log.info("request", request_id=self.request_id, method=self.request.method,
                 route=route, status=self.get_status(), duration_ms=round(elapsed * 1000, 2),
                 user_id=self.principal.user_id if self.principal else None,
                 **({"events": list(events)} if events else {}))
        if events is not None:
            events.closed = True
        clear_request_fields()
