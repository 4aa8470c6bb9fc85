"""Expiry is enforced on every read (SPEC §3), the admin's and the payer's way back to the
platform (SPEC §12: ``payment_id=<id>&status=<status>``) included: a payment past its time, before
any sweep, reads as expired, and the admin's status filter finds it so."""

from __future__ import annotations

P = "/api/payments"
TTL_PASSED = 1801  # HAMYON_PAYMENT_TTL default 1800 s


async def test_payer_return_after_expiry_carries_status_expired(api):
    """The Click/Payme return endpoint sends the payer to the platform with the payment's status;
    past its TTL that status is ``expired`` (SPEC §3, §12), not the stale ``pending``."""
    async with api() as server:
        created = await server.post(f"{P}/create/", {
            "gateway": "click", "amount": 20000, "return_url": "https://shop.example/done"})
        payment_id = created.json["payment"]["id"]
        server.clock.advance(seconds=TTL_PASSED)
        back = await server.client.fetch(f"{server.url}{P}/{payment_id}/return/",
                                         follow_redirects=False, raise_error=False)
        user_view = await server.get(f"{P}/{payment_id}/status/")
    assert user_view.json["payment"]["status"] == "expired"
    assert back.code == 303
    assert back.headers["Location"] == \
        f"https://shop.example/done?payment_id={payment_id}&status=expired"


async def test_admin_payment_detail_after_expiry_shows_expired(api):
    """GET /api/admin/payments/<id>/ is a read: a payment past its TTL is ``expired`` (SPEC §3)."""
    async with api() as server:
        created = await server.post(f"{P}/create/", {"gateway": "click", "amount": 20000})
        payment_id = created.json["payment"]["id"]
        server.clock.advance(seconds=TTL_PASSED)
        detail = await server.get(f"/api/admin/payments/{payment_id}/", user="root", admin=True)
    assert detail.status == 200
    assert detail.json["payment"]["status"] == "expired"


async def test_admin_payment_list_after_expiry_shows_and_filters_expired(api):
    """GET /api/admin/payments/ (filter ``status``) is a read too (SPEC §3, §6)."""
    async with api() as server:
        created = await server.post(f"{P}/create/", {"gateway": "click", "amount": 20000})
        payment_id = created.json["payment"]["id"]
        server.clock.advance(seconds=TTL_PASSED)
        listed = await server.get("/api/admin/payments/?user_id=alice", user="root", admin=True)
        expired = await server.get("/api/admin/payments/?status=expired", user="root", admin=True)
    assert [p["status"] for p in listed.json["payments"]] == ["expired"]
    assert [p["id"] for p in expired.json["payments"]] == [payment_id]
