"""The OpenAPI document tells a newcomer enough to call each operation: what it does, an example
of its body and of its answer, its error answers and the headers it reads and writes."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from entrypoints.http.docs import DOCS
from entrypoints.http.jsonio import encode
from entrypoints.http.openapi import openapi_document
from entrypoints.http.routes import ADMIN, NONE, Route
from entrypoints.http.table import ROUTES

DOCUMENT: dict[str, Any] = json.loads(encode(openapi_document(ROUTES)))
BY_ID = {route.operation_id: route for route in ROUTES}
OPERATIONS = [(method, path, operation) for path, item in DOCUMENT["paths"].items()
              for method, operation in item.items()]
IDS = [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


def resolved(item: dict[str, Any]) -> dict[str, Any]:
    """A ``$ref`` to ``#/components/...`` followed; anything else as it is."""
    while "$ref" in item:
        target: Any = DOCUMENT
        for part in item["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        item = target
    return item


def loosened(schema: Any) -> Any:
    """The schema without its ``required`` lists: the shapes grow fields while the examples are
    kept (``test_openapi_examples`` compares them with real answers), but a field an example
    does show must have the declared type, format and values."""
    if isinstance(schema, dict):
        return {key: loosened(value) for key, value in schema.items() if key != "required"}
    if isinstance(schema, list):
        return [loosened(value) for value in schema]
    return schema


COMPONENTS = loosened(DOCUMENT["components"])


def valid(example: Any, schema: dict[str, Any]) -> bool:
    """``example`` conforms to ``schema`` (JSON Schema 2020-12, the document's components)."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **loosened(schema),
            "components": COMPONENTS}
    return bool(jsonschema_rs.validator_for(root).is_valid(example))


def route_of(operation: dict[str, Any]) -> Route:
    return BY_ID[operation["operationId"]]


def header_names(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation["parameters"] if p["in"] == "header"]


def test_every_operation_is_described_and_no_description_is_stale():
    assert set(DOCS) == set(BY_ID), "docs.DOCS must describe exactly the routed operations"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_operation_says_what_it_does(method, path, operation):
    assert operation["summary"].strip()
    description = operation.get("description", "")
    assert len(description) >= 60 and description != operation["summary"], \
        "a description says what it does, who may call it, what it changes"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_body_and_success_answer_has_an_example_of_its_shape(method, path, operation):
    route = route_of(operation)
    for media, content in operation.get("requestBody", {}).get("content", {}).items():
        assert "example" in content, f"request body {media}"
        assert valid(content["example"], content["schema"]), f"request example of {media}"
    success = operation["responses"][str(route.status)]
    for media, content in success.get("content", {}).items():
        assert "example" in content, f"success answer {media}"
        assert valid(content["example"], content["schema"]), f"answer example of {media}"
    if route.status != 303:
        assert success.get("content"), "a success answer with a body shows it"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_error_status_is_listed_with_the_error_shape_and_an_example(method, path, operation):
    route = route_of(operation)
    expected = {*route.errors, 500}
    if route.auth != NONE:
        expected.add(401)
    if route.auth == ADMIN:
        expected.add(403)
    if route.request is not None:
        expected |= {400, 413}
    if route.idempotent:
        expected |= {400, 409}
    listed = {int(status) for status in operation["responses"] if 400 <= int(status) < 600}
    assert expected <= listed
    for status in listed:
        answer = resolved(operation["responses"][str(status)])
        content = answer["content"]["application/json"]
        assert answer["description"].strip()
        assert content["schema"] == {"$ref": "#/components/schemas/Error"}
        assert content["example"]["success"] is False and content["example"]["code"]
        assert valid(content["example"], content["schema"])


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_operation_documents_the_headers_it_reads(method, path, operation):
    route = route_of(operation)
    headers = header_names(operation)
    assert "Accept-Language" in headers
    assert ("Idempotency-Key" in headers) == route.idempotent
    # A platform key names the user it acts for on a user's route; on an admin route it acts
    # as itself (api-key:<name>).
    assert ("Hamyon-User" in headers) == bool(route.scope and route.auth != ADMIN)
    for parameter in operation["parameters"]:
        if parameter["in"] == "header":
            assert parameter.get("description", "").strip(), parameter["name"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_each_answer_documents_the_headers_it_writes(method, path, operation):
    route = route_of(operation)
    for status, answer in operation["responses"].items():
        headers = resolved(answer)["headers"]
        assert "X-Request-ID" in headers, status
        for header in headers.values():
            assert resolved(header).get("description", "").strip()
    success = operation["responses"][str(route.status)]["headers"]
    assert ("Idempotent-Replayed" in success) == route.idempotent
    for name in route.headers:
        assert name in success
    if route.status == 303:
        assert "Location" in success


def test_listed_answers_document_their_total_count():
    history = DOCUMENT["paths"]["/api/payments/history/"]["get"]
    assert "X-Total-Count" in history["responses"]["200"]["headers"]


def test_a_platform_key_is_a_way_in_exactly_where_a_scope_opens_the_route():
    for _, _, operation in OPERATIONS:
        route = route_of(operation)
        schemes = {name for requirement in operation["security"] for name in requirement}
        assert ("platformKey" in schemes) == bool(route.scope), operation["operationId"]


def test_create_payment_examples_use_the_sandbox_and_write_amounts_as_the_api_does():
    text = encode(openapi_document(ROUTES))
    create = DOCUMENT["paths"]["/api/payments/create/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["example"]
    assert body["gateway"] == "sandbox"
    assert '"amount":50000.00' in text
    answer = create["responses"]["201"]["content"]["application/json"]["example"]
    assert answer["payment"]["currency"] == "UZS"
