"""Wallet and billing endpoints of the Medical-consultation seed, in the seed's shapes."""

from __future__ import annotations

from decimal import Decimal

P = "/api/payments"
CHARGE = {"service_type": "doctor_view", "quantity": 1, "related_object_id": 123}


async def _use_free_views(server, user: str = "alice") -> None:
    """Spend the daily and new-user free views so the next doctor view is paid."""
    server.clock.advance(days=8)  # no longer a new user
    for doctor in range(3):
        await server.post(f"{P}/billing/charge/", {"service_type": "doctor_view",
                                                   "related_object_id": f"free-{doctor}"}, user=user)


async def test_wallet_info_has_the_seeds_shape(api):
    async with api() as server:
        await server.fund("alice", "150000")
        reply = await server.get(f"{P}/wallet/")
    wallet = reply.json["wallet"]
    assert reply.status == 200 and reply.json["success"] is True
    assert wallet["balance"] == Decimal("150000.00") and wallet["is_blocked"] is False
    assert wallet["total_topped_up"] == Decimal("150000.00")
    assert wallet["total_spent"] == Decimal("0.00") and wallet["today_spending"] == Decimal("0.00")
    assert set(wallet["recent_transactions"][0]) == {
        "id", "type", "amount", "balance_after", "description", "status", "created_at",
        "refunded_amount", "currency"}  # the seed's fields, and SPEC §13 and §17's
    assert wallet["billing_settings"] == {"min_topup": Decimal("10000.00"),
                                         "max_balance": Decimal("1000000.00"),
                                         "free_views_per_day": 3, "enable_billing": True,
                                         "currency": "UZS"}


async def test_balance_is_the_quick_answer_with_what_holds_keep_aside(api):
    async with api() as server:
        await server.fund("alice", "150000")
        reply = await server.get(f"{P}/wallet/balance/")
        usd = await server.get(f"{P}/wallet/balance/?currency=USD")
        bad = await server.get(f"{P}/wallet/balance/?currency=XYZ")
    assert reply.json == {"balance": Decimal("150000.00"), "held_balance": Decimal("0.00"),
                          "is_blocked": False, "currency": "UZS"}
    assert '"balance":150000.00' in reply.text
    assert usd.json["balance"] == Decimal("0.00")
    assert (bad.status, bad.json["field"]) == (400, "currency")


async def test_transactions_filter_and_paginate(api):
    async with api() as server:
        await server.fund("alice", "150000")
        await _use_free_views(server)
        for doctor in range(3):
            await server.post(f"{P}/billing/charge/", {"service_type": "doctor_view",
                                                       "related_object_id": f"paid-{doctor}"})
        debits = await server.get(f"{P}/wallet/transactions/?type=debit&days=7&page=1&per_page=2")
        everything = await server.get(f"{P}/wallet/transactions/")
        bad_type = await server.get(f"{P}/wallet/transactions/?type=refund")
        bad_days = await server.get(f"{P}/wallet/transactions/?days=abc")
    assert debits.status == 200
    assert debits.json["pagination"] == {"page": 1, "per_page": 2, "total_count": 3,
                                         "total_pages": 2, "has_next": True, "has_previous": False}
    line = debits.json["transactions"][0]
    assert line["type"] == "debit" and line["amount"] == Decimal("5000.00")
    assert line["balance_before"] - line["balance_after"] == Decimal("5000.00")
    assert line["description"] == "Shifokor profilini ko'rish (ID: paid-2)"
    assert everything.json["pagination"]["total_count"] == 4  # the funding and three charges
    assert (bad_type.status, bad_type.json["field"]) == (400, "type")
    assert (bad_days.status, bad_days.json["field"]) == (400, "days")


async def test_topup_answers_201_with_reference_number(api):
    async with api() as server:
        reply = await server.post(f"{P}/wallet/topup/", {"amount": 50000.00, "gateway": "click",
                                                          "return_url": "https://example.com/wallet"})
    assert reply.status == 201
    assert set(reply.json["payment"]) == {"id", "reference_number", "amount", "total_amount",
                                          "commission", "status", "gateway", "payment_url",
                                          "expires_at", "currency"}


async def test_billing_rules_are_public_and_localized(api):
    async with api() as server:
        uz = await server.get(f"{P}/billing/rules/", user=None)
        ru = await server.get(f"{P}/billing/rules/", user=None, headers={"Accept-Language": "ru"})
    view = next(r for r in uz.json["billing_rules"] if r["service_type"] == "doctor_view")
    assert view == {"service_type": "doctor_view", "service_name": "Shifokor profilini ko'rish",
                    "price": Decimal("5000.00"), "discount_percentage": Decimal("10.00"),
                    "min_quantity_for_discount": 5,
                    "effective_prices": {"1": Decimal("5000.00"), "5": Decimal("4500.00"),
                                         "10": Decimal("4500.00")}, "currency": "UZS"}
    assert uz.json["settings"] == {"enable_billing": True, "maintenance_mode": False,
                                   "free_views_per_day": 3, "free_views_for_new_users": 5,
                                   "min_wallet_topup": Decimal("10000.00"),
                                   "max_wallet_balance": Decimal("1000000.00"), "currency": "UZS"}
    ru_view = next(r for r in ru.json["billing_rules"] if r["service_type"] == "doctor_view")
    assert ru_view["service_name"] == "Просмотр профиля врача"


async def test_check_access_says_what_a_charge_would_do(api):
    async with api() as server:
        await server.fund("alice", "150000")
        await _use_free_views(server)
        reply = await server.post(f"{P}/billing/check-access/",
                                  {"service_type": "doctor_view", "quantity": 1}, headers={
                                      "Accept-Language": "en"})
        poor = await server.post(f"{P}/billing/check-access/", {"service_type": "consultation"},
                                 user="bob")
        unknown = await server.post(f"{P}/billing/check-access/", {"service_type": "massage"})
    assert reply.json == {"success": True, "can_access": True, "message": "Sufficient balance",
                          "price": Decimal("5000.00"), "unit_price": Decimal("5000.00"),
                          "quantity": 1, "service_type": "doctor_view",
                          "user_balance": Decimal("150000.00"), "currency": "UZS"}
    assert poor.status == 200 and poor.json["can_access"] is False
    assert (unknown.status, unknown.json["field"]) == (400, "service_type")


async def test_charge_free_then_paid_then_402(api):
    async with api() as server:
        free = await server.post(f"{P}/billing/charge/", CHARGE, headers={"Accept-Language": "en"})
        await server.fund("alice", "7000")
        await _use_free_views(server)
        paid = await server.post(f"{P}/billing/charge/", CHARGE)
        poor = await server.post(f"{P}/billing/charge/", {**CHARGE, "related_object_id": 124})
    assert free.json == {"success": True, "charged": False, "service_type": "doctor_view",
                         "quantity": 1, "message": "Service accessed without charge (free)"}
    assert paid.status == 200
    assert paid.json["charged"] is True and paid.json["amount_charged"] == Decimal("5000.00")
    assert paid.json["balance_after"] == Decimal("2000.00")
    assert paid.json["description"] == "Shifokor profilini ko'rish (ID: 123)"
    assert set(paid.json) == {"success", "charged", "service_type", "quantity", "transaction_id",
                              "amount_charged", "balance_after", "description", "currency"}
    assert poor.status == 402
    assert poor.json["error"] == "Insufficient balance"
    assert '"current_balance":2000.00' in poor.text and '"required_amount":5000.00' in poor.text


async def test_charge_input_refusals_are_400_naming_the_field(api):
    async with api() as server:
        for body, field in (({"service_type": "doctor_view", "quantity": 0}, "quantity"),
                            ({"service_type": "doctor_view", "quantity": "2"}, "quantity"),
                            ({"service_type": "doctor_view", "quantity": 1.5}, "quantity"),
                            ({"service_type": "unknown"}, "service_type"),
                            ({"quantity": 1}, "service_type"),
                            ({"service_type": "doctor_view", "related_object_id": [1]},
                             "related_object_id")):
            reply = await server.post(f"{P}/billing/charge/", body)
            assert (reply.status, reply.json.get("field")) == (400, field), body


async def test_billing_summary_and_daily_usage(api):
    async with api() as server:
        await server.fund("alice", "150000")
        await _use_free_views(server)
        await server.post(f"{P}/billing/charge/", CHARGE)
        summary = await server.get(f"{P}/billing/summary/?days=30")
        daily = await server.get("/api/billing/daily-usage/")
        bad = await server.get(f"{P}/billing/summary/?days=0")
    body = summary.json["summary"]
    assert body["period_days"] == 30
    assert body["wallet_info"]["debit_transactions"] == 1
    assert body["wallet_info"]["total_debited"] == Decimal("5000.00")
    assert set(body["payment_summary"]) == {"total_payments", "completed_payments", "total_amount",
                                            "pending_payments", "failed_payments", "currency"}
    assert body["service_summary"] == {"doctor_views": 4, "doctor_view_charges": Decimal("5000.00"),
                                       "free_doctor_views": 3, "currency": "UZS"}
    assert daily.json == {"success": True, "daily_usage": {
        "free_views_used": 3, "free_views_remaining": 0, "paid_views": 1, "total_views": 4,
        "spending_today": Decimal("5000.00"), "current_balance": Decimal("145000.00"),
        "currency": "UZS"}}
    assert (bad.status, bad.json["field"]) == (400, "days")
