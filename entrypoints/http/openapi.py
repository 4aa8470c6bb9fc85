"""The OpenAPI 3.1 document, generated from the route table and the shapes the server reads and
writes (``schemas``, ``admin_schemas``)."""

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
from entrypoints.http.routes import NONE, Route
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
    402: "Insufficient balance (`current_balance`, `required_amount`)",
    403: "Wallet blocked, or not an admin", 404: "Not found", 409: "State conflict or reused key",
    413: "Body over 64 KiB", 429: "A billing or rate limit",
    500: "A bug (carries `request_id`; `committed: true` when the request's change was made)",
    501: "Not implemented (gateway without adapter)", 502: "A gateway refused or did not answer",
    503: "Billing maintenance or storage unavailable",
}
ERROR_CONTENT = {"application/json": {"schema": ref("Error")}}


def openapi_document(routes: Iterable[Route], *, version: str = "0.1.0") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hamyon", "version": version,
                 "description": "Wallet, payments and pay-per-use billing on a double-entry ledger. "
                                "Money is a JSON number with exactly the currency's decimals. "
                                "Every string in a request is valid Unicode without control "
                                "characters (tab and line breaks only where a field says "
                                "`x-multiline`) and at most its `maxLength` (255 unless given); "
                                "numbers are ASCII digits. Otherwise: 400 naming the field."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "webhooks": _webhooks(),
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"}},
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
    operation: dict[str, Any] = {
        "operationId": route.operation_id, "summary": route.summary, "tags": [route.tag],
        "parameters": _parameters(route), "responses": _responses(route),
    }
    if route.description:
        operation["description"] = route.description
    operation["security"] = [] if route.auth == NONE else [{"bearerAuth": []}]
    if route.request is not None:
        content = {"application/json": {"schema": ref(route.request)}}
        if route.form:
            content["application/x-www-form-urlencoded"] = {"schema": ref(route.request)}
        operation["requestBody"] = {"required": True, "content": content}
    elif route.method in ("POST", "PATCH"):
        operation["requestBody"] = {"required": False, "content": {
            "application/json": {"schema": {"type": "object"}}}}
    return operation


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
                           "description": "Same key and body within 24 h: the stored answer"})
    parameters.append({"name": "Accept-Language", "in": "header", "required": False,
                       "schema": string(), "description": f"en, ru, uz or fa (default {route.language})"})
    return parameters


def _responses(route: Route) -> dict[str, Any]:
    headers: dict[str, Any] = {"X-Request-ID": {"schema": {"type": "string"}}}
    for name in route.headers:
        headers[name] = {"schema": {"type": "string"}}
    schema = ref(route.response) if route.response else (
        {"type": "object"} if route.media == "application/json" else {"type": "string"})
    responses: dict[str, Any] = {str(route.status): {
        "description": route.summary, "headers": headers, "content": {route.media: {"schema": schema}}}}
    for status in (*route.error_statuses, 500):
        responses[str(status)] = {"description": DESCRIPTIONS.get(status, "Error"),
                                  "content": ERROR_CONTENT}
    return responses
