"""The JSON-RPC envelope: -32300, -32700, -32600, -32601, -32400, each with HTTP 200."""

from __future__ import annotations

import json

import pytest

from tests.gateways.payme.conftest import KEY, account, basic, serve, tiyin


async def test_every_method_but_post_is_32300_with_http_200(payme):
    async with payme() as world:
        answers = [await world.send(b"{}", method=method, authorization=basic(KEY))
                   for method in ("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND")]
        head = await world.send(b"", method="HEAD")
    assert [(answer.status, answer.code) for answer in answers] == [(200, -32300)] * 6
    assert head.status == 200


@pytest.mark.parametrize("body", [b"not json", b"{\"id\": 1,", b"\xff\xfe", b"[1, NaN]", b""])
async def test_a_body_that_is_not_json_is_32700(payme, body):
    async with payme() as world:
        answer = await world.send(body, authorization=basic(KEY))
    assert (answer.status, answer.code, answer.answer["id"]) == (200, -32700, None)


@pytest.mark.parametrize("payload", [
    [1, 2], "CheckTransaction", {"method": "CheckTransaction", "params": {"id": "a"}},
    {"id": 1, "params": {"id": "a"}}, {"id": 1, "method": "CheckTransaction", "params": []},
    {"id": True, "method": "CheckTransaction", "params": {"id": "a"}},
])
async def test_a_body_that_is_not_a_json_rpc_request_is_32600(payme, payload):
    async with payme() as world:
        answer = await world.send(json.dumps(payload), authorization=basic(KEY))
    assert (answer.status, answer.code) == (200, -32600)


@pytest.mark.parametrize(("method", "params", "field"), [
    ("CheckPerformTransaction", {"account": {"order_id": "x"}}, "amount"),
    ("CheckPerformTransaction", {"amount": "1025000", "account": {"order_id": "x"}}, "amount"),
    ("CheckPerformTransaction", {"amount": True, "account": {"order_id": "x"}}, "amount"),
    ("CheckPerformTransaction", {"amount": 1025000}, "account"),
    ("CheckPerformTransaction", {"amount": 1025000, "account": "x"}, "account"),
    ("CreateTransaction", {"time": 1, "amount": 1, "account": {}}, "id"),
    ("CreateTransaction", {"id": 5, "time": 1, "amount": 1, "account": {}}, "id"),
    ("CreateTransaction", {"id": "a" * 65, "time": 1, "amount": 1, "account": {}}, "id"),
    ("CreateTransaction", {"id": "a", "time": "now", "amount": 1, "account": {}}, "time"),
    ("CreateTransaction", {"id": "a", "time": -1, "amount": 1, "account": {}}, "time"),
    ("PerformTransaction", {}, "id"),
    ("CancelTransaction", {"id": "a"}, "reason"),
    ("CancelTransaction", {"id": "a", "reason": 7}, "reason"),
    ("CancelTransaction", {"id": "a", "reason": "5"}, "reason"),
    ("CheckTransaction", {"id": None}, "id"),
    ("GetStatement", {"from": 1}, "to"),
    ("GetStatement", {"from": 1.5, "to": 2}, "from"),
    ("ChangePassword", {"password": ""}, "password"),
    ("ChangePassword", {}, "password"),
])
async def test_a_missing_or_mistyped_param_is_32600_naming_it(payme, method, params, field):
    async with payme() as world:
        answer = await world.rpc(method, params, call_id="req-9")
    assert (answer.status, answer.code, answer.answer["error"]["data"]) == (200, -32600, field)
    assert answer.answer["id"] == "req-9" and answer.answer["jsonrpc"] == "2.0"


async def test_an_unknown_method_is_32601(payme):
    async with payme() as world:
        answer = await world.rpc("GetBalance", {})
    assert (answer.status, answer.code, answer.answer["error"]["data"]) == (200, -32601, "GetBalance")


async def test_a_fractional_or_negative_amount_is_a_wrong_amount(payme):
    async with payme() as world:
        payment = await world.order()
        raw = [await world.send(
            f'{{"id": 1, "method": "CheckPerformTransaction", "params": {{"amount": {number}, '
            f'"account": {{"order_id": "{payment.id}"}}}}}}', authorization=basic(KEY))
            for number in (f"{tiyin(payment)}.5", f"{tiyin(payment)}.0")]
        fractional, whole_float = raw
        negative = await world.rpc("CheckPerformTransaction", {"amount": -tiyin(payment),
                                                               "account": account(payment)})
    assert fractional.code == -31001 and negative.code == -31001
    assert whole_float.result == {"allow": True}


class BrokenKeys:
    async def replacements(self):
        raise RuntimeError("storage is down")

    async def replace(self, slot, key):
        raise RuntimeError("storage is down")


async def test_an_internal_failure_is_32400_with_http_200(payme):
    async with payme(keys=lambda hamyon: BrokenKeys()) as world:
        answer = await world.rpc("CheckTransaction", {"id": "a"}, call_id=42)
    assert (answer.status, answer.code, answer.answer["id"]) == (200, -32400, 42)


async def test_a_server_without_payme_credentials_answers_32504_with_http_200(payme):
    async with payme() as world, serve(world.hamyon, world.clock, None) as bare:
        answer = await bare.rpc("CheckTransaction", {"id": "a"})
        not_post = await bare.send(b"", method="GET")
    assert (answer.status, answer.code) == (200, -32504)
    assert (not_post.status, not_post.code) == (200, -32300)


async def test_an_oversized_body_is_32600_with_http_200(payme):
    async with payme() as world:
        answer = await world.send(b'{"id": 1, "pad": "' + b"x" * 70_000 + b'"}', authorization=basic(KEY))
    assert (answer.status, answer.code) == (200, -32600)
