"""The HTTP edge itself: JSON in and out, errors, request ids, auth, sizes, docs, health."""

from __future__ import annotations

import json

from ports.storage import CommitOutcomeUnknown
from tests.http.conftest import SECRET

GATEWAYS = "/api/payments/gateways/"
ESTIMATE = "/api/payments/estimate/"


async def test_money_is_written_with_the_currencys_decimals_not_through_a_float(api):
    async with api() as server:
        reply = await server.post(ESTIMATE, {"gateway": "click", "amount": 50000})
        assert reply.status == 200
        assert '"amount":50000.00' in reply.text
        assert '"commission":1250.00' in reply.text
        assert '"total_amount":51250.00' in reply.text


async def test_every_answer_carries_a_request_id_and_a_sane_incoming_one_is_reused(api):
    async with api() as server:
        fresh = await server.get(GATEWAYS, user=None)
        reused = await server.get(GATEWAYS, user=None, headers={"X-Request-ID": "abc-123"})
        insane = await server.get(GATEWAYS, user=None, headers={"X-Request-ID": "a b<script>"})
        missing = await server.get("/nowhere/", user=None)
    assert len(fresh.headers["X-Request-ID"]) == 32
    assert reused.headers["X-Request-ID"] == "abc-123"
    assert insane.headers["X-Request-ID"] != "a b<script>"
    assert missing.headers["X-Request-ID"]


async def test_malformed_json_is_400_invalid_json(api):
    async with api() as server:
        for body in (b"{", b"[1, 2]", b'"text"', b'{"amount": NaN}', b'{"amount": Infinity}',
                     b"\xff\xfe", b'{"a":' + b"[" * 30_000 + b"]" * 30_000 + b"}"):
            reply = await server.call("POST", ESTIMATE, body=body,
                                      headers={"Content-Type": "application/json"})
            assert reply.status == 400, body
            assert reply.json["code"] == "invalid_json"
            assert reply.json["success"] is False


async def test_wrong_types_and_oversize_strings_are_400_naming_the_field(api):
    async with api() as server:
        cases = [
            ({"gateway": 5, "amount": 50000}, "gateway"),
            ({"gateway": "click", "amount": True}, "amount"),
            ({"gateway": "click", "amount": [1]}, "amount"),
            ({"gateway": "click"}, "amount"),
            ({"gateway": "click", "amount": 50000, "description": "x" * 1001}, "description"),
            ({"gateway": "x" * 300, "amount": 50000}, "gateway"),
            ({"gateway": "click", "amount": "50000.001"}, "amount"),
        ]
        for body, field in cases:
            reply = await server.post("/api/payments/create/", body)
            assert reply.status == 400, (body, reply.text)
            assert reply.json["field"] == field


async def test_bodies_over_64_kib_are_413(api):
    async with api() as server:
        big = json.dumps({"gateway": "click", "amount": 1, "pad": "x" * 70_000})
        reply = await server.call("POST", ESTIMATE, body=big,
                                  headers={"Content-Type": "application/json"})
    assert reply.status == 413
    assert reply.json["code"] == "body_too_large"


async def test_missing_bad_and_expired_tokens_are_401(api):
    async with api() as server:
        import jwt

        expired = jwt.encode({"sub": "alice", "exp": 1}, SECRET, algorithm="HS256")
        no_exp = jwt.encode({"sub": "alice"}, SECRET, algorithm="HS256")
        forged = jwt.encode({"sub": "alice", "exp": 4_000_000_000}, "another-secret-" * 3,
                            algorithm="HS256")
        for header in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"},
                       {"Authorization": f"Bearer {expired}"}, {"Authorization": f"Bearer {no_exp}"},
                       {"Authorization": f"Bearer {forged}"}):
            reply = await server.get("/api/payments/wallet/balance/", user=None, headers=header)
            assert reply.status == 401, header
            assert reply.json["code"] == "unauthorized"


async def test_admin_routes_refuse_users_with_403_not_admin(api):
    async with api() as server:
        refused = await server.get("/api/admin/gateways/", user="alice")
        allowed = await server.get("/api/admin/gateways/", user="root", admin=True)
    assert refused.status == 403
    assert refused.json["code"] == "not_admin"
    assert allowed.status == 200


async def test_unknown_routes_are_json_404_and_wrong_methods_json_405(api):
    async with api() as server:
        missing = await server.get("/api/nothing/here/")
        wrong = await server.call("DELETE", GATEWAYS)
        put = await server.call("PUT", GATEWAYS, body=b"{}")
    assert (missing.status, missing.json["code"]) == (404, "not_found")
    assert (wrong.status, wrong.json["code"]) == (405, "method_not_allowed")
    assert put.status == 405
    assert missing.headers["Content-Type"].startswith("application/json")


async def test_unexpected_errors_are_500_with_request_id_and_no_traceback(api):
    async with api() as server:
        async def broken(*args, **kwargs):
            raise RuntimeError("secret internals")

        server.hamyon.gateways.active = broken
        reply = await server.get(GATEWAYS, user=None, headers={"X-Request-ID": "req-42"})
    assert reply.status == 500
    assert reply.json == {"success": False, "error": "Internal server error",
                          "code": "internal_error", "request_id": "req-42"}
    assert "secret internals" not in reply.text and "Traceback" not in reply.text


async def test_paging_out_of_range_or_not_a_number_is_400_naming_the_field(api):
    async with api() as server:
        for query, field in (("page=0", "page"), ("per_page=101", "per_page"),
                             ("per_page=abc", "per_page"), ("page=-1", "page"),
                             ("page=1.5", "page"), ("per_page=0", "per_page")):
            reply = await server.get(f"/api/payments/history/?{query}")
            assert reply.status == 400, query
            assert reply.json["field"] == field


async def test_health_and_readiness(api):
    async with api() as server:
        health = await server.get("/healthz", user=None)
        ready = await server.get("/readyz", user=None)

        async def down():
            raise ConnectionError("database gone")

        server.hamyon.admin.gateways = down
        not_ready = await server.get("/readyz", user=None)
    assert (health.status, health.json) == (200, {"status": "ok"})
    assert (ready.status, ready.json) == (200, {"status": "ok"})
    assert not_ready.status == 503


async def test_swagger_ui_is_served_without_a_cdn(api):
    async with api() as server:
        page = await server.get("/docs", user=None)
        asset = await server.get("/docs/swagger-ui-bundle.js", user=None)
        unknown = await server.get("/docs/../../etc/passwd", user=None)
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    assert "/openapi.json" in page.text and "https://" not in page.text
    if "swagger-ui-bundle.js" in page.text:
        assert asset.status == 200 and "javascript" in asset.headers["Content-Type"]
    assert unknown.status == 404


async def test_metrics_are_exposed_for_prometheus(api):
    async with api() as server:
        await server.get(GATEWAYS, user=None)
        reply = await server.get("/metrics", user=None)
    assert reply.status == 200
    assert "hamyon_http_requests_total" in reply.text


async def test_a_commit_whose_outcome_was_lost_is_503_outcome_unknown_not_a_500(api, monkeypatch):
    async with api() as server:
        await server.fund("alice", "100000")

        async def lost(*_args, **_kwargs):
            raise CommitOutcomeUnknown()

        monkeypatch.setattr(server.hamyon.billing, "charge", lost)
        reply = await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
    body = json.loads(reply.text)
    assert reply.status == 503 and body["code"] == "outcome_unknown" and body["success"] is False
    assert body["request_id"] == reply.headers["X-Request-ID"]
    assert "Idempotency-Key" in body["error"]
