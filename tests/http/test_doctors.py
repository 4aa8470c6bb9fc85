"""The protected doctor view and the admin's doctor directory, through a real server."""

from __future__ import annotations

from decimal import Decimal

A, VIEW = "/api/admin/doctors", "/api/billing/doctor/{}/view/"
CARDIOLOGIST = {"id": 1, "first_name": "John", "last_name": "Doe", "specialization": "Cardiologist",
                "rating": 4.8, "photo_url": "https://cdn.example/doctors/1.jpg"}
NEUROLOGIST = {"id": "dr-2", "first_name": "Dilnoza", "last_name": "Karimova",
               "specialization": "Neurologist"}


async def admin(server, method: str, path: str, body=None):
    return await server.call(method, path, user="root", admin=True, json_body=body)


async def _one_free_view_a_day(server) -> None:
    """Only the first distinct doctor of a day is free, and new users get nothing more."""
    changed = await admin(server, "PATCH", "/api/admin/billing/settings/",
                          {"free_views_per_day": 1, "free_views_for_new_users": 0})
    assert changed.status == 200


async def test_an_admin_adds_doctors_and_a_user_views_them_free_within_the_quota_then_charged(api):
    async with api() as server:
        await _one_free_view_a_day(server)
        added = await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        await admin(server, "POST", f"{A}/", NEUROLOGIST)
        await server.fund("alice", "100000")
        english = {"Accept-Language": "en"}
        free = await server.get(VIEW.format(1), headers=english)
        repeat = await server.get(VIEW.format(1), headers=english)
        paid = await server.get(VIEW.format("dr-2"), headers=english)
        balance = await server.get("/api/payments/wallet/balance/")
    assert added.status == 201
    assert added.json["doctor"] == {**CARDIOLOGIST, "rating": Decimal("4.8"), "is_active": True}
    assert free.status == 200
    assert free.json == {"success": True, "doctor": {**CARDIOLOGIST, "rating": Decimal("4.8")},
                         "charged": False, "amount_charged": Decimal("0.00"),
                         "new_balance": Decimal("100000.00"),
                         "message": "Service accessed without charge (free)", "currency": "UZS"}
    assert (repeat.json["charged"], repeat.json["new_balance"]) == (False, Decimal("100000.00"))
    assert paid.json == {"success": True, "charged": True, "amount_charged": Decimal("5000.00"),
                         "doctor": {**NEUROLOGIST, "rating": None},
                         "new_balance": Decimal("95000.00"),
                         "message": "Successfully charged for Doctor profile view", "currency": "UZS"}
    assert balance.json["balance"] == Decimal("95000.00")


async def test_the_charge_message_is_the_seeds_in_uzbek_by_default(api):
    async with api() as server:
        await _one_free_view_a_day(server)
        await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        await admin(server, "POST", f"{A}/", NEUROLOGIST)
        await server.fund("alice", "100000")
        await server.get(VIEW.format(1))
        paid = await server.get(VIEW.format("dr-2"))
    assert paid.json["message"] == "Shifokor profilini ko'rish uchun to'lov yechildi"


async def test_an_unknown_or_inactive_doctor_is_404_and_nothing_is_charged(api):
    async with api() as server:
        await _one_free_view_a_day(server)
        await admin(server, "POST", f"{A}/", {**CARDIOLOGIST, "is_active": False})
        await server.fund("alice", "100000")
        unknown = await server.get(VIEW.format(404))
        inactive = await server.get(VIEW.format(1))
        bad_id = await server.get(VIEW.format("dr%20one"))
        usage = await server.get("/api/billing/daily-usage/")
    assert (unknown.status, unknown.json["code"], unknown.json["error"]) == \
        (404, "doctor_not_found", "Doctor not found")
    assert inactive.status == 404
    assert (bad_id.status, bad_id.json["field"]) == (400, "doctor_id")
    assert usage.json["daily_usage"]["total_views"] == 0
    assert usage.json["daily_usage"]["current_balance"] == Decimal("100000.00")


async def test_a_paid_view_the_wallet_cannot_cover_is_402_and_shows_no_card(api):
    async with api() as server:
        await _one_free_view_a_day(server)
        await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        await admin(server, "POST", f"{A}/", NEUROLOGIST)
        await server.get(VIEW.format(1))
        refused = await server.get(VIEW.format("dr-2"))
        await admin(server, "POST", "/api/admin/wallets/alice/block/")
        blocked = await server.get(VIEW.format(1))
    assert refused.status == 402
    assert (refused.json["current_balance"], refused.json["required_amount"]) == \
        (Decimal("0.00"), Decimal("5000.00"))
    assert "doctor" not in refused.json
    assert (blocked.status, blocked.json["error"]) == (403, "Wallet is blocked")


async def test_admins_list_change_and_remove_doctors_and_every_write_is_audited(api):
    async with api() as server:
        for doctor_id in (10, 9, "b-1"):
            await admin(server, "POST", f"{A}/", {**NEUROLOGIST, "id": doctor_id})
        changed = await admin(server, "PATCH", f"{A}/9/", {"rating": "4.25", "phone": "+998901234567",
                                                           "first_name": "Aziza"})
        removed = await admin(server, "DELETE", f"{A}/10/")
        again = await admin(server, "DELETE", f"{A}/10/")
        missing = await admin(server, "PATCH", f"{A}/10/", {"rating": 4})
        listed = await server.call("GET", f"{A}/?per_page=1&page=2", user="root", admin=True)
        async with server.hamyon._shared.deps.unit_of_work(write=False) as uow:
            audit = await uow.reports.recent_audit(10)
    assert changed.json["doctor"] == {**NEUROLOGIST, "id": 9, "first_name": "Aziza",
                                      "rating": Decimal("4.25"), "phone": "+998901234567",
                                      "is_active": True}
    assert removed.json == {"success": True, "deleted": True}
    assert again.status == 404 and missing.status == 404
    assert [d["id"] for d in listed.json["doctors"]] == ["b-1"]
    assert listed.json["pagination"]["total_count"] == 2
    assert [(entry.actor, entry.action, entry.target) for entry in audit[:3]] == [
        ("root", "delete_doctor", "doctor:10"), ("root", "update_doctor", "doctor:9"),
        ("root", "create_doctor", "doctor:b-1")]
    assert all("+998" not in entry.details for entry in audit)  # field names, never values


async def test_bad_doctor_cards_are_refused_with_the_field_named(api):
    async with api() as server:
        await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        taken = await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        nameless = await admin(server, "POST", f"{A}/", {"id": 2, "first_name": "Ann"})
        bad_rating = await admin(server, "POST", f"{A}/", {**CARDIOLOGIST, "id": 3, "rating": 7})
        bad_id = await admin(server, "POST", f"{A}/", {**CARDIOLOGIST, "id": "a b"})
    assert (taken.status, taken.json["field"]) == (400, "id")
    assert (nameless.status, nameless.json["field"]) == (400, "last_name")
    assert (bad_rating.status, bad_rating.json["field"]) == (400, "rating")
    assert (bad_id.status, bad_id.json["field"]) == (400, "doctor_id")


async def test_the_doctor_admin_api_is_for_admins_only(api):
    async with api() as server:
        await admin(server, "POST", f"{A}/", CARDIOLOGIST)
        answers = [await server.call(method, path, json_body=body) for method, path, body in (
            ("GET", f"{A}/", None), ("POST", f"{A}/", NEUROLOGIST),
            ("PATCH", f"{A}/1/", {"rating": 1}), ("DELETE", f"{A}/1/", None))]
        anonymous = await server.call("GET", VIEW.format(1), user=None)
        still = await server.get(VIEW.format(1))
    assert [(a.status, a.json["code"]) for a in answers] == [(403, "not_admin")] * 4
    assert anonymous.status == 401
    assert still.json["doctor"]["rating"] == Decimal("4.8")
