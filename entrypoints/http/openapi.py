"""The OpenAPI 3.1 document, generated from the route table and the shapes the server reads and
writes (``schemas``, ``admin_schemas``), with each operation's description and examples from
``docs`` and the headers its route's fields imply (``idempotent``, ``scope``, ``headers``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.events import EVENT_TYPES
from entrypoints.http import (  # noqa: F401 - they declare the components
    admin_schemas,
    api_key_schemas,
    hold_schemas,
    schemas,
    webhook_schemas,
)
from entrypoints.http.docs import DOCS, ERROR_EXAMPLES
from entrypoints.http.routes import ADMIN, NONE, Route
from entrypoints.http.schema_types import S, ref, string, uuid_string
from entrypoints.http.wire import COMPONENTS as SHAPES
from entrypoints.http.wire import Request, schema_of

COMPONENTS: dict[str, S] = {name: schema_of(shape) for name, shape in SHAPES.items()}
REQUESTS = {name: shape for name, shape in SHAPES.items()
            if isinstance(shape, type) and issubclass(shape, Request)}
PATH_PARAMS: dict[str, S] = {
    "payment_id": uuid_string(), "transaction_id": uuid_string(), "user_id": string(128),
    "name": string(32), "service_type": string(64), "doctor_id": string(64), "asset": string(64),
    "webhook_id": uuid_string(), "event_id": string(64), "hold_id": uuid_string(),
    "api_key_id": uuid_string(),
}
DESCRIPTIONS = {
    400: "Bad input; `field` names what was wrong", 401: "Missing, invalid or expired token",
    402: "Insufficient balance (`current_balance`, `required_amount`, `currency`)",
    403: "Wallet blocked (`wallet_blocked`), not an admin (`not_admin`), or a platform key "
         "without the route's scope (`scope_missing`)",
    404: "Not found", 409: "State conflict (`invalid_state_transition`, `hold_not_active`, …) or "
                           "an Idempotency-Key reused with another body (`idempotency_conflict`)",
    413: "Body over 64 KiB", 429: "A billing or rate limit",
    500: "A bug (carries `request_id`; `committed: true` when the request's change was made)",
    501: "Not implemented (gateway without adapter)", 502: "A gateway refused or did not answer",
    503: "Billing maintenance, storage unavailable, or `outcome_unknown`: the database's answer "
         "to the commit was lost, so the change may or may not have been made (repeat it with "
         "the same Idempotency-Key)",
}
INTRODUCTION = (
    "Wallet, payments and pay-per-use billing on a double-entry ledger. Money is a JSON number "
    "with exactly the currency's decimals. Every string in a request is valid Unicode without "
    "control characters (tab and line breaks only where a field says `x-multiline`) and at most "
    "its `maxLength` (255 unless given); numbers are ASCII digits. Otherwise: 400 naming the "
    "field.\n\n"
    "A user's JWT (`Authorization: Bearer <jwt>`) acts for its `sub`; `role: admin` opens the "
    "admin API. A platform key (`Bearer hk_…`, from `POST /api/admin/api-keys/`) acts for the user "
    "in `Hamyon-User`, on the routes of its scopes only. Every error answer is the `Error` shape, "
    "`{\"success\": false, \"error\": …, \"code\": …}` with the details beside, its message "
    "in the `Accept-Language` language where one is written; every answer carries X-Request-ID. "
    "The examples work as printed on a development server (`hamyon serve`, sandbox gateway).")
RESPONSE_HEADERS: dict[str, S] = {
    "X-Request-ID": {"description": "This request's id: the client's own X-Request-ID when it "
                                    "sent a sane one, else a new one; in the log line and in a "
                                    "500's body", "schema": string(128)},
    "Idempotent-Replayed": {"description": "`true` when this is the stored answer of an earlier "
                                           "request with the same Idempotency-Key: nothing was "
                                           "done again", "schema": string(8, enum=("true",))},
    "X-Total-Count": {"description": "How many items there are across all pages",
                      "schema": {"type": "integer", "minimum": 0}},
    "Location": {"description": "Where the client is sent next",
                 "schema": {"type": "string", "format": "uri-reference"}},
}


def openapi_document(routes: Iterable[Route], *, version: str = "0.1.0") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hamyon", "version": version, "description": INTRODUCTION},
        "servers": [{"url": "/"}],
        "paths": paths,
        "webhooks": _webhooks(),
        "components": {
            "schemas": COMPONENTS,
            "headers": RESPONSE_HEADERS,
            "responses": {_error_name(status): _error(status) for status in DESCRIPTIONS},
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                               "description": "The platform's JWT for a user (`sub`), with "
                                              "`role: admin` for the admin API"},
                "platformKey": {"type": "http", "scheme": "bearer", "bearerFormat": "hk_…",
                                "description": "A platform key: acts for the user in "
                                               "Hamyon-User, on the routes of its scopes"}},
        },
    }


def _webhooks() -> dict[str, Any]:
    """What Hamyon posts to the platform's endpoints: one entry per event type (SPEC §12)."""
    headers = [
        {"name": "Hamyon-Event-Id", "in": "header", "required": True, "schema": string(64),
         "description": "evt_<uuid>: the same on every retry (deduplicate on it)"},
        {"name": "Hamyon-Event-Type", "in": "header", "required": True, "schema": string(32)},
        {"name": "Hamyon-Signature", "in": "header", "required": True, "schema": string(1024),
         "description": 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>, one v1 '
                        "per active secret; refuse a t older than 5 minutes"},
    ]
    return {kind: {"post": {
        "operationId": f"event_{kind.replace('.', '_')}", "summary": f"The {kind} event",
        "parameters": headers,
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("Event")}}},
        "responses": {"2XX": {"description": "Delivered; anything else (or no answer within 10 s) is "
                                             "retried with backoff for 3 days"}},
    }} for kind in EVENT_TYPES}


def _operation(route: Route) -> dict[str, Any]:
    doc = DOCS.get(route.operation_id, {})
    operation: dict[str, Any] = {
        "operationId": route.operation_id, "summary": route.summary, "tags": [route.tag],
        "parameters": _parameters(route), "responses": _responses(route, doc),
    }
    description = "\n\n".join(text for text in (doc.get("description"), route.description) if text)
    if description:
        operation["description"] = description
    operation["security"] = _security(route)
    if route.request is not None or route.method in ("POST", "PATCH"):
        operation["requestBody"] = _request_body(route, doc.get("request_example"))
    return operation


def _security(route: Route) -> list[dict[str, list[str]]]:
    if route.auth == NONE:
        return []
    return [{"bearerAuth": []}, {"platformKey": []}] if route.scope else [{"bearerAuth": []}]


def _request_body(route: Route, example: Any) -> dict[str, Any]:
    """The route's request shape (or, without one, an optional object: most such bodies are
    empty); form routes take the same fields form-encoded."""
    schema = ref(route.request) if route.request else {"type": "object"}
    media = ("application/json", "application/x-www-form-urlencoded") if route.form else (
        "application/json",)
    if example is None and route.request is None:
        example = {}
    shown = {"example": example} if example is not None else {}
    return {"required": route.request is not None,
            "content": {kind: {"schema": schema, **shown} for kind in media}}


def _parameters(route: Route) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAMS[name]}
        for name in route.path_params]
    parameters += [{"name": q.name, "in": "query", "required": False, "schema": q.schema,
                    **({"description": q.description} if q.description else {})}
                   for q in route.query]
    if route.idempotent:
        parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": string(255, min_length=1),
                           "description": "Makes a retry safe: the same key and body within 24 h "
                                          "get the first answer again (Idempotent-Replayed: true) "
                                          "and nothing is done twice; the same key with another "
                                          "body is 409 `idempotency_conflict`. 1 to 255 printable "
                                          "ASCII characters, per caller"})
    if route.scope and route.auth != ADMIN:
        parameters.append({"name": "Hamyon-User", "in": "header", "required": False,
                           "schema": string(128, min_length=1),
                           "description": f"With a platform key holding the `{route.scope}` scope "
                                          "(`Authorization: Bearer hk_…`): the user the key acts "
                                          "for (400 naming the header when missing). Not read "
                                          "with a user's JWT"})
    parameters.append({"name": "Accept-Language", "in": "header", "required": False,
                       "schema": string(), "description": "The language of messages and "
                       f"`status_display`: uz, ru, en or fa, q-values honoured (default {route.language})"})
    return parameters


def _responses(route: Route, doc: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {str(route.status): _success(route, doc.get("response_example"))}
    if doc.get("redirect"):
        responses["303"] = {"description": doc["redirect"], "headers": _headers("Location")}
    for status in (*route.error_statuses, 500):
        responses[str(status)] = {"$ref": f"#/components/responses/{_error_name(status)}"} \
            if status in DESCRIPTIONS else _error(status)
    return responses


def _error_name(status: int) -> str:
    return f"Error{status}"


def _error(status: int) -> dict[str, Any]:
    """An error answer: the one ``Error`` shape, with the status's usual code as its example."""
    example = {"example": ERROR_EXAMPLES[status]} if status in ERROR_EXAMPLES else {}
    return {"description": DESCRIPTIONS.get(status, "Error"), "headers": _headers(),
            "content": {"application/json": {"schema": ref("Error"), **example}}}


def _success(route: Route, example: Any) -> dict[str, Any]:
    """The success answer: its shape, example and headers (a 303 has no body, only Location)."""
    named = (*(("Idempotent-Replayed",) if route.idempotent else ()), *route.headers)
    if route.status == 303:
        return {"description": route.summary, "headers": _headers("Location", *named)}
    schema = ref(route.response) if route.response else (
        {"type": "object"} if route.media == "application/json" else {"type": "string"})
    shown = {"example": example} if example is not None else {}
    return {"description": route.summary, "headers": _headers(*named),
            "content": {route.media: {"schema": schema, **shown}}}


def _headers(*names: str) -> dict[str, Any]:
    """X-Request-ID (on every answer) and the named response headers."""
    return {name: {"$ref": f"#/components/headers/{name}"} if name in RESPONSE_HEADERS
            else {"schema": {"type": "string"}} for name in ("X-Request-ID", *names)}
