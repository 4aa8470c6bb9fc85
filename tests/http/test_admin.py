"""The admin API: only admins, every write takes effect, refusals have their statuses."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

A = "/api/admin"


async def admin(server, method: str, path: str, body=None):
    return await server.call(method, path, user="root", admin=True, json_body=body)


async def test_gateway_rows_can_be_read_and_changed(api):
    async with api() as server:
        rows = await admin(server, "GET", f"{A}/gateways/")
        one = await admin(server, "GET", f"{A}/gateways/click/")
        changed = await admin(server, "PATCH", f"{A}/gateways/click/",
                              {"commission_percentage": "1.5", "is_active": True})
        estimate = await server.post("/api/payments/estimate/", {"gateway": "click", "amount": 10000})
        bad = await admin(server, "PATCH", f"{A}/gateways/click/", {"is_active": "yes"})
        unknown = await admin(server, "GET", f"{A}/gateways/bitcoin/")
    assert len(rows.json["gateways"]) == 6
    assert one.json["gateway"]["currencies"] == ["UZS"]
    assert changed.json["gateway"]["commission_percentage"] == Decimal("1.50")
    assert estimate.json["estimate"]["commission"] == Decimal("150.00")
    assert (bad.status, bad.json["field"]) == (400, "is_active")
    assert unknown.status == 404


async def test_maintenance_mode_makes_charges_503(api):
    async with api() as server:
        settings = await admin(server, "PATCH", f"{A}/billing/settings/", {"maintenance_mode": True})
        charge = await server.post("/api/payments/billing/charge/", {"service_type": "doctor_view"})
        shown = await admin(server, "GET", f"{A}/billing/settings/")
    assert settings.json["settings"]["maintenance_mode"] is True
    assert (charge.status, charge.json["error"]) == (503, "Billing is under maintenance")
    assert shown.json["settings"]["max_debits_per_hour"] is None


async def test_hourly_limit_makes_charges_429(api):
    async with api() as server:
        await server.fund("alice", "100000")
        await admin(server, "PATCH", f"{A}/billing/settings/", {"max_debits_per_hour": 1})
        first = await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
        second = await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
    assert first.status == 200 and first.json["charged"] is True
    assert (second.status, second.json["code"]) == (429, "billing_limit_exceeded")


async def test_rules_can_be_added_changed_and_deleted(api):
    async with api() as server:
        added = await admin(server, "POST", f"{A}/billing/rules/",
                            {"service_type": "lab_test", "price": 20000, "service_name": "Tahlil"})
        again = await admin(server, "POST", f"{A}/billing/rules/",
                            {"service_type": "lab_test", "price": 20000})
        changed = await admin(server, "PATCH", f"{A}/billing/rules/lab_test/", {"price": "25000"})
        public = await server.get("/api/payments/billing/rules/", user=None)
        deleted = await admin(server, "DELETE", f"{A}/billing/rules/lab_test/")
        gone = await admin(server, "DELETE", f"{A}/billing/rules/lab_test/")
        listed = await admin(server, "GET", f"{A}/billing/rules/")
    assert added.status == 201 and added.json["rule"]["price"] == Decimal("20000.00")
    assert again.status == 400
    assert changed.json["rule"]["price"] == Decimal("25000.00")
    assert "lab_test" in {rule["service_type"] for rule in public.json["billing_rules"]}
    assert deleted.json == {"success": True, "deleted": True}
    assert gone.status == 404
    assert "lab_test" not in {rule["service_type"] for rule in listed.json["billing_rules"]}


async def test_blocked_wallet_refuses_charges_and_topups_with_403(api):
    async with api() as server:
        await server.fund("alice", "100000")
        blocked = await admin(server, "POST", f"{A}/wallets/alice/block/")
        charge = await server.post("/api/payments/billing/charge/", {"service_type": "doctor_view"})
        topup = await server.post("/api/payments/wallet/topup/", {"gateway": "click", "amount": 50000})
        access = await server.post("/api/payments/billing/check-access/",
                                   {"service_type": "doctor_view"})
        await admin(server, "POST", f"{A}/wallets/alice/unblock/")
        after = await server.post("/api/payments/billing/charge/", {"service_type": "doctor_view"})
    assert blocked.json["wallets"][0]["is_blocked"] is True
    assert (charge.status, charge.json["error"]) == (403, "Wallet is blocked")
    assert topup.status == 403
    assert access.status == 200 and access.json["can_access"] is False
    assert after.status == 200


async def test_adjust_credits_and_debits_but_never_below_zero(api):
    async with api() as server:
        credit = await admin(server, "POST", f"{A}/wallets/bob/adjust/",
                             {"amount": "2000000", "reason": "goodwill"})
        debit = await admin(server, "POST", f"{A}/wallets/bob/adjust/",
                            {"amount": -500, "reason": "correction"})
        overdraw = await admin(server, "POST", f"{A}/wallets/bob/adjust/",
                               {"amount": -5000000, "reason": "too much"})
        no_reason = await admin(server, "POST", f"{A}/wallets/bob/adjust/", {"amount": 5})
        wallet = await admin(server, "GET", f"{A}/wallets/bob/")
    assert credit.json["wallet"]["balance"] == Decimal("2000000.00")  # not capped by max balance
    assert debit.json["wallet"]["balance"] == Decimal("1999500.00")
    assert overdraw.status == 402 and overdraw.json["current_balance"] == Decimal("1999500.00")
    assert (no_reason.status, no_reason.json["field"]) == (400, "reason")
    assert wallet.json["wallets"][0]["balance"] == Decimal("1999500.00")


async def test_payments_search_refund_and_logs(api):
    async with api() as server:
        created = (await server.post("/api/payments/create/",
                                     {"gateway": "click", "amount": 50000})).json["payment"]
        payment_id = UUID(created["id"])
        early = await admin(server, "POST", f"{A}/payments/{payment_id}/refund/")
        await server.hamyon.settlement.open_attempt("click", payment_id, "ext-1")
        await server.hamyon.settlement.complete_attempt("click", "ext-1")
        found = await admin(server, "GET", f"{A}/payments/?status=completed&user_id=alice")
        bad_status = await admin(server, "GET", f"{A}/payments/?status=done")
        refunded = await admin(server, "POST", f"{A}/payments/{payment_id}/refund/")
        logs = await admin(server, "GET", f"{A}/payments/{payment_id}/logs/")
        balance = await server.get("/api/payments/wallet/balance/")
    assert early.status == 409
    assert found.json["pagination"]["total_count"] == 1
    assert found.json["payments"][0]["id"] == created["id"]
    assert (bad_status.status, bad_status.json["field"]) == (400, "status")
    assert refunded.json["payment"]["status"] == "refunded"
    assert balance.json["balance"] == Decimal("0.00")
    assert "refunded by root" in {entry["message"] for entry in logs.json["logs"]}


async def test_reading_a_users_wallets_creates_none_and_admins_list_and_search_wallets(api):
    async with api() as server:
        nobody = await admin(server, "GET", f"{A}/wallets/ghost/")
        await server.fund("doc-1", "1000")
        await server.fund("doc-2", "2000")
        await server.fund("alice", "5", currency="USD")
        listed = await admin(server, "GET", f"{A}/wallets/?per_page=2")
        docs = await admin(server, "GET", f"{A}/wallets/?search=doc-")
        after = await admin(server, "GET", f"{A}/wallets/?search=ghost")
    assert nobody.status == 200 and nobody.json["wallets"] == []
    assert [w["user_id"] for w in listed.json["wallets"]] == ["alice", "doc-1"]
    assert listed.headers["X-Total-Count"] == "3" and listed.json["pagination"]["total_count"] == 3
    assert [(w["user_id"], w["balance"], w["currency"]) for w in docs.json["wallets"]] == [
        ("doc-1", 1000, "UZS"), ("doc-2", 2000, "UZS")]
    assert after.json["wallets"] == []  # the first read made no wallet for ghost


async def test_the_wallet_answer_shows_the_users_other_currencies(api):
    async with api() as server:
        await server.fund("alice", "70000")
        await server.fund("alice", "12.50", currency="USD")
        wallet = (await server.get("/api/payments/wallet/")).json["wallet"]
        usd = (await server.get("/api/payments/wallet/?currency=USD")).json["wallet"]
    assert (wallet["balance"], wallet["currency"]) == (70000, "UZS")
    assert wallet["other_currencies"] == [{"currency": "USD", "balance": 12.5, "held_balance": 0,
                                           "is_blocked": False}]
    assert [o["currency"] for o in usd["other_currencies"]] == ["UZS"]
