"""The base of every handler: request ids, auth, the JSON edge, paging, idempotency and errors.

Handlers stay thin: read the input with these helpers (the body structured into the route's
request shape), call one facade method, reply with an answer shape. Everything that can go wrong
leaves through ``write_error`` and the one error mapper.
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
from application.units import watch_commits
from domain.errors import DomainError, GatewayInactive, ValidationError
from domain.journal import fingerprint
from domain.paging import PageRequest
from domain.text import check_text, is_ascii_whole
from entrypoints.http.access import (
    ALLOWED_HEADERS,
    EXPOSED_HEADERS,
    PREFLIGHT_MAX_AGE,
    allowed_origin,
    caller,
)
from entrypoints.http.auth import Principal
from entrypoints.http.body import BodyReader
from entrypoints.http.context import HttpContext
from entrypoints.http.converter import dumps, refuse_fields
from entrypoints.http.errors import (
    ErrorAnswer,
    HttpError,
    answer_for,
    committed_anyway,
    http_status_answer,
)
from entrypoints.http.hints import activation_hint
from entrypoints.http.i18n import error_text, negotiate
from entrypoints.http.jsonio import encode, parse_json_object
from entrypoints.http.routes import NONE, Route
from entrypoints.logging import bind_request_fields, clear_request_fields

T = TypeVar("T")
Rendered = tuple[int, Any]
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SANE_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")
MAX_QUERY_VALUE = 255
log = structlog.get_logger("hamyon.http")


@tornado.web.stream_request_body
class ApiHandler(tornado.web.RequestHandler):
    context: HttpContext
    operation: Route | None = None
    principal: Principal | None = None
    language = "uz"
    _request_id: str | None = None
    _events: GatheredEvents | None = None
    _committed: list[str] | None = None
    payload: dict[str, Any]

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
        self.set_cors_headers()

    def set_cors_headers(self) -> None:
        """A browser on an allowed origin may read the answer and these headers (set again by
        every ``clear``, so error answers carry them too; none before ``initialize``)."""
        allowed = self.context.config.cors_origins if hasattr(self, "context") else ()
        origin = allowed_origin(self.request.headers.get("Origin"), allowed)
        if origin:
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Access-Control-Expose-Headers", EXPOSED_HEADERS)
        if allowed:
            self.set_header("Vary", "Origin")

    async def prepare(self) -> None:
        self._started = time.perf_counter()
        # Lines logged while this request runs (business events too) carry its id.
        clear_request_fields()
        bind_request_fields(request_id=self.request_id)
        self._events = gather_events()  # logged in this request's line
        self._committed = watch_commits()  # named in a 500 that comes after a commit
        self.start_body()
        self.set_cors_headers()
        try:
            if self.is_preflight():
                self.answer_preflight()
                return
            self.admit()
            await self.authenticate()
        except (HttpError, DomainError, tornado.web.HTTPError) as refusal:
            self.refuse_after_body(refusal)

    def is_preflight(self) -> bool:
        return self.request.method == "OPTIONS" and \
            "Access-Control-Request-Method" in self.request.headers

    def answer_preflight(self) -> None:
        """A browser asks whether it may call: 204 with what it may send, for allowed origins."""
        if not allowed_origin(self.request.headers.get("Origin"), self.context.config.cors_origins):
            raise HttpError(403, "origin_not_allowed", "This origin is not in HAMYON_CORS_ORIGINS")
        self.set_status(204)
        self.set_header("Access-Control-Allow-Methods", ", ".join(sorted(self.operations)))
        self.set_header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        self.set_header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
        self.clear_header("Content-Type")
        self.finish()

    def admit(self) -> None:
        """The checks made before the body is read: the route's method, the declared body size,
        the path's parameters, the token and the role. A refusal is answered once the body is in."""
        self.operation = self.operations.get(self.request.method or "")
        if self.operation is None:
            raise HttpError(405)
        self.language = negotiate(self.request.headers.get("Accept-Language"),
                                  self.operation.language)
        declared = self.request.headers.get("Content-Length", "0")
        if is_ascii_whole(declared, 20) and int(declared) > self.context.config.max_body_bytes:
            raise self.body_too_large()
        for name, value in self.path_kwargs.items():
            check_text(value, name, max_length=MAX_QUERY_VALUE)

    async def authenticate(self) -> None:
        """The caller: a user's token, an admin's, or a platform key within its scopes."""
        if self.operation is None or self.operation.auth == NONE:
            return
        headers = self.request.headers
        self.principal = await caller(self.operation, headers.get("Authorization"),
                                      headers.get("Hamyon-User"), self.context.verifier, self.hamyon)
        bind_request_fields(user_id=self.principal.user_id)
        if self.principal.key_name:
            bind_request_fields(api_key=self.principal.key_name)

    # --- the body: read whole, kept up to the limit (``entrypoints.http.body``) ------------------

    def start_body(self) -> None:
        self._reader = BodyReader(self.context.config.max_body_bytes,
                                  getattr(self.request, "connection", None))
        self._refused = False

    def data_received(self, chunk: bytes) -> None:
        if self._reader.take(chunk):
            self.body_overflowed()

    def body_overflowed(self) -> None:
        """The body passed ``max_body_bytes``: answer 413 once it is read, unless the request
        was already refused (webhooks answer in their gateway's own way instead)."""
        if not self._refused:
            self.refuse_after_body(self.body_too_large())

    def body_too_large(self) -> HttpError:
        limit = self.context.config.max_body_bytes
        return HttpError(413, message=f"Request body must be at most {limit} bytes")

    @property
    def oversized(self) -> bool:
        return self._reader.oversized

    @property
    def raw_body(self) -> bytes:
        return self._reader.body

    def form_arguments(self) -> dict[str, list[bytes]]:
        return self._reader.form(self.request.headers)

    def refuse_after_body(self, refusal: BaseException) -> None:
        """Answer this request with ``refusal`` instead of its method, once the body is read."""
        async def refuse(*args: Any, **kwargs: Any) -> None:
            raise refusal

        self._refused = True
        self.answer_after_body(refuse)

    def answer_after_body(self, answer: Callable[..., Awaitable[None]]) -> None:
        """Tornado looks the method up only after the body is read: ``answer`` takes its place."""
        setattr(self, (self.request.method or "get").lower(), answer)

    # --- input -------------------------------------------------------------------------------

    def read(self) -> Any:
        """The JSON (or, for webhooks, form) body structured into the route's request shape (None
        for a route without one); ``payload`` keeps the body as sent, for the idempotency
        fingerprint and the partial changes the admin use cases read field by field."""
        content_type = self.request.headers.get("Content-Type", "")
        assert self.operation is not None
        if self.operation.form and content_type.startswith("application/x-www-form-urlencoded"):
            self.payload = {name: values[-1].decode("utf-8", "replace")
                            for name, values in self.form_arguments().items()}
        else:
            self.payload = parse_json_object(self.raw_body)
        if self.operation.request is None:
            if self.operation.auth == "admin":  # takes no fields: any field is unknown (SPEC §17)
                refuse_fields(list(self.payload))
            return None
        if self.operation.auth == "admin":
            self.context.validator.refuse_unknown(self.payload, self.operation.request)
        return self.context.validator.structure(self.payload, self.operation.request)

    def body(self) -> dict[str, Any]:
        """The body as sent, once checked against the route's request shape."""
        self.read()
        return self.payload

    def query(self, name: str) -> str | None:
        """A query parameter as sent (Tornado's own reading would turn control characters into
        spaces): valid single-line text of at most 255 characters, else a 400 naming it."""
        values = self.request.query_arguments.get(name)
        if not values:
            return None
        try:
            raw = values[-1].decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{name} is not valid UTF-8 text", field=name) from None
        check_text(raw, name, max_length=MAX_QUERY_VALUE)
        return raw if raw != "" else None

    def page_request(self) -> PageRequest:
        return PageRequest(self._whole("page", 1), self._whole("per_page", 20))

    def _whole(self, name: str, default: int) -> int:
        raw = self.query(name)
        if raw is None:
            return default
        if not is_ascii_whole(raw.strip(), 9):
            raise ValidationError(f"{name} must be a whole number", field=name)
        return int(raw)

    # --- output ------------------------------------------------------------------------------

    def reply(self, answer: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> None:
        """Write an answer shape (or a list or dict of them and plain values) as JSON."""
        self.set_status(status)
        for name, value in (headers or {}).items():
            self.set_header(name, value)
        self.finish(dumps(answer))

    async def money_moving(self, action: Callable[[], Awaitable[T]],
                           render: Callable[[T], Rendered], payload: Any = None, *,
                           lane: str | None = None) -> None:
        """Run a money-moving action once per ``Idempotency-Key`` (when the client sends one):
        a repeat with the same body gets the stored answer; with another body, 409. With
        ``lane``, a keyed request is batched with that wallet's other charges (``Units.in_lane``)."""
        key = self.request.headers.get("Idempotency-Key")
        if key is not None and not _SANE_IDEMPOTENCY_KEY.fullmatch(key.strip()):
            raise ValidationError("Idempotency-Key must be 1 to 255 printable ASCII characters",
                                  field="Idempotency-Key")
        if key is None:
            status, body = render(await action())
            self.reply(body, status)
            return
        request = IdempotencyRequest(self.user_id, key.strip(), self.request.method or "POST",
                                     self.request.path, fingerprint(payload))

        def store(result: T) -> StoredResponse:
            status, body = render(result)
            return StoredResponse(status, dumps(body))

        stored = await self.hamyon.idempotency.run(request, action, store, lane=lane)
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
        if self._committed:
            answer = committed_anyway(answer, list(self._committed))
        asked = self.request.headers.get("Accept-Language")
        if asked and isinstance(answer.body.get("error"), str):  # English unless asked otherwise
            translated = error_text(answer.body["error"], negotiate(asked, "en"))
            answer = ErrorAnswer(answer.status, {**answer.body, "error": translated})
        if isinstance(error, GatewayInactive) and not self.context.config.production:
            answer = ErrorAnswer(answer.status, {**answer.body, "hint": activation_hint(
                str(error.details.get("gateway", "")))})
        self.set_status(answer.status)
        self.finish(encode(answer.body))

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, (DomainError, HttpError, tornado.web.HTTPError)):
            return
        log.error("unhandled_error", request_id=self.request_id, method=self.request.method,
                  path=self.request.path, exc_info=(typ, value, tb))

    def on_finish(self) -> None:
        elapsed = time.perf_counter() - getattr(self, "_started", time.perf_counter())
        # A method the path does not serve (a 405) is logged and counted with the path's route.
        served = self.operation or next(iter(self.operations.values()), None)
        route = served.path if served else "unrouted"
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
