"""The OpenAPI document and the server come from one route table: neither can drift."""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import UUID

import pytest
import tornado.web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domain.events import EVENT_TYPES
from entrypoints.http.app import make_app
from entrypoints.http.auth import TokenIssuer, TokenVerifier
from entrypoints.http.context import HttpConfig
from entrypoints.http.errors import HttpError
from entrypoints.http.i18n import negotiate, status_display
from entrypoints.http.jsonio import encode
from entrypoints.http.openapi import COMPONENTS, openapi_document
from entrypoints.http.table import ROUTES

HTTP_METHODS = ("get", "post", "patch", "put", "delete")


def _served(app: tornado.web.Application) -> dict[str, set[str]]:
    """Path template → methods whose handler really implements them."""
    served: dict[str, set[str]] = {}
    for rule in app.wildcard_router.rules:
        pattern = rule.matcher.regex.pattern.strip("^$").replace("\\", "")
        path = re.sub(r"\(\?P<([a-z_]+)>\[\^/\]\+\)", r"{\1}", pattern)
        handler = rule.target
        served[path] = {m.upper() for m in HTTP_METHODS
                        if getattr(handler, m) is not getattr(tornado.web.RequestHandler, m)}
    return served


def test_every_served_method_is_documented_and_every_documented_one_served():
    app = make_app(object(), HttpConfig(jwt_secret="x" * 40))  # type: ignore[arg-type]
    served = {path: methods for path, methods in _served(app).items()
              if not path.startswith("/admin/")}  # the console's HTML pages (SPEC §16), not the API
    documented = {path: {m.upper() for m in item} for path, item in
                  openapi_document(ROUTES)["paths"].items()}
    assert served == documented


def test_the_document_is_openapi_31_and_every_reference_resolves():
    document = openapi_document(ROUTES)
    assert document["openapi"] == "3.1.0"
    text = encode(document)
    for name in re.findall(r'"#/components/schemas/([A-Za-z]+)"', text):
        assert name in COMPONENTS, name
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], (method, path)
            if operation["security"]:
                assert "401" in operation["responses"], (method, path)


def test_money_and_decimals_are_written_digit_for_digit():
    body = encode({"amount": Decimal("50000.00"), "rials": Decimal("100000"),
                   "big": Decimal("1E+3"), "id": UUID(int=1), "name": "Shifokor ko'rish",
                   "fa": "تکمیل شده", "none": None, "flag": True, "time": 0.234})
    assert '"amount":50000.00' in body
    assert '"rials":100000' in body and '"big":1000' in body
    assert '"fa":"تکمیل شده"' in body
    assert '"time":0.234' in body


def test_accept_language_picks_the_best_supported_language():
    assert negotiate(None) == "uz"
    assert negotiate("", default="fa") == "fa"
    assert negotiate("ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert negotiate("de, en;q=0.5") == "en"
    assert negotiate("en;q=0.3, fa;q=0.7") == "fa"
    assert negotiate("de, fr") == "uz"
    assert status_display("processing", "fa") == "در حال پردازش"
    assert status_display("completed", "fa") == "تکمیل شده"
    assert status_display("pending", "uz") == "kutilmoqda"


def _pem(private_key) -> tuple[str, str]:
    private = private_key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    public = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_public_key_tokens_verify_and_hs256_ones_are_refused_then(algorithm):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256" \
        else ec.generate_private_key(ec.SECP256R1())
    private, public = _pem(key)
    verifier = TokenVerifier(public_key=public)
    token = TokenIssuer(private, algorithm).issue("42", admin=True)
    assert verifier.principal(f"Bearer {token}").user_id == "42"
    assert verifier.principal(f"Bearer {token}").is_admin
    forged = TokenIssuer("x" * 40).issue("42", admin=True)
    with pytest.raises(HttpError) as refused:
        verifier.principal(f"Bearer {forged}")
    assert refused.value.status == 401


def test_the_document_describes_each_event_delivered_to_the_platform():
    webhooks = openapi_document(ROUTES)["webhooks"]
    assert set(webhooks) == set(EVENT_TYPES)
    for kind, item in webhooks.items():
        post = item["post"]
        body = post["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Event"}
        assert [h["name"] for h in post["parameters"]] == ["Hamyon-Event-Id", "Hamyon-Event-Type",
                                                           "Hamyon-Signature"], kind
    assert set(COMPONENTS["Event"]["required"]) == {"id", "type", "created_at", "user_id", "data"}
