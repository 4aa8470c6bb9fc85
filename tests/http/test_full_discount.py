"""A 100 % discount (or one whose total rounds to zero): check-access and the charge agree that
the access is free; nothing moves, and the access is recorded like any free view."""

from __future__ import annotations

from decimal import Decimal

import pytest

P, RULES = "/api/payments", "/api/admin/billing/rules/"
MESSAGES = {"en": "Service accessed without charge (fully discounted)",
            "ru": "Доступ к услуге предоставлен бесплатно (полная скидка)",
            "uz": "Xizmatdan bepul foydalanildi (to'liq chegirma)",
            "fa": "دسترسی به سرویس بدون هزینه (تخفیف کامل)"}


async def _rule(server, price, discount: str, from_quantity: int = 1) -> None:
    added = await server.call("POST", RULES, user="root", admin=True, json_body={
        "service_type": "lab_test", "price": price, "discount_percentage": discount,
        "min_quantity_for_discount": from_quantity})
    assert added.status == 201, added.text


@pytest.mark.parametrize(("price", "discount", "quantity"), [
    (20000, "100", 1),
    (20000, "100", 3),
    ("1.00", "99.99", 1),  # 0.0001 rounds to 0.00
])
async def test_check_access_and_charge_agree_that_a_zero_total_is_free(api, price, discount,
                                                                       quantity):
    access = {"service_type": "lab_test", "quantity": quantity}
    async with api() as server:
        await _rule(server, price, discount)
        checked = await server.post(f"{P}/billing/check-access/", access,
                                    headers={"Accept-Language": "en"})
        charged = await server.post(f"{P}/billing/charge/", access, headers={"Accept-Language": "en"})
        balance = await server.get(f"{P}/wallet/balance/")
    assert checked.status == 200
    assert (checked.json["can_access"], checked.json["price"]) == (True, Decimal("0.00"))
    assert checked.json["message"] == "Free access (fully discounted)"
    assert charged.status == 200, charged.text
    assert charged.json == {"success": True, "charged": False, "service_type": "lab_test",
                            "quantity": quantity, "message": MESSAGES["en"]}
    assert balance.json["balance"] == Decimal("0.00")


@pytest.mark.parametrize("language", MESSAGES)
async def test_a_fully_discounted_charge_says_so_in_each_language(api, language):
    async with api() as server:
        await _rule(server, 20000, "100")
        charged = await server.post(f"{P}/billing/charge/", {"service_type": "lab_test"},
                                    headers={"Accept-Language": language})
    assert charged.json["message"] == MESSAGES[language]


async def test_a_fully_discounted_doctor_view_counts_as_a_free_view(api):
    async with api() as server:
        await server.get(f"{P}/wallet/balance/")  # the wallet exists from now on
        server.clock.advance(days=8)  # no longer a new user
        await server.call("PATCH", f"{RULES}doctor_view/", user="root", admin=True,
                          json_body={"discount_percentage": 100, "min_quantity_for_discount": 1})
        for doctor in range(5):  # 3 free by the daily quota, 2 by the discount
            reply = await server.post(f"{P}/billing/charge/", {"service_type": "doctor_view",
                                                                "related_object_id": doctor})
            assert (reply.status, reply.json["charged"]) == (200, False)
        daily = await server.get("/api/billing/daily-usage/")
        summary = await server.get(f"{P}/billing/summary/?days=30")
    assert daily.json["daily_usage"]["free_views_used"] == 5
    assert daily.json["daily_usage"]["paid_views"] == 0
    assert summary.json["summary"]["service_summary"]["doctor_views"] == 5


async def test_a_discount_below_the_threshold_still_charges_the_full_price(api):
    async with api() as server:
        await _rule(server, 20000, "100", from_quantity=2)
        checked = await server.post(f"{P}/billing/check-access/", {"service_type": "lab_test"})
        charged = await server.post(f"{P}/billing/charge/", {"service_type": "lab_test"})
    assert (checked.json["can_access"], checked.json["price"]) == (False, Decimal("20000.00"))
    assert charged.status == 402
