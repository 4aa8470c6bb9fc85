"""Admin numbers follow the same rules as public input (no amount that creates money): each
refusal is a 400 naming the field, and the row is unchanged afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest

A = "/api/admin"
GATEWAY, SETTINGS, RULE = f"{A}/gateways/click/", f"{A}/billing/settings/", f"{A}/billing/rules/"


async def admin(server, method: str, path: str, body=None):
    return await server.call(method, path, user="root", admin=True, json_body=body)


async def refused_and_unchanged(server, path: str, changes: dict, field: str, shown: str) -> None:
    before = (await admin(server, "GET", path)).json
    refused = await admin(server, "PATCH", path, changes)
    after = (await admin(server, "GET", path)).json
    assert (refused.status, refused.json["field"]) == (400, field), refused.text
    assert after == before, f"{shown} changed"


@pytest.mark.parametrize(("changes", "field"), [
    ({"commission_fixed": -300}, "commission_fixed"),
    ({"commission_fixed": "-0.01"}, "commission_fixed"),
    ({"commission_percentage": -1}, "commission_percentage"),
    ({"commission_percentage": "100.01"}, "commission_percentage"),
    ({"min_amount": -1000}, "min_amount"),
    ({"min_amount": 0}, "min_amount"),
    ({"max_amount": -1}, "max_amount"),
    ({"min_amount": 20_000_000}, "min_amount"),  # above the stored max 10,000,000
    ({"max_amount": 500}, "max_amount"),  # below the stored min 1,000
    ({"min_amount": 5000, "max_amount": 4000}, "min_amount"),
])
async def test_a_gateway_refuses_numbers_that_public_input_would_refuse(api, changes, field):
    async with api() as server:
        await refused_and_unchanged(server, GATEWAY, changes, field, "the gateway row")


@pytest.mark.parametrize(("changes", "field"), [
    ({"min_wallet_topup": -10_000}, "min_wallet_topup"),
    ({"min_wallet_topup": 0}, "min_wallet_topup"),
    ({"max_wallet_balance": 0}, "max_wallet_balance"),
    ({"daily_spending_limit": -5}, "daily_spending_limit"),
    ({"daily_spending_limit": 0}, "daily_spending_limit"),
    ({"min_wallet_topup": 2_000_000}, "min_wallet_topup"),  # above the stored max 1,000,000
    ({"max_wallet_balance": 5000}, "max_wallet_balance"),  # below the stored min 10,000
    ({"min_wallet_topup": 60_000, "max_wallet_balance": 50_000}, "min_wallet_topup"),
    ({"free_views_per_day": -1}, "free_views_per_day"),
    ({"new_user_days": 1_000_001}, "new_user_days"),
    ({"max_debits_per_hour": -1}, "max_debits_per_hour"),
])
async def test_billing_settings_refuse_numbers_that_public_input_would_refuse(api, changes, field):
    async with api() as server:
        await refused_and_unchanged(server, SETTINGS, changes, field, "the settings")


@pytest.mark.parametrize(("changes", "field"), [
    ({"price": -5000}, "price"),
    ({"price": 0}, "price"),
    ({"discount_percentage": -10}, "discount_percentage"),
    ({"discount_percentage": "100.5"}, "discount_percentage"),
    ({"min_quantity_for_discount": -1}, "min_quantity_for_discount"),
])
async def test_a_billing_rule_refuses_numbers_that_public_input_would_refuse(api, changes, field):
    async with api() as server:
        before = (await admin(server, "GET", RULE)).json
        refused = await admin(server, "PATCH", f"{RULE}consultation/", changes)
        created = await admin(server, "POST", RULE, {"service_type": "lab_test", "price": 20000,
                                                      **changes})
        after = (await admin(server, "GET", RULE)).json
    assert (refused.status, refused.json["field"]) == (400, field)
    assert (created.status, created.json["field"]) == (400, field)
    assert after == before


async def test_both_bounds_changed_together_in_order_are_taken(api):
    async with api() as server:
        gateway = await admin(server, "PATCH", GATEWAY, {"min_amount": 20_000_000,
                                                         "max_amount": 30_000_000})
        settings = await admin(server, "PATCH", SETTINGS, {"min_wallet_topup": 2_000_000,
                                                           "max_wallet_balance": 3_000_000})
        free = await admin(server, "PATCH", GATEWAY, {"commission_fixed": 0})
    assert gateway.json["gateway"]["min_amount"] == Decimal("20000000.00")
    assert settings.json["settings"]["min_wallet_topup"] == Decimal("2000000.00")
    assert free.json["gateway"]["commission_fixed"] == Decimal("0.00")


@pytest.mark.parametrize("kind", ["fixed", "combined"])
async def test_a_negative_fixed_commission_is_refused_and_a_topup_still_costs_its_amount(api, kind):
    async with api() as server:
        attack = await admin(server, "PATCH", GATEWAY, {"commission_type": kind,
                                                        "commission_fixed": -300})
        estimate = await server.post("/api/payments/estimate/", {"gateway": "click", "amount": 10000})
        created = await server.post("/api/payments/create/", {"gateway": "click", "amount": 10000})
    assert (attack.status, attack.json["field"]) == (400, "commission_fixed")
    assert estimate.json["estimate"]["total_amount"] == Decimal("10250.00")  # 2.5 % still
    payment = created.json["payment"]
    assert payment["total_amount"] >= payment["amount"] == Decimal("10000.00")


async def test_a_known_inactive_gateway_answers_like_an_unknown_one_with_a_hint_in_development(api):
    async with api() as server:
        await admin(server, "PATCH", f"{A}/gateways/payme/", {"is_active": False})
        inactive = await server.post("/api/payments/create/", {"gateway": "payme", "amount": 20000})
        unknown = await server.post("/api/payments/create/", {"gateway": "nope", "amount": 20000})
    assert (inactive.status, inactive.json["error"], inactive.json["code"]) == (
        404, "Payment gateway not found", "gateway_inactive")
    assert "HAMYON_PAYME_MERCHANT_ID" in inactive.json["hint"]
    assert (unknown.status, unknown.json["code"]) == (404, "gateway_not_found") and "hint" not in unknown.json


async def test_production_answers_give_no_hint(api):
    from entrypoints.http import HttpConfig
    from tests.http.conftest import SECRET

    async with api(http=HttpConfig(jwt_secret=SECRET, production=True)) as server:
        await admin(server, "PATCH", f"{A}/gateways/payme/", {"is_active": False})
        inactive = await server.post("/api/payments/create/", {"gateway": "payme", "amount": 20000})
    assert inactive.json["code"] == "gateway_inactive" and "hint" not in inactive.json


async def test_switching_on_a_gateway_without_credentials_is_409(api):
    async with api() as server:
        refused = await admin(server, "PATCH", f"{A}/gateways/humo/", {"is_active": True})
        shown = (await admin(server, "GET", f"{A}/gateways/humo/")).json
    assert (refused.status, refused.json["code"]) == (409, "gateway_not_configured")
    assert shown["gateway"]["name"] == "humo"
