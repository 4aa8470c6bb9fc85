"""Hostile requests for every field of every endpoint, read from the route table and the schemas
the OpenAPI document publishes, so a new field or route is covered without anyone listing it.

``cases(routes, components, ids)`` yields one ``Case`` per (endpoint, field, hostile value): a
string field gets lone surrogates, NUL, control characters and over-long text; a number field
gets integers past Python's int-string limit, exponents out of every range and digits that are
not ASCII; a query or path parameter the same through the URL. Each case says which field its
400 must name. ``LiveServer`` runs the whole service (every gateway's inbound protocol on) on its
own event loop in a thread, over any storage adapter, for plain blocking clients.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import tornado.httpserver
import tornado.testing
from attrs import define, field

from entrypoints.bootstrap import bootstrap
from entrypoints.http import HttpConfig, TokenIssuer, make_app
from entrypoints.http.app import make_server_options
from entrypoints.http.jsonio import encode
from entrypoints.http.routes import ADMIN, NONE, Route
from entrypoints.runtime import gateway_adapters, inbound_protocols
from entrypoints.settings import load_settings
from ports.storage import Storage

JWT_SECRET = "hostile-input-jwt-secret-long-enough-for-hs256"
PAYME_KEY = "payme-hostile-key"
GATEWAY_ENV = {
    "HAMYON_CLICK_SERVICE_ID": "30001", "HAMYON_CLICK_MERCHANT_ID": "40001",
    "HAMYON_CLICK_SECRET_KEY": "click-hostile-secret",
    "HAMYON_PAYME_MERCHANT_ID": "payme-merchant", "HAMYON_PAYME_KEY": PAYME_KEY,
    "PAYMENT_GATEWAY_URL": "http://127.0.0.1:9", "PAYMENT_API_KEY": "medogram-key",
    "PAYMENT_REDIRECT_URL": "https://example.com/back",
}

HOSTILE_TEXT: tuple[tuple[str, str], ...] = (
    ("lone_high_surrogate", "x\ud800"), ("lone_low_surrogate", "\udfff"), ("nul", "a\x00b"),
    ("bell", "a\x07b"), ("escape", "\x1b[31m"), ("delete", "a\x7f"), ("c1_next_line", "a\x85b"),
)
SINGLE_LINE_ONLY = (("crlf", "a\r\nLocation: https://evil.example/"), ("tab", "a\tb"))
# Raw JSON number tokens: past the 4,300-digit int limit, exponents out of range, tiny ones.
HOSTILE_NUMBERS = (("int_4301_digits", "1" + "0" * 4300), ("negative_5000_digits", "-" + "9" * 5000),
                   ("exponent_400", "1e400"), ("exponent_minus_400", "1e-400"))
FOREIGN_DIGITS = (("superscript_two", "²"), ("circled_one", "①"), ("fullwidth", "１２３"),
                  ("arabic_indic", "١٢٣"), ("devanagari", "१२"))
HOSTILE_PATH = (("nul", "%00"), ("carriage_return", "a%0Db"), ("surrogate_bytes", "%ED%A0%80"),
                ("too_long", "x" * 300))


@define
class Case:
    name: str
    method: str
    path: str
    field: str  # what the 400 must name ("" when the refusal cannot name it)
    body: bytes | None = None
    headers: dict[str, str] = field(factory=dict)
    auth: str = NONE


def resolve(schema: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def types_of(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


Field = tuple[str, Mapping[str, Any]]


def fields_of(schema: Mapping[str, Any], components: Mapping[str, Any]) -> Iterator[Field]:
    """Every leaf field of a request schema as (dotted name, schema); a free-form map's values
    are reached through the key ``uz``."""
    for name, sub in resolve(schema, components).get("properties", {}).items():
        sub = resolve(sub, components)
        if "object" in types_of(sub):
            extra = sub.get("additionalProperties")
            if isinstance(extra, Mapping):
                yield f"{name}.uz", resolve(extra, components)
            continue
        yield name, sub


def valid_value(schema: Mapping[str, Any]) -> Any:
    """A value the validator accepts for a required field (the case's own field comes first,
    so the refusal is about it)."""
    if "enum" in schema:
        return schema["enum"][0]
    types = types_of(schema)
    if "number" in types:
        return "10000"
    if "string" in types:
        return "https://example.com/x" if schema.get("format") == "uri" else "valid"
    if "integer" in types:
        return max(1, schema.get("minimum", 1))
    if "boolean" in types:
        return True
    return {}


def body_with(schema: Mapping[str, Any], components: Mapping[str, Any], dotted: str,
              raw_value: str) -> bytes:
    """The JSON body: ``dotted`` first, holding the raw JSON token ``raw_value``, then every other
    required field with a valid value."""
    resolved = resolve(schema, components)
    placeholder = "__HOSTILE_VALUE__"
    head, _, key = dotted.partition(".")
    payload: dict[str, Any] = {head: {key: placeholder} if key else placeholder}
    example = (resolved.get("examples") or [{}])[0]
    for name in resolved.get("required", ()):
        if name not in payload:
            payload[name] = example[name] if name in example else valid_value(
                resolve(resolved["properties"][name], components))
    return encode(payload).replace(f'"{placeholder}"', raw_value).encode()


def _text_cases(schema: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    yield from HOSTILE_TEXT
    if not schema.get("x-multiline"):
        yield from SINGLE_LINE_ONLY
    limit = schema.get("maxLength", 255)
    yield "one_past_max_length", "x" * (limit + 1)
    yield "huge", "x" * 60_000


def body_cases(route: Route, path: str, components: Mapping[str, Any]) -> Iterator[Case]:
    assert route.request is not None
    schema = components[route.request]
    for dotted, sub in fields_of(schema, components):
        types = types_of(sub)
        values: list[tuple[str, str]] = []
        if "string" in types:
            values += [(name, json.dumps(text)) for name, text in _text_cases(sub)]
        if "number" in types or "integer" in types:
            values += list(HOSTILE_NUMBERS)
            values.append(("boolean", "true"))
        if "number" in types and "string" in types:  # amounts and percentages as text
            values += [(name, json.dumps(text)) for name, text in FOREIGN_DIGITS]
        for name, raw in values:
            yield Case(f"{route.method} {route.path} body.{dotted} {name}", route.method, path,
                       dotted, body_with(schema, components, dotted, raw),
                       {"Content-Type": "application/json"}, route.auth)


def query_cases(route: Route, path: str) -> Iterator[Case]:
    for query in route.query:
        values: list[tuple[str, str]] = [
            (name, quote(text.encode("utf-8", "surrogatepass"), safe=""))
            for name, text in HOSTILE_TEXT + SINGLE_LINE_ONLY] + [("too_long", "x" * 256)]
        if query.schema.get("type") == "integer":
            values += [(name, quote(text)) for name, text in FOREIGN_DIGITS]
            values += [("fraction", "1.5"), ("twenty_digits", "9" * 20), ("negative", "-1")]
        for name, raw in values:
            yield Case(f"{route.method} {route.path} query.{query.name} {name}", route.method,
                       f"{path}?{query.name}={raw}", query.name, auth=route.auth)


def path_cases(route: Route, params: Mapping[str, str]) -> Iterator[Case]:
    for param in route.path_params:
        for name, raw in HOSTILE_PATH:
            path = fill(route.path, {**params, param: raw})
            # Bytes that are not UTF-8 are refused by Tornado before any handler: a 400 without a field.
            named = "" if name == "surrogate_bytes" else param
            yield Case(f"{route.method} {route.path} path.{param} {name}", route.method, path, named,
                       b"{}" if route.method in ("POST", "PATCH") else None,
                       {"Content-Type": "application/json"}, route.auth)


def header_cases(route: Route, path: str, components: Mapping[str, Any]) -> Iterator[Case]:
    if not route.idempotent:
        return
    body = b"{}" if route.request is None else json.dumps(
        {name: valid_value(resolve(resolve(components[route.request], components)["properties"][name],
                                   components))
         for name in resolve(components[route.request], components).get("required", ())}).encode()
    for name, key in (("empty", " "), ("too_long", "k" * 256), ("non_ascii", "ключ"), ("tab", "a\tb")):
        yield Case(f"{route.method} {route.path} Idempotency-Key {name}", route.method, path,
                   "Idempotency-Key", body, {"Content-Type": "application/json",
                                             "Idempotency-Key": key}, route.auth)


def fill(template: str, params: Mapping[str, str]) -> str:
    for name, value in params.items():
        template = template.replace("{" + name + "}", value)
    return template


def cases(routes: tuple[Route, ...], components: Mapping[str, Any],
          params: Mapping[str, str]) -> Iterator[Case]:
    """Every hostile case of every route: body fields, query and path parameters, headers."""
    for route in routes:
        if route.tag == "webhooks":
            continue  # the gateways' own protocols answer in their own shapes (tested apart)
        path = fill(route.path, params)
        if route.request is not None:
            yield from body_cases(route, path, components)
        yield from query_cases(route, path)
        yield from path_cases(route, params)
        yield from header_cases(route, path, components)


@define
class Answer:
    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class LiveServer:
    """The service on its own loop in a thread; ``call`` is a blocking raw HTTP request."""

    def __init__(self, open_storage: Callable[[], AbstractAsyncContextManager[Storage]]) -> None:
        self._open_storage = open_storage
        self.loop = asyncio.new_event_loop()
        self.issuer = TokenIssuer(JWT_SECRET)
        self.port = 0
        self.hamyon: Any = None

    def start(self) -> None:
        ready, failed = threading.Event(), []

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(self._start())
            except BaseException as error:  # reported to the starting thread
                failed.append(error)
            ready.set()
            if not failed:
                self.loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        assert ready.wait(60), "the server did not start"
        if failed:
            raise failed[0]

    async def _start(self) -> None:
        settings = load_settings({"HAMYON_JWT_SECRET": JWT_SECRET, **GATEWAY_ENV},
                                 dotenv=Path("/nonexistent/.env"))
        self._storage_context = self._open_storage()
        storage = await self._storage_context.__aenter__()
        adapters = gateway_adapters(settings)
        self.hamyon = await bootstrap(storage=storage, gateways=adapters, retry=None,
                                      active_gateways={adapter.name for adapter in adapters},
                                      config=settings.service_config())
        app = make_app(self.hamyon, HttpConfig(jwt_secret=JWT_SECRET),
                       inbound=inbound_protocols(settings, self.hamyon))
        sock, self.port = tornado.testing.bind_unused_port()
        self._server = tornado.httpserver.HTTPServer(app, **make_server_options())  # as served
        self._server.add_socket(sock)

    def run(self, coroutine: Any) -> Any:
        """Run a coroutine (a facade call) on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(60)

    def stop(self) -> None:
        async def stop() -> None:
            self._server.stop()
            await self.hamyon.close()
            await self._storage_context.__aexit__(None, None, None)

        self.run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)

    def token(self, auth: str) -> str:
        return self.issuer.issue("alice" if auth != ADMIN else "root", admin=auth == ADMIN)

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, auth: str = NONE) -> Answer:
        sent = dict(headers or {})
        if auth != NONE:
            sent.setdefault("Authorization", f"Bearer {self.token(auth)}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value.encode("utf-8"))
            data = body if body is not None else (b"" if method in ("POST", "PATCH") else None)
            if data is not None:
                connection.putheader("Content-Length", str(len(data)))
            connection.endheaders(data)
            response = connection.getresponse()
            return Answer(response.status, response.read())
        finally:
            connection.close()
