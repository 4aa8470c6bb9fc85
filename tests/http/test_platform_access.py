"""Platform access (SPEC §15) through a real server: required ``aud``/``iss``, an identity
provider's JWKS on loopback (fetched again on an unknown ``kid``), scoped platform keys acting for
a user, and CORS for the platform's browser front end."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from typing import Any

import jwt
import tornado.web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from entrypoints.http import HttpConfig, TokenIssuer
from entrypoints.http.auth import JwksKeys
from tests.http.conftest import SECRET
from tests.http.loopback import serving

ORIGIN = "https://app.platform.example"
WALLET = "/api/payments/wallet/balance/"


async def test_with_an_audience_and_issuer_set_a_token_must_name_both(api):
    config = HttpConfig(jwt_secret=SECRET, jwt_audience="hamyon", jwt_issuer="https://id.example")
    issuer = TokenIssuer(SECRET)
    tokens = {
        "both": issuer.issue("alice", aud="hamyon", iss="https://id.example"),
        "no aud": issuer.issue("alice", iss="https://id.example"),
        "other aud": issuer.issue("alice", aud="billing", iss="https://id.example"),
        "no iss": issuer.issue("alice", aud="hamyon"),
        "other iss": issuer.issue("alice", aud="hamyon", iss="https://evil.example"),
    }
    async with api(http=config) as server:
        answers = {name: (await server.get(WALLET, headers={"Authorization": f"Bearer {token}"})).status
                   for name, token in tokens.items()}
    assert answers == {"both": 200, "no aud": 401, "other aud": 401, "no iss": 401, "other iss": 401}


def private_pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_jwk(key: Any, kid: str, algorithm: str) -> dict[str, Any]:
    codec = jwt.algorithms.RSAAlgorithm if algorithm == "RS256" else jwt.algorithms.ECAlgorithm
    found = json.loads(codec.to_jwk(key.public_key()))
    return {**found, "kid": kid, "alg": algorithm, "use": "sig"}


class Keys(tornado.web.RequestHandler):
    def initialize(self, published: dict[str, Any]) -> None:
        self.published = published

    def get(self) -> None:
        self.published["fetches"] += 1
        self.finish({"keys": self.published["keys"]})


@asynccontextmanager
async def identity_provider(keys: list[dict[str, Any]]):
    published = {"keys": keys, "fetches": 0}
    app = tornado.web.Application([(r"/.well-known/jwks.json", Keys, {"published": published})])
    async with serving(app) as url:
        yield f"{url}/.well-known/jwks.json", published


async def test_tokens_signed_with_the_providers_published_keys_pass_and_a_new_kid_is_fetched(api):
    first = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rotated = ec.generate_private_key(ec.SECP256R1())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    async with identity_provider([public_jwk(first, "k1", "RS256")]) as (url, published), \
            api(http=HttpConfig(jwt_jwks_url=url, jwks_refetch_seconds=0.0)) as server:
        def bearer(key: Any, kid: str, algorithm: str = "RS256") -> dict[str, str]:
            token = TokenIssuer(private_pem(key), algorithm).issue("alice", kid=kid)
            return {"Authorization": f"Bearer {token}"}

        before = (await server.get(WALLET, headers=bearer(first, "k1"))).status
        again = (await server.get(WALLET, headers=bearer(first, "k1"))).status
        fetched_once = published["fetches"]
        published["keys"] = [*published["keys"], public_jwk(rotated, "k2", "ES256")]
        new_kid = (await server.get(WALLET, headers=bearer(rotated, "k2", "ES256"))).status
        fetched_for_k2 = published["fetches"]
        forged = (await server.get(WALLET, headers=bearer(stranger, "k1"))).status
        unknown = (await server.get(WALLET, headers=bearer(stranger, "x1"))).status
        hs256 = (await server.get(WALLET, headers={"Authorization": f"Bearer {server.token()}"})).status
    assert (before, again, fetched_once) == (200, 200, 1)
    assert (new_kid, fetched_for_k2) == (200, 2)  # the unknown k2 fetched the keys again
    assert (forged, unknown, hs256) == (401, 401, 401)


async def test_unknown_kids_fetch_the_keys_again_at_most_every_refetch_interval():
    now = [0.0]
    fetches: list[str] = []
    jwk = public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048), "k1", "RS256")

    async def fetch(url: str) -> bytes:
        fetches.append(url)
        return json.dumps({"keys": [jwk]}).encode()

    keys = JwksKeys("https://id.example/jwks", fetch=fetch, clock=lambda: now[0], refetch_seconds=10)
    found = [await keys.key("k1"), await keys.key("k1")]
    missing = [await keys.key(f"x{n}") for n in range(20)]  # made-up kids, one after another
    fetched_at_once = len(fetches)
    now[0] = 10.0
    later = await keys.key("x99")
    assert all(found) and missing == [None] * 20 and later is None
    assert (fetched_at_once, len(fetches)) == (1, 2)


async def make_key(server, scopes: list[str], name: str = "backend") -> tuple[str, dict]:
    created = await server.call("POST", "/api/admin/api-keys/", user="root", admin=True,
                                json_body={"name": name, "scopes": scopes})
    assert created.status == 201, created.text
    return created.json["key"], created.json["api_key"]


def as_key(key: str, user: str | None = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **({"Hamyon-User": user} if user else {})}


async def test_a_platform_key_acts_for_the_named_user_within_its_scopes_only(api):
    async with api() as server:
        await server.fund("alice", "100000")
        key, shown = await make_key(server, ["charges", "read"])
        charge = {"service_type": "consultation"}
        charged = await server.call("POST", "/api/payments/billing/charge/", headers=as_key(key),
                                    json_body=charge)
        balance = await server.get(WALLET, headers=as_key(key))
        other = await server.get(WALLET, headers=as_key(key, "bob"))
        no_user = await server.get(WALLET, headers=as_key(key, None))
        hold = await server.call("POST", "/api/payments/billing/holds/", headers=as_key(key),
                                 json_body=charge)
        topup = await server.call("POST", "/api/payments/create/", headers=as_key(key),
                                  json_body={"gateway": "click", "amount": 20000})
        admin = await server.get("/api/admin/payments/", headers=as_key(key))
        listed = await server.call("GET", "/api/admin/api-keys/", user="root", admin=True)
    assert key.startswith("hk_") and len(key) > 40 and shown["scopes"] == ["charges", "read"]
    assert charged.status == 200 and charged.json["amount_charged"] == 50000
    assert balance.json["balance"] == 50000 and other.json["balance"] == 0
    assert (no_user.status, no_user.json["field"]) == (400, "Hamyon-User")
    assert [(r.status, r.json["code"]) for r in (hold, topup, admin)] == [(403, "scope_missing")] * 3
    assert key not in listed.text and listed.json["api_keys"][0]["last_used_at"] is not None


async def test_a_revoked_key_is_refused_at_once_and_an_unknown_one_never_worked(api):
    async with api() as server:
        key, shown = await make_key(server, ["read"])
        before = (await server.get(WALLET, headers=as_key(key))).status
        revoked = await server.call("DELETE", f"/api/admin/api-keys/{shown['id']}/", user="root",
                                    admin=True)
        after = await server.get(WALLET, headers=as_key(key))
        unknown = await server.get(WALLET, headers=as_key("hk_" + "x" * 43))
        not_admin = await server.call("POST", "/api/admin/api-keys/", json_body={
            "name": "mine", "scopes": ["read"]})
        by_key = await server.call("POST", "/api/admin/api-keys/", headers=as_key(key),
                                   json_body={"name": "mine", "scopes": ["read"]})
    assert before == 200 and revoked.json["api_key"]["revoked_at"] is not None
    assert (after.status, unknown.status) == (401, 401)
    assert not_admin.status == 403 and by_key.status == 401


async def test_the_refunds_scope_opens_charge_refunds_and_nothing_else_of_the_admin_api(api):
    async with api() as server:
        await server.fund("alice", "100000")
        charged = (await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})).json
        key, _ = await make_key(server, ["refunds"], name="support desk")
        refunded = await server.call("POST", f"/api/admin/charges/{charged['transaction_id']}/refund/",
                                     headers=as_key(key, None), json_body={"reason": "not delivered"})
        other_admin = await server.get("/api/admin/billing/settings/", headers=as_key(key, None))
        wallet = await server.get(WALLET, headers=as_key(key))
        audit = [entry.actor for entry in await server.hamyon.units.read(
            lambda uow: uow.reports.recent_audit(10))]
    assert refunded.status == 200, refunded.text
    assert [(r.status, r.json["code"]) for r in (other_admin, wallet)] == [(403, "scope_missing")] * 2
    assert "api-key:support desk" in audit


async def test_bad_key_requests_are_refused_naming_the_field(api):
    async with api() as server:
        answers = [await server.call("POST", "/api/admin/api-keys/", user="root", admin=True,
                                     json_body=body)
                   for body in ({"name": "x", "scopes": ["charges", "admin"]}, {"name": "x", "scopes": []},
                                {"name": "", "scopes": ["read"]}, {"scopes": ["read"]})]
    assert [(a.status, a.json.get("field")) for a in answers] == [
        (400, "scopes"), (400, "scopes"), (400, "name"), (400, "name")]


async def test_an_allowed_origin_gets_its_preflight_and_reads_the_answer_others_do_not(api):
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}
    async with api(http=HttpConfig(jwt_secret=SECRET, cors_origins=(ORIGIN,))) as server:
        allowed = await server.call("OPTIONS", "/api/payments/billing/charge/", user=None,
                                    headers=preflight)
        other = await server.call("OPTIONS", "/api/payments/billing/charge/", user=None,
                                  headers={**preflight, "Origin": "https://evil.example"})
        read = await server.get(WALLET, headers={"Origin": ORIGIN})
        foreign = await server.get(WALLET, headers={"Origin": "https://evil.example"})
        plain_options = await server.call("OPTIONS", WALLET, user=None)
    assert allowed.status == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert {"Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"} <= {
        h.strip() for h in allowed.headers["Access-Control-Allow-Headers"].split(",")}
    assert (other.status, other.json["code"]) == (403, "origin_not_allowed")
    assert read.status == 200 and read.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Request-ID" in read.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in foreign.headers and foreign.headers["Vary"] == "Origin"
    assert plain_options.status == 405


async def test_without_allowed_origins_no_preflight_passes(api):
    async with api() as server:
        answer = await server.call("OPTIONS", WALLET, user=None, headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert answer.status == 403 and "Access-Control-Allow-Origin" not in answer.headers
