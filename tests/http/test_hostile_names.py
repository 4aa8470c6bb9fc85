"""Hostile text where the edge names it back or takes it as an identity: an unknown field's name
that is not text is refused without being echoed, a token's subject must be plain single-line
text, and an admin write that takes no fields refuses any (SPEC §17), changing nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from uuid import UUID

from tests.http.conftest import SECRET

A = "/api/admin"


def _signed(claims_json: str) -> str:
    """An HS256 token over raw claims text (so it can carry a JSON escape like \\ud800)."""
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    head, body = part(b'{"alg":"HS256","typ":"JWT"}'), part(claims_json.encode())
    signature = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{part(signature)}"


async def test_an_admin_write_with_a_lone_surrogate_in_an_unknown_key_gets_a_json_400(api):
    # Standard: hostile input (a lone surrogate) gets a clear JSON error, never an empty answer.
    # SPEC §17: admin writes refuse unknown fields, 400 naming them.
    async with api() as server:
        refused = await server.call("PATCH", f"{A}/billing/settings/", user="root", admin=True,
                                    body='{"maintenance_mod\\ud800": true}',
                                    headers={"Content-Type": "application/json"})
        long = await server.call("PATCH", f"{A}/billing/settings/", user="root", admin=True,
                                 json_body={"x" * 50_000: True, "maintenance_mode": True})
        settings = await server.hamyon.admin.settings()
    assert refused.status == 400
    assert refused.text, "the 400 has an empty body"
    assert refused.json["success"] is False and refused.json["code"]
    assert long.status == 400 and "x" * 100 not in long.text and len(long.text) < 2_000
    assert settings.maintenance_mode is False


async def test_a_token_whose_subject_is_not_single_line_text_is_refused_401(api):
    # SPEC §6: sub is the user id; standard: any string (lone surrogates, NUL) gets a clear
    # error, never a 500 (on SQLite a \ud800 subject is a 500 on every route) and never a user id
    # the admin API cannot even name (a Hamyon-User header with the same text is a 400).
    async with api() as server:
        answers = {}
        for name, sub in (("surrogate", "a\\ud800"), ("nul", "a\\u0000b"), ("newline", "a\\nb")):
            token = _signed(f'{{"sub":"{sub}","exp":{int(time.time()) + 600}}}')
            reply = await server.call("GET", "/api/payments/wallet/", user=None,
                                      headers={"Authorization": f"Bearer {token}"})
            answers[name] = reply.status
    assert answers == {"surrogate": 401, "nul": 401, "newline": 401}


async def test_bodyless_admin_writes_refuse_unknown_fields_and_change_nothing(api):
    # SPEC §17: "Admin writes refuse unknown fields (400 naming them)". Block and full-payment
    # refund have no request fields, so any field is unknown: {"amount": ...} on a refund must not
    # pass for a partial refund while the whole payment is refunded.
    async with api() as server:
        created = (await server.post("/api/payments/create/",
                                     {"gateway": "click", "amount": 50000})).json["payment"]
        payment_id = UUID(created["id"])
        await server.hamyon.settlement.open_attempt("click", payment_id, "ext-1")
        await server.hamyon.settlement.complete_attempt("click", "ext-1")
        block = await server.call("POST", f"{A}/wallets/alice/block/", user="root", admin=True,
                                  json_body={"reasn": "fraud"})
        refund = await server.call("POST", f"{A}/payments/{payment_id}/refund/", user="root",
                                   admin=True, json_body={"amount": 10000})
        wallet = await server.call("GET", f"{A}/wallets/alice/", user="root", admin=True)
        payment = await server.call("GET", f"{A}/payments/{payment_id}/", user="root", admin=True)
    assert (block.status, block.json.get("unknown_fields")) == (400, ["reasn"])
    assert (refund.status, refund.json.get("unknown_fields")) == (400, ["amount"])
    assert wallet.json["wallets"][0]["is_blocked"] is False
    assert payment.json["payment"]["status"] == "completed"
