"""Holds over HTTP (SPEC §13): reserve, read, list, capture, release; 402, 404, 409; the same
Idempotency-Key replays the first answer."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

H = "/api/payments/billing/holds/"


async def test_a_hold_is_reserved_captured_in_part_and_listed(api):
    async with api() as server:
        await server.fund("alice", "120000")
        created = await server.post(H, {"service_type": "consultation", "related_object_id": 123})
        hold = created.json["hold"]
        shown = await server.get(f"{H}{hold['id']}/")
        captured = await server.post(f"{H}{hold['id']}/capture/", {"amount": "30000"})
        again = await server.post(f"{H}{hold['id']}/capture/", {})
        listed = await server.get(f"{H}?status=captured")
        balance = await server.get("/api/payments/wallet/balance/")
        wallet = (await server.get("/api/payments/wallet/")).json["wallet"]
        summary = (await server.get("/api/payments/billing/summary/")).json["summary"]["wallet_info"]
    assert created.status == 201 and hold["status"] == "active" and hold["amount"] == Decimal("50000.00")
    assert created.json["balance"] == Decimal("70000.00")
    assert created.json["held_balance"] == Decimal("50000.00")
    assert shown.json["hold"] == hold
    assert captured.json["hold"]["status"] == "captured"
    assert captured.json["hold"]["captured_amount"] == Decimal("30000.00")
    assert captured.json["hold"]["transaction_id"] is not None
    assert captured.json["balance"] == Decimal("90000.00") and captured.json["held_balance"] == 0
    assert (again.status, again.json["code"]) == (409, "hold_not_active")
    assert [h["id"] for h in listed.json["holds"]] == [hold["id"]]
    assert balance.json["balance"] == Decimal("90000.00")
    # 30,000 spent: the amount the hold reserved and gave back is neither money in nor out
    assert (wallet["total_topped_up"], wallet["total_spent"]) == (Decimal("120000.00"), Decimal("30000.00"))
    assert (summary["total_credited"], summary["total_debited"], summary["credit_transactions"],
            summary["debit_transactions"]) == (Decimal("120000.00"), Decimal("30000.00"), 1, 1)


async def test_release_and_the_refusals(api):
    async with api() as server:
        await server.fund("alice", "60000")
        hold = (await server.post(H, {"service_type": "consultation"})).json["hold"]
        broke = await server.post(H, {"service_type": "consultation"})
        released = await server.post(f"{H}{hold['id']}/release/")
        not_mine = await server.call("GET", f"{H}{hold['id']}/", user="bob")
        unknown = await server.get(f"{H}{uuid4()}/")
        malformed = await server.get(f"{H}not-a-hold/")
        bad_expiry = await server.post(H, {"service_type": "consultation", "expires_in": 30})
    assert (broke.status, broke.json["code"]) == (402, "insufficient_balance")
    assert released.json["hold"]["status"] == "released" and released.json["balance"] == Decimal("60000.00")
    assert not_mine.status == unknown.status == malformed.status == 404
    assert (bad_expiry.status, bad_expiry.json["field"]) == (400, "expires_in")


async def test_the_same_idempotency_key_replays_the_first_answer(api):
    async with api() as server:
        await server.fund("alice", "200000")
        key = {"Idempotency-Key": "hold-once"}
        first = await server.call("POST", H, json_body={"service_type": "consultation"}, headers=key)
        second = await server.call("POST", H, json_body={"service_type": "consultation"}, headers=key)
        listed = await server.get(H)
    assert first.status == second.status == 201 and first.json == second.json
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert listed.json["pagination"]["total_count"] == 1


async def test_wallet_answers_show_what_active_holds_keep_aside(api):
    async with api() as server:
        await server.fund("alice", "120000")
        await server.post(H, {"service_type": "consultation"})
        wallet = await server.get("/api/payments/wallet/")
        balance = await server.get("/api/payments/wallet/balance/")
        admin = await server.call("GET", "/api/admin/wallets/alice/", user="root", admin=True)
    assert (wallet.json["wallet"]["balance"], wallet.json["wallet"]["held_balance"]) == \
        (Decimal("70000.00"), Decimal("50000.00"))
    assert (balance.json["balance"], balance.json["held_balance"]) == \
        (Decimal("70000.00"), Decimal("50000.00"))
    [row] = admin.json["wallets"]
    assert (row["balance"], row["held_balance"]) == (Decimal("70000.00"), Decimal("50000.00"))


async def test_an_admin_refunds_a_charge_over_http_once_per_idempotency_key(api):
    async with api() as server:
        await server.fund("alice", "60000")
        charged = (await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})).json
        path = f"/api/admin/charges/{charged['transaction_id']}/refund/"
        key = {"Idempotency-Key": "refund-1"}
        first = await server.call("POST", path, user="root", admin=True, headers=key,
                                  json_body={"amount": 20000, "reason": "cut short"})
        replay = await server.call("POST", path, user="root", admin=True, headers=key,
                                   json_body={"amount": 20000, "reason": "cut short"})
        too_much = await server.call("POST", path, user="root", admin=True,
                                     json_body={"amount": 40000, "reason": "again"})
        not_admin = await server.call("POST", path, json_body={"reason": "me"})
        balance = await server.get("/api/payments/wallet/balance/")
        lines = (await server.get("/api/payments/wallet/transactions/")).json["transactions"]
    assert first.status == 200 and first.json["refunded_amount"] == Decimal("20000.00")
    shown = {line["id"]: line["refunded_amount"] for line in lines}
    assert shown[charged["transaction_id"]] == Decimal("20000.00")
    assert [value for key, value in shown.items() if key != charged["transaction_id"]] == [None, None]
    assert replay.json == first.json
    assert (too_much.status, too_much.json["code"]) == (409, "refund_exceeds_charge")
    assert not_admin.status == 403
    assert balance.json["balance"] == Decimal("30000.00")
