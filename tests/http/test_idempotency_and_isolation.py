"""Idempotency-Key on money-moving POSTs, and users who only ever see their own money."""

from __future__ import annotations

import asyncio
from decimal import Decimal

P = "/api/payments"
CHARGE = {"service_type": "consultation", "quantity": 1}


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


async def _balance(server, user: str = "alice") -> Decimal:
    return (await server.get(f"{P}/wallet/balance/", user=user)).json["balance"]


async def test_same_key_and_body_answers_the_stored_response_and_charges_once(api):
    async with api() as server:
        await server.fund("alice", "200000")
        first = await server.post(f"{P}/billing/charge/", CHARGE, headers=key("k-1"))
        again = await server.post(f"{P}/billing/charge/", {"quantity": 1, "service_type": "consultation"},
                                  headers=key("k-1"))
        assert await _balance(server) == Decimal("150000.00")
    assert first.status == again.status == 200
    assert first.text == again.text
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_same_key_with_another_body_is_409(api):
    async with api() as server:
        await server.fund("alice", "200000")
        await server.post(f"{P}/billing/charge/", CHARGE, headers=key("k-2"))
        other = await server.post(f"{P}/billing/charge/", {**CHARGE, "quantity": 2}, headers=key("k-2"))
        assert await _balance(server) == Decimal("150000.00")
    assert (other.status, other.json["code"]) == (409, "idempotency_conflict")


async def test_keys_belong_to_one_user_and_one_path(api):
    async with api() as server:
        await server.fund("alice", "200000")
        await server.fund("bob", "200000")
        await server.post(f"{P}/billing/charge/", CHARGE, headers=key("shared"))
        bob = await server.post(f"{P}/billing/charge/", CHARGE, headers=key("shared"), user="bob")
        create = await server.post(f"{P}/create/", {"gateway": "click", "amount": 10000},
                                   headers=key("shared"))
        assert await _balance(server, "bob") == Decimal("150000.00")
    assert bob.status == 200 and "Idempotent-Replayed" not in bob.headers
    assert create.status == 201


async def test_a_repeated_create_makes_one_payment(api):
    async with api() as server:
        body = {"gateway": "click", "amount": 50000}
        first = await server.post(f"{P}/create/", body, headers=key("pay-1"))
        again = await server.post(f"{P}/create/", body, headers=key("pay-1"))
        history = await server.get(f"{P}/history/")
    assert first.status == again.status == 201
    assert first.json["payment"]["id"] == again.json["payment"]["id"]
    assert history.headers["X-Total-Count"] == "1"


async def test_concurrent_requests_with_one_key_run_once(api):
    async with api() as server:
        await server.fund("alice", "200000")
        answers = await asyncio.gather(*(
            server.post(f"{P}/billing/charge/", CHARGE, headers=key("burst")) for _ in range(5)))
        assert await _balance(server) == Decimal("150000.00")
    assert {answer.status for answer in answers} == {200}
    assert len({answer.json["transaction_id"] for answer in answers}) == 1


async def test_oversize_or_blank_keys_are_400(api):
    async with api() as server:
        long = await server.post(f"{P}/billing/charge/", CHARGE, headers=key("k" * 256))
        blank = await server.post(f"{P}/billing/charge/", CHARGE, headers=key(" "))
    assert (long.status, long.json["field"]) == (400, "Idempotency-Key")
    assert blank.status == 400


async def test_users_see_only_their_own_money_and_admins_see_all(api):
    async with api() as server:
        await server.fund("alice", "100000")
        paid = (await server.post(f"{P}/create/", {"gateway": "click", "amount": 20000})).json
        alice_id = paid["payment"]["id"]
        bob_view = await server.get(f"{P}/{alice_id}/status/", user="bob")
        bob_cancel = await server.post(f"{P}/{alice_id}/cancel/", user="bob")
        bob_history = await server.get(f"{P}/history/", user="bob")
        bob_balance = await _balance(server, "bob")
        bob_admin = await server.get("/api/admin/payments/", user="bob")
        admin = await server.call("GET", "/api/admin/payments/?user_id=alice", user="root",
                                  admin=True)
        alice_status = await server.get(f"{P}/{alice_id}/status/")
    assert bob_view.status == bob_cancel.status == 404
    assert bob_history.json == [] and bob_history.headers["X-Total-Count"] == "0"
    assert bob_balance == Decimal("0.00")
    assert bob_admin.status == 403
    assert [p["id"] for p in admin.json["payments"]] == [alice_id]
    assert alice_status.json["payment"]["status"] == "pending"
